//! JSON in, JSON out: the wire form of a receipt, any answer of both APIs
//! in canonical form, VAT and totals, and reading a JSON value by pointer
//! for programs without a JSON library.

use std::os::raw::{c_char, c_int};

use ofdkit_core::codes::{Code, PaymentType, VatType};
use ofdkit_core::ferma::{self, ReceiptRequest};
use ofdkit_core::json::{Json, Node, Reader, Style};
use ofdkit_core::money::Amount;
use ofdkit_core::ofd::ApplicationState;
use ofdkit_core::output::AnswerKind;
use ofdkit_core::protocol::HttpResponse;
use ofdkit_core::ErrorCode;

use crate::landing::{guard, status_of, Fail, OFDKIT_OK};
use crate::memory::{give, input, out, out_value, text};
use crate::validate::{deliver, operation, OfdkitViolations};

/// Ferma's answer to getToken (§2): `{"token", "valid_until"}`.
pub const OFDKIT_RESPONSE_FERMA_TOKEN: c_int = 1;
/// Ferma's answer to a receipt (§3.1.3, §3.2): `{"uuids", "timestamp"}`.
pub const OFDKIT_RESPONSE_FERMA_CREATE: c_int = 2;
/// Ferma's report (§4): `{"state", "error", "report"}`.
pub const OFDKIT_RESPONSE_FERMA_REPORT: c_int = 3;
/// The body Ferma POSTs to `callback_url` (§4): as a report.
pub const OFDKIT_RESPONSE_FERMA_CALLBACK: c_int = 4;
/// Ferma's cashbox statistics (§7).
pub const OFDKIT_RESPONSE_FERMA_CASHBOX_STATS: c_int = 5;
/// An application (registration API §§2.1–2.6).
pub const OFDKIT_RESPONSE_OFD_APPLICATION: c_int = 6;
/// A list of applications (§2.3): a JSON array.
pub const OFDKIT_RESPONSE_OFD_APPLICATION_LIST: c_int = 7;
/// A partner registration's answer (appendix 1): `{"agreement"}`.
pub const OFDKIT_RESPONSE_OFD_PARTNER: c_int = 8;

fn vat_type(value: &str) -> Result<VatType, Fail> {
    value.parse().map_err(|e: ofdkit_core::codes::UnknownCode| Fail::argument(format!("vat_type: {e}")))
}

/// The request as Ferma expects it, sent as `operation`: the document
/// under its operation's member, codes and money canonical. On success
/// `*wire_out` is the JSON (free with `ofdkit_string_free`); with errors it
/// stays NULL and the status is `OFDKIT_E_INVALID_REQUEST`. `violations_out`
/// may be NULL; otherwise it receives the warnings, or the errors.
///
/// # Safety
/// `json` points to `json_len` bytes; `operation` is NUL-terminated;
/// `wire_out` is valid for a write; `violations_out` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_normalize_receipt(
    json: *const c_char,
    json_len: usize,
    operation: *const c_char,
    wire_out: *mut *mut c_char,
    violations_out: *mut *mut OfdkitViolations,
) -> c_int {
    guard(|| {
        let wire = out(wire_out, "wire_out")?;
        let operation = self::operation(text(operation, "operation")?)?;
        let input = input(json, json_len, "json")?;
        let (status, violations) = match ferma::normalize_receipt_json(input, operation) {
            Ok(checked) => {
                *wire = give(checked.value);
                (OFDKIT_OK, checked.warnings)
            }
            Err(ofdkit_core::Error::Invalid(violations)) => (status_of(ErrorCode::InvalidRequest), violations),
            Err(e) => return Err(e.into()),
        };
        if violations_out.is_null() {
            if status != OFDKIT_OK {
                return Err(ofdkit_core::Error::Invalid(violations).into());
            }
            return Ok(OFDKIT_OK);
        }
        let slot = out(violations_out, "violations_out")?;
        let delivered = deliver(&violations, slot);
        Ok(if status == OFDKIT_OK { OFDKIT_OK } else { delivered })
    })
}

