//! The Ferma receipts API (ferma-api.ru.md): request and answer models,
//! their rules, and the entry points that read, check and write receipts.
//!
//! ```
//! use ofdkit::codes::Operation;
//! use ofdkit::ferma;
//!
//! let json = br#"{"external_id": "1", "receipt": {"company": {"sno": "osn",
//!   "inn": "1234567891", "payment_address": "shop"}, "items": [], "payments": []}}"#;
//! let violations = ferma::validate_receipt_json(json, Operation::Sell).unwrap();
//! let company_inn = violations.iter().find(|v| v.path == "receipt.company.inn").unwrap();
//! assert_eq!(company_inn.code.as_str(), "inn_checksum");
//! ```

mod agent;
mod answer;
mod builder;
mod item;
mod receipt;
mod request;
mod rules;
mod totals;

pub use agent::{AgentInfo, MoneyTransferOperator, PayingAgent, ReceivePaymentsOperator, SupplierInfo};
pub use answer::{
    CashboxInfo, CashboxStats, CreateResponse, ErrorBody, FiscalPayload, Report, SplitReceipt, TokenRequest,
    TokenResponse,
};
pub use builder::{ItemSpec, ReceiptBuilder};
pub use item::{Item, ItemVat, MarkCode, MarkQuantity, SectoralProps};
pub use receipt::{
    AdditionalUserProps, Client, Company, CorrectionInfo, OperatingCheckProps, Payment, Receipt, ReceiptVat, Service,
};
pub use request::{DocumentKey, ReceiptRequest};
pub use rules::SPLIT_THRESHOLD_CHARS;

use crate::codes::Operation;
use crate::context::{Context, Mode};
use crate::decode::{decode_document, decode_json};
use crate::error::Error;
use crate::json::{Input, JsonError, Value};
use crate::validate::Validate;
use crate::violation::Violations;

/// A value that passed validation, with the warnings it still deserves.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked<T> {
    pub value: T,
    pub warnings: Violations,
}

/// Characters (not bytes) of the request's wire JSON, which is what Ferma
/// measures against its 20 000-character split threshold (§3.2).
pub fn wire_chars(request: &ReceiptRequest) -> usize {
    struct CountChars(usize);
    impl std::io::Write for CountChars {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            // Count UTF-8 leading bytes: one per character.
            self.0 += buf.iter().filter(|&&b| (b as i8) >= -0x40).count();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = CountChars(0);
    // Writing to the counter cannot fail.
    let _ = serde_json::to_writer(&mut counter, request);
    counter.0
}

/// The exact JSON Ferma expects for `request`: absent fields omitted, codes
/// and money in their canonical forms.
pub fn to_wire_json(request: &ReceiptRequest) -> String {
    // Serializing these models cannot fail: every map key is a string.
    serde_json::to_string(request).unwrap_or_default()
}

/// Checks a typed request sent as `operation` and returns every violation.
pub fn validate_receipt(request: &ReceiptRequest, operation: Operation) -> Violations {
    let mut cx = Context::new(Mode::Request);
    check(request, operation, Some(wire_chars(request)), &mut cx);
    cx.into_violations()
}

fn check(request: &ReceiptRequest, operation: Operation, wire_chars: Option<usize>, cx: &mut Context) {
    cx.start_checking();
    cx.facts.operation = Some(operation);
    cx.facts.wire_chars = wire_chars;
    request.validate(cx);
}

/// Reads and checks a request given as a JSON value tree (bindings build
/// one from their own objects). Returns the model, which holds
/// placeholders where values were unreadable, and every violation.
pub fn check_receipt_value(value: &Value<'_>, operation: Operation) -> (ReceiptRequest, Violations) {
    let (model, cx) = decode_document::<ReceiptRequest>(value, Mode::Request);
    check_decoded(model, cx, operation)
}

/// Reads and checks a request given as JSON text (over the size limit it
/// is an error, with nothing parsed). Returns the model, which holds
/// placeholders where values were unreadable, and every violation.
pub fn check_receipt_json<'a>(
    json: impl Into<Input<'a>>,
    operation: Operation,
) -> Result<(ReceiptRequest, Violations), JsonError> {
    let (model, cx) = decode_json::<ReceiptRequest>(json, Mode::Request)?;
    Ok(check_decoded(model, cx, operation))
}

fn check_decoded(model: ReceiptRequest, mut cx: Context, operation: Operation) -> (ReceiptRequest, Violations) {
    // A request with unreadable values has no wire form yet.
    let wire_chars = (!cx.has_errors()).then(|| wire_chars(&model));
    check(&model, operation, wire_chars, &mut cx);
    (model, cx.into_violations())
}

