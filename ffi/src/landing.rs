//! The landing pad every exported function runs its body in: panics are
//! caught and become `OFDKIT_E_PANIC`, errors become their status code, and
//! the last error's message and details are kept per thread.

use std::cell::RefCell;
use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::panic::{catch_unwind, AssertUnwindSafe};

use ofdkit_core::{Error, ErrorCode};

/// Success. Every other status is an `OFDKIT_E_*` code.
pub const OFDKIT_OK: c_int = 0;
/// Malformed JSON given by the caller.
pub const OFDKIT_E_INVALID_JSON: c_int = 1001;
/// The request breaks the API's rules: see the violations.
pub const OFDKIT_E_INVALID_REQUEST: c_int = 1002;
/// An argument cannot be used (NULL, not UTF-8, unknown name, …).
pub const OFDKIT_E_INVALID_ARGUMENT: c_int = 1003;
/// The request is not allowed in the current state of its life cycle.
pub const OFDKIT_E_INVALID_STATE: c_int = 1004;
/// The input is larger than `ofdkit_max_input_bytes()`; nothing was parsed.
pub const OFDKIT_E_INPUT_TOO_LARGE: c_int = 1005;
/// The server's answer is not what the spec describes.
pub const OFDKIT_E_UNEXPECTED_RESPONSE: c_int = 2001;
/// The server answered with an unexpected HTTP status.
pub const OFDKIT_E_HTTP_STATUS: c_int = 2002;
/// No connection could be made (name resolution, refused, unreachable, the
/// proxy): nothing was sent. For a request that changes something (a
/// receipt, an application), every 3xxx code but OFDKIT_E_OUTCOME_UNKNOWN
/// means it did not reach the server and may be sent again.
pub const OFDKIT_E_CONNECT: c_int = 3001;
/// The deadline passed: for a request that changes something, before it was sent.
pub const OFDKIT_E_TIMEOUT: c_int = 3002;
/// The TLS handshake failed (an untrusted certificate, …): nothing was sent.
pub const OFDKIT_E_TLS: c_int = 3003;
/// The request went out and no clear answer came back (a broken connection,
/// a timeout, a 5xx, garbage): it may or may not have been processed, and
/// was not sent again blindly. The details name the receipt's external_id.
pub const OFDKIT_E_OUTCOME_UNKNOWN: c_int = 3004;
/// The connection broke: for a request that changes something, before it was sent.
pub const OFDKIT_E_IO: c_int = 3005;
/// The API reported an error.
pub const OFDKIT_E_API: c_int = 4001;
/// The login, password or token was refused.
pub const OFDKIT_E_AUTH: c_int = 4002;
/// The external_id is already known: the receipt was sent before.
pub const OFDKIT_E_DUPLICATE_EXTERNAL_ID: c_int = 4003;
/// The cashbox cannot fiscalise now (Ferma errors 1070–1080).
pub const OFDKIT_E_CASHBOX: c_int = 4004;
/// What was asked for does not exist.
pub const OFDKIT_E_NOT_FOUND: c_int = 4005;
/// Access to the resource is denied.
pub const OFDKIT_E_ACCESS_DENIED: c_int = 4006;
/// The API refused the request's data.
pub const OFDKIT_E_REJECTED: c_int = 4007;
/// The API says the request is not allowed in the resource's current state.
pub const OFDKIT_E_WRONG_STATE: c_int = 4008;
/// A bug in ofdkit.
pub const OFDKIT_E_INTERNAL: c_int = 9001;
/// A panic was caught at the boundary: a bug in ofdkit, reported, never a crash.
pub const OFDKIT_E_PANIC: c_int = 9002;

/// A failed call: its status, message and machine-readable details.
pub(crate) struct Fail {
    pub code: c_int,
    pub message: String,
    /// JSON: the violations, or the API's or protocol's error.
    pub details: Option<String>,
}

impl Fail {
    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Fail { code: OFDKIT_E_INVALID_ARGUMENT, message: message.into(), details: None }
    }

    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Fail { code: code.number() as c_int, message: message.into(), details: None }
    }
}

impl From<Error> for Fail {
    fn from(error: Error) -> Self {
        let details = match &error {
            Error::Invalid(violations) => Some(violations.to_json()),
            Error::Api(api) => serde_json::to_string(api).ok(),
            Error::Protocol(protocol) => serde_json::to_string(protocol).ok(),
            Error::Json(json) => Some(match json.kind {
                ofdkit_core::json::JsonErrorKind::TooLarge { size, max } => {
                    serde_json::json!({"size": size, "max": max}).to_string()
                }
                ofdkit_core::json::JsonErrorKind::Malformed => {
                    serde_json::json!({"line": json.line, "column": json.column}).to_string()
                }
            }),
            _ => None,
        };
        Fail { code: error.code().number() as c_int, message: error.to_string(), details }
    }
}

