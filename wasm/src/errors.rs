//! Failures as JavaScript `Error` objects, and violations as plain objects.
//!
//! The objects are made by `bridge.js`, which the package's entry points
//! import too, so a thrown error is an `instanceof OfdkitError` there and
//! carries a stack (a string thrown from Rust would carry none).

use js_sys::Array;
use ofdkit::{Error, ErrorCode, Violation, Violations};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "./bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        code: u32,
        code_name: &str,
        message: &str,
        violations: Array,
        line: Option<u32>,
        column: Option<u32>,
        path: Option<String>,
    ) -> JsValue;

    #[wasm_bindgen(js_name = makeViolation)]
    fn make_violation(path: &str, code: &str, rule: &str, severity: &str, message: &str, message_ru: &str) -> JsValue;
}

/// Why a call failed: an error of the core, and for a JS value that has no
/// JSON form, where in the argument it sits.
#[derive(Debug)]
pub struct Fail {
    pub error: Error,
    pub path: Option<String>,
}

impl Fail {
    /// An argument that cannot be used (`INVALID_ARGUMENT`).
    pub fn argument(message: impl Into<String>) -> Self {
        Fail { error: Error::Argument(message.into()), path: None }
    }
}

impl From<Error> for Fail {
    fn from(error: Error) -> Self {
        Fail { error, path: None }
    }
}

impl From<ofdkit::json::JsonError> for Fail {
    fn from(error: ofdkit::json::JsonError) -> Self {
        Error::Json(error).into()
    }
}

impl From<Fail> for JsValue {
    fn from(fail: Fail) -> JsValue {
        let code: ErrorCode = fail.error.code();
        let violations = fail.error.violations().map_or_else(Array::new, to_js_violations);
        let (line, column) = match &fail.error {
            Error::Json(json) if json.code() == ErrorCode::InvalidJson => {
                (u32::try_from(json.line).ok(), u32::try_from(json.column).ok())
            }
            _ => (None, None),
        };
        make_error(code.number(), code.name(), &fail.error.to_string(), violations, line, column, fail.path)
    }
}

pub fn to_js_violation(v: &Violation) -> JsValue {
    make_violation(&v.path, v.code.as_str(), v.rule.id(), v.severity.as_str(), &v.message, &v.message_ru)
}

/// Violations as an array of `{path, code, rule, severity, message, messageRu}`.
pub fn to_js_violations(violations: &Violations) -> Array {
    violations.iter().map(to_js_violation).collect()
}

/// Every error code of the core's table: `[{number, name, description}]`,
/// for the package's `ErrorCode` constants.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Array {
    ErrorCode::ALL
        .iter()
        .map(|code| {
            let entry = js_sys::Object::new();
            crate::codes::set(&entry, "number", &JsValue::from(code.number()));
            crate::codes::set(&entry, "name", &JsValue::from_str(code.name()));
            crate::codes::set(&entry, "description", &JsValue::from_str(code.description()));
            JsValue::from(entry)
        })
        .collect()
}

/// Every violation code (`required`, `inn_checksum`, …), for the package's types.
#[wasm_bindgen(js_name = violationCodes)]
pub fn violation_codes() -> Array {
    ofdkit::ViolationCode::ALL.iter().map(|code| JsValue::from_str(code.as_str())).collect()
}