/// Reads and checks a request given as JSON text and returns every
/// violation (an empty list for a perfect request). Malformed JSON is an
/// error with its line and column; text over the size limit
/// ([`crate::json::DEFAULT_MAX_INPUT_BYTES`] unless the [`Input`] says
/// otherwise) is an error before anything is parsed.
pub fn validate_receipt_json<'a>(json: impl Into<Input<'a>>, operation: Operation) -> Result<Violations, JsonError> {
    Ok(check_receipt_json(json, operation)?.1)
}

/// Reads, checks and rewrites a request as the exact JSON Ferma expects:
/// the document under the operation's member, codes and money canonical.
/// Fails with every violation when any is an error.
pub fn normalize_receipt_json<'a>(json: impl Into<Input<'a>>, operation: Operation) -> Result<Checked<String>, Error> {
    let (model, cx) = decode_json::<ReceiptRequest>(json, Mode::Request)?;
    let (_, wire, warnings) = read_and_check(model, cx, operation)?;
    Ok(Checked { value: wire, warnings })
}

/// [`normalize_receipt_json`] for a request given as a JSON value tree.
pub fn normalize_receipt_value(value: &Value<'_>, operation: Operation) -> Result<Checked<String>, Error> {
    let (model, cx) = decode_document::<ReceiptRequest>(value, Mode::Request);
    let (_, wire, warnings) = read_and_check(model, cx, operation)?;
    Ok(Checked { value: wire, warnings })
}

/// Reads and checks a request; the typed request is returned only when no
/// violation is an error, with the document moved under the operation's member.
pub fn prepare_receipt<'a>(json: impl Into<Input<'a>>, operation: Operation) -> Result<Checked<ReceiptRequest>, Error> {
    let (model, cx) = decode_json::<ReceiptRequest>(json, Mode::Request)?;
    let (model, _, warnings) = read_and_check(model, cx, operation)?;
    Ok(Checked { value: model, warnings })
}

/// [`prepare_receipt`] for a request given as a JSON value tree.
pub fn prepare_receipt_value(value: &Value<'_>, operation: Operation) -> Result<Checked<ReceiptRequest>, Error> {
    let (model, cx) = decode_document::<ReceiptRequest>(value, Mode::Request);
    let (model, _, warnings) = read_and_check(model, cx, operation)?;
    Ok(Checked { value: model, warnings })
}

/// Writes the wire form of a decoded request once (its length feeds the
/// split rule, and it is what gets sent), then checks.
fn read_and_check(
    mut model: ReceiptRequest,
    mut cx: Context,
    operation: Operation,
) -> Result<(ReceiptRequest, String, Violations), Error> {
    let readable = !cx.has_errors();
    let given_key = model.document_key;
    model.document_key = DocumentKey::for_operation(operation);
    let wire = if readable { to_wire_json(&model) } else { String::new() };
    let chars = readable.then(|| wire.chars().count());
    // Check the request as given, so that a misplaced document is reported.
    model.document_key = given_key;
    check(&model, operation, chars, &mut cx);
    model.document_key = DocumentKey::for_operation(operation);
    let violations = cx.into_violations();
    if violations.has_errors() {
        return Err(Error::Invalid(violations));
    }
    Ok((model, wire, violations))
}

impl ReceiptRequest {
    /// Reads a request from JSON text without checking the API's rules:
    /// fails only where a value cannot be represented (a wrong type, an
    /// unknown code, a missing required member, money that does not fit).
    pub fn from_json_str(json: &str) -> Result<Self, Error> {
        Self::from_json_bytes(json.as_bytes())
    }

    pub fn from_json_bytes<'a>(json: impl Into<Input<'a>>) -> Result<Self, Error> {
        let (model, cx) = decode_json::<ReceiptRequest>(json, Mode::Request)?;
        Self::readable(model, cx)
    }

    /// [`ReceiptRequest::from_json_bytes`] for a JSON value tree.
    pub fn from_json_value(value: &Value<'_>) -> Result<Self, Error> {
        let (model, cx) = decode_document::<ReceiptRequest>(value, Mode::Request);
        Self::readable(model, cx)
    }

    fn readable(model: Self, cx: Context) -> Result<Self, Error> {
        if cx.has_errors() {
            let errors = cx.into_violations().into_iter().filter(|v| v.is_error()).collect();
            return Err(Error::Invalid(Violations(errors)));
        }
        Ok(model)
    }

    /// The exact JSON Ferma expects.
    pub fn to_wire_json(&self) -> String {
        to_wire_json(self)
    }

    /// Every violation of this request sent as `operation`.
    pub fn violations(&self, operation: Operation) -> Violations {
        validate_receipt(self, operation)
    }
}
