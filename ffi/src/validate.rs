//! Validation of the four kinds of request, with the violations as an
//! array of C structs and as JSON.

use std::ffi::CString;
use std::os::raw::{c_char, c_int};

use ofdkit_core::codes::Operation;
use ofdkit_core::ofd::{self, ApplicationCheck};
use ofdkit_core::{ferma, Severity, Strictness, Violations};

use crate::landing::{c_string, guard, Fail, OFDKIT_E_INVALID_REQUEST, OFDKIT_OK};
use crate::memory::{input, out, text};

/// A violation's severity: the request would be refused.
pub const OFDKIT_SEVERITY_ERROR: c_int = 0;
/// A violation's severity: worth attention, not refused.
pub const OFDKIT_SEVERITY_WARNING: c_int = 1;

/// A registration application being filled in: what §2.5.1 still needs is a warning.
pub const OFDKIT_CHECK_DRAFT: c_int = 0;
/// About to prepare documents: what §2.5.1 needs is an error.
pub const OFDKIT_CHECK_COMPLETE: c_int = 1;
/// The secondary request of the finalization stage.
pub const OFDKIT_CHECK_SECONDARY: c_int = 2;

/// One violation. Its strings belong to the list it came from.
#[repr(C)]
pub struct OfdkitViolation {
    /// A JSON path from the request's root: `receipt.items[2].vat.type`.
    pub path: *const c_char,
    /// A stable snake_case code: `required`, `inn_checksum`, …
    pub code: *const c_char,
    /// `OFDKIT_SEVERITY_ERROR` or `OFDKIT_SEVERITY_WARNING`.
    pub severity: c_int,
    pub message: *const c_char,
    pub message_ru: *const c_char,
    /// The catalog rule's id (`client_phone_format`), explained in docs/rules.md.
    pub rule: *const c_char,
}

/// The violations of one request (opaque; free with `ofdkit_violations_free`).
pub struct OfdkitViolations {
    /// The core's list, kept so that strictness can be applied later.
    violations: Violations,
    items: Vec<OfdkitViolation>,
    has_errors: bool,
    /// Written when first asked for: most callers read the list, and
    /// writing it for each call was a twentieth of a typical check's cost.
    json: std::sync::OnceLock<CString>,
    _strings: Vec<CString>,
}

impl OfdkitViolations {
    pub(crate) fn new(violations: &Violations) -> Box<Self> {
        let mut strings = Vec::with_capacity(violations.len() * 5);
        let mut items = Vec::with_capacity(violations.len());
        for v in violations {
            // A CString's buffer does not move when the CString does.
            let mut keep = |s: &str| {
                let c = c_string(s.to_owned());
                let ptr = c.as_ptr();
                strings.push(c);
                ptr
            };
            items.push(OfdkitViolation {
                path: keep(&v.path),
                code: keep(v.code.as_str()),
                severity: match v.severity {
                    Severity::Error => OFDKIT_SEVERITY_ERROR,
                    Severity::Warning => OFDKIT_SEVERITY_WARNING,
                },
                message: keep(&v.message),
                message_ru: keep(&v.message_ru),
                rule: keep(v.rule.id()),
            });
        }
        Box::new(OfdkitViolations {
            violations: violations.clone(),
            items,
            has_errors: violations.has_errors(),
            json: std::sync::OnceLock::new(),
            _strings: strings,
        })
    }
}

/// Hands a list to the caller and says whether it holds an error.
pub(crate) fn deliver(violations: &Violations, slot: &mut *mut OfdkitViolations) -> c_int {
    *slot = Box::into_raw(OfdkitViolations::new(violations));
    if violations.has_errors() {
        let first = violations.errors().next().map(|v| v.to_string()).unwrap_or_default();
        crate::landing::note(Fail {
            code: OFDKIT_E_INVALID_REQUEST,
            message: format!("the request breaks the API's rules: {first}"),
            details: Some(violations.to_json()),
        })
    } else {
        OFDKIT_OK
    }
}

fn check(value: c_int) -> Result<ApplicationCheck, Fail> {
    match value {
        OFDKIT_CHECK_DRAFT => Ok(ApplicationCheck::Draft),
        OFDKIT_CHECK_COMPLETE => Ok(ApplicationCheck::Complete),
        OFDKIT_CHECK_SECONDARY => Ok(ApplicationCheck::Secondary),
        other => Err(Fail::argument(format!("check must be OFDKIT_CHECK_DRAFT, _COMPLETE or _SECONDARY, got {other}"))),
    }
}

pub(crate) fn operation(value: &str) -> Result<Operation, Fail> {
    value.parse().map_err(|e: ofdkit_core::codes::UnknownCode| Fail::argument(format!("operation: {e}")))
}

