//! Every JSON text the add-in hands to 1C, in one place: violations, the
//! answers of both APIs and `LastError`. Each is the core's own
//! serialization of its type (`Violations::to_json`, serde on the answer
//! types), in the shapes the C library gives (`ofdkit_ferma_send`,
//! `ofdkit_ferma_fiscalize`, `ofdkit_ferma_report`, …), so that 1C and C
//! read the same JSON. When the core gains one writer of every answer
//! (`ofdkit::output`), this module becomes calls to it.

use ofdkit::codes::{self, CodeTable};
use ofdkit::ofd::Application;
use ofdkit::protocol::{ReceiptState, ReportOutcome};
use ofdkit::Violations;
use ofdkit_client::{Fiscalization, Outcome, Recovery, Sent};
use serde_json::{json, Value};

use super::errors::{Detail, ErrorReport};

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    // The core's answer types serialize without failing: their map keys
    // are strings.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `[{path, code, severity, message, message_ru}]`.
pub fn violations(violations: &Violations) -> String {
    violations.to_json()
}

/// `{code, name, message, message_ru}`, with `violations` for an invalid
/// request and `details` (the API's error, the JSON position, …) where
/// there are any.
pub fn last_error(report: &ErrorReport) -> String {
    let mut error = json!({
        "code": report.code.number(),
        "name": report.code.name(),
        "message": report.message,
        "message_ru": report.message_ru,
    });
    let details = match &*report.detail {
        Detail::None => None,
        Detail::Violations(v) => {
            error["violations"] = to_value(v);
            None
        }
        Detail::Json { line, column } => Some(json!({"line": line, "column": column})),
        Detail::Api(api) => Some(to_value(api)),
        Detail::Protocol(protocol) => Some(to_value(protocol)),
        Detail::Transport { may_have_arrived } => Some(json!({"may_have_arrived": may_have_arrived})),
        Detail::OutcomeUnknown { external_id, cause } => Some(json!({"external_id": external_id, "cause": cause})),
    };
    if let Some(details) = details {
        error["details"] = details;
    }
    error.to_string()
}

/// `{external_id, uuids, warnings}`.
pub fn sent(sent: &Sent) -> String {
    json!({"external_id": sent.external_id, "uuids": sent.uuids, "warnings": to_value(&sent.warnings)}).to_string()
}

/// `{recovery: "sent", external_id, uuids}` or `{recovery: "already_registered", external_id}`.
pub fn recovery(recovery: &Recovery) -> String {
    match recovery {
        Recovery::Sent(sent) => json!({"recovery": "sent", "external_id": sent.external_id, "uuids": sent.uuids}),
        Recovery::AlreadyRegistered { external_id } => {
            json!({"recovery": "already_registered", "external_id": external_id})
        }
    }
    .to_string()
}

/// `{external_id, outcome: "done", parts: [{uuid, payload}]}`, `{…,
/// outcome: "failed", error}` or `{…, outcome: "unknown", uuids, reason}`,
/// with the validation `warnings`.
pub fn fiscalization(result: &Fiscalization) -> String {
    let mut outcome = match &result.outcome {
        Outcome::Done(parts) => json!({
            "outcome": "done",
            "parts": parts.iter().map(|(uuid, payload)| json!({"uuid": uuid, "payload": to_value(payload)})).collect::<Vec<_>>(),
        }),
        Outcome::Failed(error) => json!({"outcome": "failed", "error": to_value(error)}),
        Outcome::Unknown { uuids, reason } => json!({"outcome": "unknown", "uuids": uuids, "reason": reason}),
    };
    outcome["external_id"] = json!(result.external_id);
    outcome["warnings"] = to_value(&result.warnings);
    outcome.to_string()
}

fn state_value(state: &ReceiptState) -> Value {
    match state {
        ReceiptState::Pending => json!({"state": "pending"}),
        ReceiptState::Done(payload) => json!({"state": "done", "payload": to_value(payload)}),
        ReceiptState::Failed(error) => json!({"state": "failed", "error": to_value(error)}),
    }
}

/// `{state: "pending" | "done" | "failed", payload | error}`.
pub fn state(state: &ReceiptState) -> String {
    state_value(state).to_string()
}

/// A state, and the whole report under `report`.
pub fn report(outcome: &ReportOutcome) -> String {
    let mut value = state_value(&outcome.state);
    value["report"] = to_value(&outcome.report);
    value.to_string()
}

pub fn application(application: &Application) -> String {
    to_value(application).to_string()
}

pub fn applications(applications: &[Application]) -> String {
    to_value(&applications).to_string()
}

/// `{name, source, wire_kind, entries: [{name, wire, number, tag, aliases, description_ru}]}`.
pub fn code_table(table: &CodeTable) -> String {
    to_value(table).to_string()
}

/// The names of every code table, as a JSON array.
pub fn code_table_names() -> String {
    to_value(&codes::tables().iter().map(|t| t.name).collect::<Vec<_>>()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ofdkit::ErrorCode;

    #[test]
    fn last_error_carries_violations_and_both_messages() {
        let violations = ofdkit::ferma::validate_receipt_json(
            br#"{"external_id": "1", "receipt": {}}"#,
            ofdkit::codes::Operation::Sell,
        )
        .unwrap();
        let report = ErrorReport::from_core(ofdkit::Error::Invalid(violations.clone()));
        let json: Value = serde_json::from_str(&last_error(&report)).unwrap();
        assert_eq!(json["code"], 1002);
        assert_eq!(json["name"], "INVALID_REQUEST");
        assert_eq!(json["violations"], serde_json::from_str::<Value>(&violations.to_json()).unwrap());
        assert!(json["message_ru"].as_str().unwrap().starts_with("запрос нарушает"));
        assert!(json.get("details").is_none());
        let argument = ErrorReport::argument("bad", "плохо");
        let json: Value = serde_json::from_str(&last_error(&argument)).unwrap();
        assert_eq!(json["code"], ErrorCode::InvalidArgument.number());
        assert_eq!(json["message_ru"], "недопустимый аргумент: плохо");
    }

    #[test]
    fn code_tables_are_the_cores() {
        let names: Vec<String> = serde_json::from_str(&code_table_names()).unwrap();
        assert!(names.iter().any(|n| n == "measure"));
        let measure: Value = serde_json::from_str(&code_table(codes::table("measure").unwrap())).unwrap();
        assert_eq!(measure["name"], "measure");
        assert!(measure["entries"].as_array().unwrap().iter().any(|e| e["description_ru"] == "Килограмм"));
    }
}