#[cfg(feature = "transport")]
impl From<ofdkit_client::Error> for Fail {
    fn from(error: ofdkit_client::Error) -> Self {
        match error {
            ofdkit_client::Error::Core(core) => core.into(),
            ofdkit_client::Error::OutcomeUnknown { ref external_id, sends, ref cause, .. } => Fail {
                code: OFDKIT_E_OUTCOME_UNKNOWN,
                message: error.to_string(),
                details: Some(
                    serde_json::json!({
                        "may_have_arrived": true,
                        "external_id": external_id,
                        "sends": sends,
                        "cause": cause.to_string(),
                    })
                    .to_string(),
                ),
            },
            ofdkit_client::Error::Transport(t) => Fail {
                code: t.code().number() as c_int,
                message: t.to_string(),
                details: Some(
                    serde_json::json!({"may_have_arrived": t.may_have_arrived, "attempts": t.attempts}).to_string(),
                ),
            },
            other => Fail { code: other.code().number() as c_int, message: other.to_string(), details: None },
        }
    }
}

struct LastError {
    code: c_int,
    message: CString,
    details: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// A C string from any text: an interior NUL (never in ofdkit's output)
/// would end it early rather than fail.
pub(crate) fn c_string(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let end = e.nul_position();
        let mut bytes = e.into_vec();
        bytes.truncate(end);
        CString::new(bytes).unwrap_or_default()
    })
}

fn remember(fail: &Fail) {
    let last = LastError {
        code: fail.code,
        message: c_string(fail.message.clone()),
        details: c_string(fail.details.clone().unwrap_or_else(|| "{}".to_owned())),
    };
    LAST_ERROR.with(|cell| *cell.borrow_mut() = Some(last));
}

fn forget() {
    LAST_ERROR.with(|cell| *cell.borrow_mut() = None);
}

/// Runs an exported function's body: `Ok(status)` is returned as is (a
/// validation may succeed with `OFDKIT_E_INVALID_REQUEST` and its
/// violations), `Err` is remembered and its code returned, and a panic is
/// caught and reported as `OFDKIT_E_PANIC`.
pub(crate) fn guard(body: impl FnOnce() -> Result<c_int, Fail>) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(status)) => {
            if status == OFDKIT_OK {
                forget();
            }
            status
        }
        Ok(Err(fail)) => {
            remember(&fail);
            fail.code
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            remember(&Fail {
                code: OFDKIT_E_PANIC,
                message: format!("internal error (a bug in ofdkit): {what}"),
                details: None,
            });
            OFDKIT_E_PANIC
        }
    }
}

/// Records a status that is not a failure of the call itself (an invalid
/// request that was validated as asked) so that the message is available.
pub(crate) fn note(fail: Fail) -> c_int {
    remember(&fail);
    fail.code
}

/// The message of the last failed call on this thread, in English; an
/// empty string when the last call succeeded. Owned by the library: valid
/// until the next call on this thread; do not free.
#[no_mangle]
pub extern "C" fn ofdkit_last_error_message() -> *const c_char {
    LAST_ERROR.with(|cell| cell.borrow().as_ref().map_or(c"".as_ptr(), |e| e.message.as_ptr()))
}

/// The status of the last failed call on this thread (`OFDKIT_OK` when it succeeded).
#[no_mangle]
pub extern "C" fn ofdkit_last_error_code() -> c_int {
    LAST_ERROR.with(|cell| cell.borrow().as_ref().map_or(OFDKIT_OK, |e| e.code))
}

/// Details of the last failed call on this thread, as JSON: the violations
/// of an invalid request (an array of `{path, code, severity, message,
/// message_ru}`), the API's error (`{api, kind, http_status, code, name,
/// error_id, text}`), a protocol error (`{kind, http_status, detail,
/// body_start}`), or `{}`. Owned by the library: valid until the next call
/// on this thread; do not free.
#[no_mangle]
pub extern "C" fn ofdkit_last_error_details() -> *const c_char {
    LAST_ERROR.with(|cell| cell.borrow().as_ref().map_or(c"{}".as_ptr(), |e| e.details.as_ptr()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header lists exactly one `OFDKIT_E_<NAME>` per code of ofdkit's
    /// table, with the same number: the C codes cannot drift from Rust's.
    #[test]
    fn the_header_has_every_error_code_and_no_other() {
        let header = include_str!("../../include/ofdkit.h");
        let mut in_header: Vec<(String, u32)> = header
            .lines()
            .filter_map(|l| l.strip_prefix("#define OFDKIT_E_"))
            .filter_map(|l| {
                let (name, number) = l.split_once(' ')?;
                Some((name.to_owned(), number.trim().parse().ok()?))
            })
            .collect();
        in_header.sort();
        let mut in_core: Vec<(String, u32)> =
            ErrorCode::ALL.iter().map(|c| (c.name().to_owned(), c.number())).collect();
        in_core.sort();
        assert_eq!(in_header, in_core);
        assert!(header.contains("#define OFDKIT_OK 0"));
    }

    #[test]
    fn a_panic_becomes_a_status_not_a_crash() {
        let status = guard(|| panic!("boom"));
        assert_eq!(status, OFDKIT_E_PANIC);
        assert_eq!(ofdkit_last_error_code(), OFDKIT_E_PANIC);
        let message = unsafe { std::ffi::CStr::from_ptr(ofdkit_last_error_message()) }.to_str().unwrap();
        assert!(message.contains("boom"), "{message}");
        assert_eq!(guard(|| Ok(OFDKIT_OK)), OFDKIT_OK);
        assert_eq!(ofdkit_last_error_code(), OFDKIT_OK);
    }
}