/// Parses an answer of either API (`OFDKIT_RESPONSE_*`) with its HTTP
/// status into canonical JSON (free with `ofdkit_string_free`). An error
/// the API answered with, an unexpected status or an unreadable body is
/// the matching status (`OFDKIT_E_API`, `_AUTH`, `_CASHBOX`,
/// `_DUPLICATE_EXTERNAL_ID`, `_NOT_FOUND`, `_HTTP_STATUS`,
/// `_UNEXPECTED_RESPONSE`, …) with the details in `ofdkit_last_error_details()`.
///
/// # Safety
/// `body` points to `body_len` bytes; `json_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_parse_response(
    kind: c_int,
    body: *const c_char,
    body_len: usize,
    http_status: c_int,
    json_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(json_out, "json_out")?;
        let status = u16::try_from(http_status)
            .map_err(|_| Fail::argument(format!("http_status {http_status} is not an HTTP status")))?;
        let response = HttpResponse::new(status, input(body, body_len, "body")?.bytes().to_vec());
        let kind = match kind {
            OFDKIT_RESPONSE_FERMA_TOKEN => AnswerKind::Token,
            OFDKIT_RESPONSE_FERMA_CREATE => AnswerKind::Create,
            OFDKIT_RESPONSE_FERMA_REPORT => AnswerKind::Report,
            OFDKIT_RESPONSE_FERMA_CALLBACK => AnswerKind::Callback,
            OFDKIT_RESPONSE_FERMA_CASHBOX_STATS => AnswerKind::CashboxStats,
            OFDKIT_RESPONSE_OFD_APPLICATION => AnswerKind::Application,
            OFDKIT_RESPONSE_OFD_APPLICATION_LIST => AnswerKind::ApplicationList,
            OFDKIT_RESPONSE_OFD_PARTNER => AnswerKind::Partner,
            other => return Err(Fail::argument(format!("kind {other} is not an OFDKIT_RESPONSE_* value"))),
        };
        let result = kind.read(&response);
        *slot = give(result?);
        Ok(OFDKIT_OK)
    })
}

/// The VAT included in `sum` (a decimal string, "1234.50") at `vat_type`
/// (`"vat20"`, …), rounded half-up to the kopeck, as a decimal string with
/// two fraction digits (free with `ofdkit_string_free`).
///
/// # Safety
/// `sum` and `vat_type` are NUL-terminated; `vat_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_vat(sum: *const c_char, vat_type: *const c_char, vat_out: *mut *mut c_char) -> c_int {
    guard(|| {
        let slot = out(vat_out, "vat_out")?;
        let sum: Amount = text(sum, "sum")?.parse().map_err(|e| Fail::argument(format!("sum: {e}")))?;
        *slot = give(ofdkit_core::vat::vat_of(sum, self::vat_type(text(vat_type, "vat_type")?)?).to_string());
        Ok(OFDKIT_OK)
    })
}

/// The VAT in kopecks of `sum_kopecks` at `vat_type`, rounded half-up.
///
/// # Safety
/// `vat_type` is NUL-terminated; `vat_kopecks_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_vat_kopecks(
    sum_kopecks: i64,
    vat_type: *const c_char,
    vat_kopecks_out: *mut i64,
) -> c_int {
    guard(|| {
        let slot = out_value(vat_kopecks_out, "vat_kopecks_out")?;
        let sum = Amount::from_kopecks(sum_kopecks).map_err(|e| Fail::argument(format!("sum_kopecks: {e}")))?;
        *slot = ofdkit_core::vat::vat_of(sum, self::vat_type(text(vat_type, "vat_type")?)?).kopecks();
        Ok(OFDKIT_OK)
    })
}

/// Fills a receipt request's item VAT sums, `vats` and `total` from its
/// items' sums and rates, and returns the request as JSON (free with
/// `ofdkit_string_free`). A request that cannot be read is
/// `OFDKIT_E_INVALID_REQUEST` with the violations in the details.
///
/// # Safety
/// `json` points to `json_len` bytes; `json_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_fill_totals(json: *const c_char, json_len: usize, json_out: *mut *mut c_char) -> c_int {
    guard(|| {
        let slot = out(json_out, "json_out")?;
        let mut request = ReceiptRequest::from_json_bytes(input(json, json_len, "json")?)?;
        request.receipt.fill_totals()?;
        *slot = give(request.to_wire_json()?);
        Ok(OFDKIT_OK)
    })
}

