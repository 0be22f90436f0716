//! The core's one JSON form of answers and violations, as text: the same
//! bytes the C library, Python and `ofdkit validate --json` give.

use js_sys::{Array, Reflect};
use ofdkit::catalog::{Rule, RuleRef};
use ofdkit::output::AnswerKind;
use ofdkit::protocol::HttpResponse;
use ofdkit::{Severity, Violation, ViolationCode, Violations};
use wasm_bindgen::prelude::*;

use crate::errors::Fail;

/// Reads an answer of either API (`create`, `report`, `callback`,
/// `cashbox_stats`, `application`, `application_list`, `partner`) with its
/// HTTP status (default 200) into the core's JSON text; throws the API's
/// error, an unexpected status or an unreadable body as an `OfdkitError`.
/// A server-side script can read Ferma's callback with `parseResponse("callback", body)`.
/// The authorisation answer is not read here: this package never handles credentials.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(kind: &str, body: &str, http_status: Option<u16>) -> Result<String, JsValue> {
    let kind: AnswerKind = kind.parse().map_err(|e: ofdkit::ParseNameError| Fail::argument(e.to_string()))?;
    if kind == AnswerKind::Token {
        return Err(Fail::argument("the authorisation answer is read on the server, never in this package").into());
    }
    let response = HttpResponse::new(http_status.unwrap_or(200), body.as_bytes().to_vec());
    Ok(kind.read(&response).map_err(Fail::from)?)
}

fn text(object: &JsValue, name: &str) -> Result<String, Fail> {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| Fail::argument(format!("a violation's {name} must be a string")))
}

/// Violations (as `validateReceipt` returns them) as the core's JSON text.
#[wasm_bindgen(js_name = violationsToJson)]
pub fn violations_to_json(violations: &Array) -> Result<String, JsValue> {
    let mut out = Vec::with_capacity(violations.length() as usize);
    for v in violations.iter() {
        let code = text(&v, "code")?;
        let rule = text(&v, "rule")?;
        out.push(Violation {
            path: text(&v, "path")?,
            code: ViolationCode::from_name(&code)
                .ok_or_else(|| Fail::argument(format!("{code:?} is not a violation code")))?,
            rule: RuleRef(Rule::by_id(&rule).ok_or_else(|| Fail::argument(format!("{rule:?} is not a rule")))?),
            severity: match text(&v, "severity")?.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                other => return Err(Fail::argument(format!("severity {other:?} is not error or warning")).into()),
            },
            message: text(&v, "message")?,
            message_ru: text(&v, "messageRu")?,
        });
    }
    Ok(Violations(out).to_json())
}
