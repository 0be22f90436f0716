//! The one JSON form of what the client's calls end with: a receipt sent,
//! recovered or fiscalised, a document waited for, an application waited
//! for. Built on the core's forms ([`ofdkit::output`]) so that the C
//! library, Python, the CLI and the 1C add-in write the same bytes.

use serde_json::{json, Value};

use ofdkit::output;
use ofdkit::protocol::ReceiptState;

use crate::ferma::{Fiscalization, Outcome, Recovery, Sent};
use crate::ofd::Waited;

/// A receipt registered: `{"external_id", "uuids", "warnings"}`.
pub fn sent(sent: &Sent) -> Value {
    json!({
        "external_id": sent.external_id,
        "uuids": sent.uuids,
        "warnings": output::violations(&sent.warnings),
    })
}

/// What a recovery found: `{"recovery": "sent", "external_id", "uuids",
/// "warnings"}` or `{"recovery": "already_registered", "external_id"}`.
pub fn recovery(recovery: &Recovery) -> Value {
    match recovery {
        Recovery::Sent(s) => {
            let mut out = sent(s);
            out["recovery"] = json!("sent");
            out
        }
        Recovery::AlreadyRegistered { external_id } => {
            json!({ "recovery": "already_registered", "external_id": external_id })
        }
    }
}

/// Where a fiscalisation ended: `{"outcome": "done" | "failed" |
/// "unknown", "external_id", "warnings"}` with `"parts": [{"uuid",
/// "payload"}]` when done, `"error"` when failed, and `"uuids"`,
/// `"registered"`, `"reason"` when unknown.
pub fn fiscalization(result: &Fiscalization) -> Value {
    let mut out = match &result.outcome {
        Outcome::Done(parts) => json!({
            "outcome": "done",
            "parts": parts.iter().map(|(uuid, p)| json!({ "uuid": uuid, "payload": output::payload(p) })).collect::<Vec<_>>(),
        }),
        Outcome::Failed(error) => json!({ "outcome": "failed", "error": output::api_error(error) }),
        Outcome::Unknown { uuids, registered, reason } => {
            json!({ "outcome": "unknown", "uuids": uuids, "registered": registered, "reason": reason })
        }
    };
    out["external_id"] = json!(result.external_id);
    out["warnings"] = output::violations(&result.warnings);
    out
}

/// A document's state after waiting for it: the core's state form with
/// its `"uuid"`.
pub fn waited(uuid: &str, state: &ReceiptState) -> Value {
    let mut out = output::state(state);
    out.insert("uuid".to_owned(), json!(uuid));
    Value::Object(out)
}

/// An application waited for: `{"changed", "application"}`.
pub fn waited_application(waited: &Waited) -> Value {
    json!({ "changed": waited.changed, "application": output::application(&waited.application) })
}