/// Checks a receipt or correction request (the body POSTed to
/// `{group_code}/{operation}`) sent as `operation` (`"sell"`, …).
/// `*violations_out` receives every violation (an empty list for a perfect
/// request). Returns `OFDKIT_OK`, `OFDKIT_E_INVALID_REQUEST` when a
/// violation is an error, or `OFDKIT_E_INVALID_JSON` (line and column in
/// the message) or `OFDKIT_E_INPUT_TOO_LARGE` with `*violations_out` NULL.
///
/// # Safety
/// `json` points to `json_len` bytes; `operation` is a NUL-terminated
/// string; `violations_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_validate_receipt(
    json: *const c_char,
    json_len: usize,
    operation: *const c_char,
    violations_out: *mut *mut OfdkitViolations,
) -> c_int {
    guard(|| {
        let slot = out(violations_out, "violations_out")?;
        let operation = self::operation(text(operation, "operation")?)?;
        let violations = ferma::validate_receipt_json(input(json, json_len, "json")?, operation)
            .map_err(ofdkit_core::Error::Json)?;
        Ok(deliver(&violations, slot))
    })
}

/// Checks a registration application (`POST api/kkt/application`) with
/// `OFDKIT_CHECK_DRAFT`, `_COMPLETE` or `_SECONDARY`. Returns as
/// `ofdkit_validate_receipt`.
///
/// # Safety
/// As `ofdkit_validate_receipt`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_validate_application(
    json: *const c_char,
    json_len: usize,
    check: c_int,
    violations_out: *mut *mut OfdkitViolations,
) -> c_int {
    guard(|| {
        let slot = out(violations_out, "violations_out")?;
        let check = self::check(check)?;
        let violations =
            ofd::validate_application_json(input(json, json_len, "json")?, check).map_err(ofdkit_core::Error::Json)?;
        Ok(deliver(&violations, slot))
    })
}

/// Checks an application update (`PUT api/kkt/application/{id}`).
/// Returns as `ofdkit_validate_receipt`.
///
/// # Safety
/// As `ofdkit_validate_receipt`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_validate_application_update(
    json: *const c_char,
    json_len: usize,
    check: c_int,
    violations_out: *mut *mut OfdkitViolations,
) -> c_int {
    guard(|| {
        let slot = out(violations_out, "violations_out")?;
        let check = self::check(check)?;
        let violations =
            ofd::validate_update_json(input(json, json_len, "json")?, check).map_err(ofdkit_core::Error::Json)?;
        Ok(deliver(&violations, slot))
    })
}

/// Checks a partner's registration of a new client (appendix 1).
/// Returns as `ofdkit_validate_receipt`.
///
/// # Safety
/// As `ofdkit_validate_receipt`, without `operation`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_validate_partner_registration(
    json: *const c_char,
    json_len: usize,
    violations_out: *mut *mut OfdkitViolations,
) -> c_int {
    guard(|| {
        let slot = out(violations_out, "violations_out")?;
        let violations = ofd::validate_partner_registration_json(input(json, json_len, "json")?)
            .map_err(ofdkit_core::Error::Json)?;
        Ok(deliver(&violations, slot))
    })
}

/// The number of violations in a list; 0 for NULL.
///
/// # Safety
/// `violations` is NULL or a list from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_violations_count(violations: *const OfdkitViolations) -> usize {
    violations.as_ref().map_or(0, |v| v.items.len())
}

/// The violation at `index`, or NULL past the end. It belongs to the list.
///
/// # Safety
/// `violations` is NULL or a list from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_violations_get(
    violations: *const OfdkitViolations,
    index: usize,
) -> *const OfdkitViolation {
    violations.as_ref().and_then(|v| v.items.get(index)).map_or(std::ptr::null(), |v| v as *const OfdkitViolation)
}

/// 1 when a violation is an error, 0 otherwise (and for NULL).
///
/// # Safety
/// `violations` is NULL or a list from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_violations_has_errors(violations: *const OfdkitViolations) -> c_int {
    c_int::from(violations.as_ref().is_some_and(|v| v.has_errors))
}

/// The list as a JSON array of `{path, code, rule, severity, message,
/// message_ru}`. It belongs to the list; "[]" for NULL.
///
/// # Safety
/// `violations` is NULL or a list from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_violations_json(violations: *const OfdkitViolations) -> *const c_char {
    violations.as_ref().map_or(c"[]".as_ptr(), |v| v.json.get_or_init(|| c_string(v.violations.to_json())).as_ptr())
}

/// Applies the strict setting to a list: every warning becomes an error,
/// for shops that want no surprises (the default follows the spec, where
/// only errors stop a request). Returns `OFDKIT_E_INVALID_REQUEST` when the
/// list now holds an error, as the validating functions do, else
/// `OFDKIT_OK`. Violations obtained from the list before are invalid after.
///
/// # Safety
/// `violations` is a list from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_violations_make_strict(violations: *mut OfdkitViolations) -> c_int {
    guard(|| {
        let list = violations.as_mut().ok_or_else(|| Fail::argument("violations is NULL"))?;
        let strict = list.violations.clone().with_strictness(Strictness::Strict);
        let mut slot: *mut OfdkitViolations = std::ptr::null_mut();
        let status = deliver(&strict, &mut slot);
        *list = *Box::from_raw(slot);
        Ok(status)
    })
}

/// Frees a list of violations. NULL is ignored.
///
/// # Safety
/// `violations` is NULL or a list from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_violations_free(violations: *mut OfdkitViolations) {
    if !violations.is_null() {
        drop(Box::from_raw(violations));
    }
}