/// As `ofdkit_fill_totals`, and then a payment of `payment_type` (0 cash,
/// 1 electronic, …) for what the payments leave unpaid; `payments` may be
/// absent. Item sums are kept as given: a discount is an item sum below
/// price × quantity, in exact kopecks.
///
/// # Safety
/// `json` points to `json_len` bytes; `json_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_fill_totals_paying_rest(
    json: *const c_char,
    json_len: usize,
    payment_type: c_int,
    json_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(json_out, "json_out")?;
        let payment_type = u32::try_from(payment_type)
            .ok()
            .and_then(PaymentType::from_number)
            .ok_or_else(|| Fail::argument(format!("payment_type {payment_type} is not a payment type (0 to 9)")))?;
        *slot = give(ferma::fill_totals_json(input(json, json_len, "json")?, Some(payment_type))?.to_wire_json()?);
        Ok(OFDKIT_OK)
    })
}

/// What a registration application's stage and status (`"Initialization"`,
/// `"AwaitingSignature"`) mean, as JSON: `{"stage", "status", "final",
/// "next_step", "advice", "advice_ru", "allowed"}` (`next_step` is one of
/// `prepare_documents`, `sign_documents`, `wait`, `send_secondary_request`,
/// `done`, `failed`; `allowed` lists `update`, `prepare_documents`, `sign`,
/// `read`). Free `*json_out` with `ofdkit_string_free`.
///
/// # Safety
/// `stage` and `status` are NUL-terminated; `json_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_application_state(
    stage: *const c_char,
    status: *const c_char,
    json_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(json_out, "json_out")?;
        let state = ApplicationState::from_names(text(stage, "stage")?, text(status, "status")?)?;
        let summary = serde_json::to_string(&state.summary()).map_err(|e| Fail::argument(e.to_string()))?;
        *slot = give(summary);
        Ok(OFDKIT_OK)
    })
}

/// The value at `pointer` (RFC 6901: `"/payload/fiscal_document_attribute"`,
/// `"/uuids/0"`; `""` for the whole document). A string comes back as its
/// text (unquoted), anything else as its JSON, numbers exactly as written.
/// Free `*value_out` with `ofdkit_string_free`. A missing value is
/// `OFDKIT_E_NOT_FOUND`, and so is an array index RFC 6901 does not allow
/// (`01`, `+1`) and `-`, which names the place past the last element, not
/// a value. A pointer with a `~` not followed by 0 or 1 is
/// `OFDKIT_E_INVALID_ARGUMENT`, and so is a string that holds `\u0000`,
/// which would cut a C string short. The document is read without building a
/// tree of it, and read whole: malformed JSON anywhere is
/// `OFDKIT_E_INVALID_JSON`.
///
/// # Safety
/// `json` points to `json_len` bytes; `pointer` is NUL-terminated;
/// `value_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_json_get(
    json: *const c_char,
    json_len: usize,
    pointer: *const c_char,
    value_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(value_out, "value_out")?;
        let document = input(json, json_len, "json")?;
        let pointer = text(pointer, "pointer")?;
        let value = at_pointer(document.bytes(), pointer, |node| match node.read() {
            Json::String(s) if s.contains('\0') => Err(Fail::argument(format!(
                "the string at {pointer:?} holds \\u0000, which would cut a C string short; read it with a JSON library"
            ))),
            Json::String(s) => Ok(s.into_owned()),
            other => {
                let mut out = String::new();
                other.write_compact(&mut out, Style::Plain);
                Ok(out)
            }
        })?;
        *slot = give(value);
        Ok(OFDKIT_OK)
    })
}

/// The number of elements of the array (or members of the object) at `pointer`.
///
/// # Safety
/// As `ofdkit_json_get`; `length_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_json_length(
    json: *const c_char,
    json_len: usize,
    pointer: *const c_char,
    length_out: *mut usize,
) -> c_int {
    guard(|| {
        let slot = out_value(length_out, "length_out")?;
        let document = input(json, json_len, "json")?;
        *slot = at_pointer(document.bytes(), text(pointer, "pointer")?, |node| {
            let mut n = 0;
            match node.read() {
                Json::Array(mut elements) => {
                    while let Some(element) = elements.next() {
                        element.skip();
                        n += 1;
                    }
                }
                Json::Object(mut entries) => {
                    while let Some((_, value)) = entries.next() {
                        value.skip();
                        n += 1;
                    }
                }
                _ => return Err(Fail::argument("the value is neither an array nor an object")),
            }
            Ok(n)
        })?;
        Ok(OFDKIT_OK)
    })
}

/// The reference tokens of an RFC 6901 pointer, unescaped.
fn pointer_tokens(pointer: &str) -> Result<Vec<String>, Fail> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(Fail::argument(format!("pointer {pointer:?} must be empty or start with /")));
    };
    rest.split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                match (c, c == '~') {
                    (_, false) => out.push(c),
                    (_, true) => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => {
                            return Err(Fail::argument(format!(
                                "pointer {pointer:?}: `~` must be followed by 0 or 1 (RFC 6901 §3)"
                            )))
                        }
                    },
                }
            }
            Ok(out)
        })
        .collect()
}

/// An array index token (RFC 6901 §4): `0`, or digits without a leading
/// zero; no sign. `None` for `-` (past the end) and indices too large to be.
fn array_index(token: &str, pointer: &str) -> Result<Option<usize>, Fail> {
    if token == "-" {
        return Ok(None);
    }
    let digits_only = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || (token.len() > 1 && token.starts_with('0')) {
        return Err(Fail::new(
            ErrorCode::NotFound,
            format!("nothing at {pointer:?}: {token:?} is not an array index (0, or digits without a leading zero)"),
        ));
    }
    Ok(token.parse().ok())
}

/// Finds the value at `pointer` in `document` and hands it to `found`,
/// reading the document through to its end: malformed JSON anywhere is the
/// error, as when the whole document was parsed first.
fn at_pointer<T>(
    document: &[u8],
    pointer: &str,
    found: impl FnOnce(Node<'_, '_>) -> Result<T, Fail>,
) -> Result<T, Fail> {
    let tokens = pointer_tokens(pointer)?;
    let (text, _) =
        ofdkit_core::json::Input::new(document).max_bytes(usize::MAX).text().map_err(ofdkit_core::Error::Json)?;
    let mut reader = Reader::new(text);
    let result = descend(reader.root(), &tokens, pointer, found);
    reader.finish().map_err(ofdkit_core::Error::Json)?;
    result
}

fn descend<T>(
    node: Node<'_, '_>,
    tokens: &[String],
    pointer: &str,
    found: impl FnOnce(Node<'_, '_>) -> Result<T, Fail>,
) -> Result<T, Fail> {
    let Some((token, rest)) = tokens.split_first() else {
        return found(node);
    };
    let missing = || Fail::new(ErrorCode::NotFound, format!("nothing at {pointer:?}"));
    match node.read() {
        Json::Object(mut entries) => {
            while let Some((name, value)) = entries.next() {
                if name == token.as_str() {
                    return descend(value, rest, pointer, found);
                }
            }
            Err(missing())
        }
        Json::Array(mut elements) => {
            let Some(index) = array_index(token, pointer)? else {
                return Err(missing());
            };
            let mut i = 0;
            while let Some(element) = elements.next() {
                if i == index {
                    return descend(element, rest, pointer, found);
                }
                element.skip();
                i += 1;
            }
            Err(missing())
        }
        _ => Err(missing()),
    }
}

/// The full 16-digit KKT registration number from its first 10 digits, the
/// user's INN and the KKT's serial number (its last 6 digits are their CRC).
///
/// # Safety
/// The three strings are NUL-terminated; `number_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_kkt_registration_number(
    first_ten_digits: *const c_char,
    inn: *const c_char,
    serial_number: *const c_char,
    number_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(number_out, "number_out")?;
        let number = ofdkit_core::rules::kkt_registration_number(
            text(first_ten_digits, "first_ten_digits")?,
            text(inn, "inn")?,
            text(serial_number, "serial_number")?,
        )
        .map_err(|e| Fail::argument(e.to_string()))?;
        *slot = give(number);
        Ok(OFDKIT_OK)
    })
}
