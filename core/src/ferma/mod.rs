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
pub mod atol;
mod builder;
mod item;
mod receipt;
mod request;
mod rules;
mod split;
mod totals;

pub use agent::{AgentInfo, MoneyTransferOperator, PayingAgent, ReceivePaymentsOperator, SupplierInfo};
pub use answer::{
    CashboxInfo, CashboxStats, CreateResponse, ErrorBody, FiscalPayload, Report, SplitReceipt, TokenRequest,
    TokenResponse,
};
pub use builder::{ItemSpec, ReceiptBuilder};
pub use item::{item_sum, Item, ItemVat, MarkCode, MarkQuantity, SectoralProps};
pub use receipt::{
    AdditionalUserProps, Client, Company, CorrectionInfo, OperatingCheckProps, Payment, Receipt, ReceiptVat, Service,
};
pub use request::{DocumentKey, ReceiptRequest};
pub use rules::SPLIT_THRESHOLD_CHARS;
pub use split::{wire_chars_bound, wire_chars_bound_of};

use crate::codes::{Operation, PaymentType};
use crate::context::{Context, Mode};
use crate::decode::{decode_document, decode_json, decode_json_in_place, decode_source_in_place};
use crate::error::Error;
use crate::json::{Input, JsonError, Source, Value, WireLength};
use crate::validate::Validate;
use crate::violation::{Strictness, Violations};

/// A value that passed validation, with the warnings it still deserves.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked<T> {
    /// The value.
    pub value: T,
    /// The warnings it still has.
    pub warnings: Violations,
}

impl<T> Checked<T> {
    /// The value, unless `strictness` is [`Strictness::Strict`] and it has
    /// warnings: then every warning is an error and the value is refused as
    /// one with errors would be.
    ///
    /// ```
    /// use ofdkit::codes::Operation;
    /// use ofdkit::{ferma, Strictness};
    /// let json = std::fs::read("../examples/receipt.json").unwrap();
    /// let checked = ferma::normalize_receipt_json(&json, Operation::Sell).unwrap();
    /// assert!(checked.require(Strictness::Strict).is_ok()); // no warnings either
    /// ```
    pub fn require(self, strictness: Strictness) -> Result<Self, Error> {
        if strictness == Strictness::Strict && !self.warnings.is_empty() {
            return Err(Error::Invalid(self.warnings.with_strictness(strictness)));
        }
        Ok(self)
    }
}

/// Characters (not bytes) of the request's wire JSON, which is what Ferma
/// measures against its 20 000-character split threshold (§3.2).
pub fn wire_chars(request: &ReceiptRequest) -> usize {
    request::AsSent { request, document_key: request.document_key }.wire_chars()
}

/// Characters of what is sent for `operation`: the wire JSON with the
/// document under the operation's member (§3), where the client and
/// [`normalize_receipt_json`] put it, whatever member it was given in. The
/// split rule (§3.2) measures this, so that validating and normalising a
/// request warn alike.
fn sent_chars(request: &ReceiptRequest, operation: Operation) -> usize {
    request::AsSent { request, document_key: DocumentKey::for_operation(operation) }.wire_chars()
}

/// The exact JSON Ferma expects for `request`: absent fields omitted, codes
/// and money in their canonical forms. The models' writers have no failing
/// case (every map key is text); should one appear, the error says so
/// rather than an empty body going out.
pub fn to_wire_json(request: &ReceiptRequest) -> Result<String, Error> {
    serde_json::to_string(request).map_err(|e| Error::Internal(format!("the request could not be written: {e}")))
}

/// Checks a typed request sent as `operation` and returns every violation.
pub fn validate_receipt(request: &ReceiptRequest, operation: Operation) -> Violations {
    let mut cx = Context::new(Mode::Request);
    check(request, operation, Some(sent_chars(request, operation)), &mut cx);
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
    check_decoded(model, cx, operation, false)
}

/// Reads and checks a request given as JSON text (over the size limit it
/// is an error, with nothing parsed). Returns the model, which holds
/// placeholders where values were unreadable, and every violation.
pub fn check_receipt_json<'a>(
    json: impl Into<Input<'a>>,
    operation: Operation,
) -> Result<(ReceiptRequest, Violations), JsonError> {
    let input = json.into();
    let (model, cx) = decode_json::<ReceiptRequest>(input, Mode::Request)?;
    let unsplit = split::certainly_unsplit(input.bytes());
    Ok(check_decoded(model, cx, operation, unsplit))
}

/// Every violation of a request held as a binding's own objects, read by
/// `source` (see [`crate::json::Source`]); they mean nothing if the source
/// stopped.
pub fn validate_receipt_source<'a>(source: &'a mut (dyn Source<'a> + 'a), operation: Operation) -> Violations {
    decode_source_in_place::<ReceiptRequest, _>(source, Mode::Request, |model, cx, extent| {
        checked(model, cx, operation, split::certainly_unsplit_extent(extent))
    })
}

/// `unsplit`: the request is known to be under the split threshold, so
/// its length need not be counted.
fn check_decoded(
    model: ReceiptRequest,
    cx: Context,
    operation: Operation,
    unsplit: bool,
) -> (ReceiptRequest, Violations) {
    let violations = checked(&model, cx, operation, unsplit);
    (model, violations)
}

fn checked(model: &ReceiptRequest, mut cx: Context, operation: Operation, unsplit: bool) -> Violations {
    // A request with unreadable values has no wire form yet.
    let chars = (!cx.has_errors() && !unsplit).then(|| sent_chars(model, operation));
    check(model, operation, chars, &mut cx);
    cx.into_violations()
}

/// Reads and checks a request given as JSON text and returns every
/// violation (an empty list for a perfect request). Malformed JSON is an
/// error with its line and column; text over the size limit
/// ([`crate::json::DEFAULT_MAX_INPUT_BYTES`] unless the [`Input`] says
/// otherwise) is an error before anything is parsed.
pub fn validate_receipt_json<'a>(json: impl Into<Input<'a>>, operation: Operation) -> Result<Violations, JsonError> {
    let input = json.into();
    let unsplit = split::certainly_unsplit(input.bytes());
    decode_json_in_place::<ReceiptRequest, _>(input, Mode::Request, |model, cx| checked(model, cx, operation, unsplit))
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
    let wire = if readable { to_wire_json(&model)? } else { String::new() };
    // Characters are at most bytes: a short wire form need not be counted.
    let chars = (readable && wire.len() > SPLIT_THRESHOLD_CHARS).then(|| wire.chars().count());
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

/// `operation` if it is one of the four corrections (§3), for entry points
/// that check corrections only; otherwise an argument error that names them.
pub fn correction_operation(operation: Operation) -> Result<Operation, Error> {
    use crate::codes::Code;
    if operation.is_correction() {
        return Ok(operation);
    }
    let corrections: Vec<&str> = Operation::ALL.iter().filter(|o| o.is_correction()).map(|o| o.wire()).collect();
    Err(Error::Argument(format!(
        "{operation} is not a correction operation ({}); validate it as a receipt",
        corrections.join(", ")
    )))
}

/// Reads a request given as JSON text and fills every item's VAT sum,
/// `vats` and `total` ([`Receipt::fill_totals`]); with `pay_rest`, also a
/// payment of that type for what the payments leave unpaid
/// ([`Receipt::pay_rest`]), and then `payments` may be absent. Item sums are
/// kept as given: a discount is an item sum below price × quantity, in
/// exact kopecks. Fails where a value cannot be read, as
/// [`ReceiptRequest::from_json_bytes`] does.
pub fn fill_totals_json<'a>(
    json: impl Into<Input<'a>>,
    pay_rest: Option<PaymentType>,
) -> Result<ReceiptRequest, Error> {
    let (request, cx) = decode_json::<ReceiptRequest>(json, Mode::Request)?;
    fill_decoded(request, cx, pay_rest)
}

/// [`fill_totals_json`] for a request given as a JSON value tree.
pub fn fill_totals_value(value: &Value<'_>, pay_rest: Option<PaymentType>) -> Result<ReceiptRequest, Error> {
    let (request, cx) = decode_document::<ReceiptRequest>(value, Mode::Request);
    fill_decoded(request, cx, pay_rest)
}

fn fill_decoded(
    mut request: ReceiptRequest,
    cx: Context,
    pay_rest: Option<PaymentType>,
) -> Result<ReceiptRequest, Error> {
    let key = request.document_key.as_str();
    let payments_absent = |v: &crate::Violation| {
        pay_rest.is_some() && v.code == crate::ViolationCode::Required && v.path == format!("{key}.payments")
    };
    let errors: Vec<crate::Violation> =
        cx.into_violations().into_iter().filter(|v| v.is_error() && !payments_absent(v)).collect();
    if !errors.is_empty() {
        return Err(Error::Invalid(Violations(errors)));
    }
    request.receipt.fill_totals()?;
    if let Some(payment_type) = pay_rest {
        request.receipt.pay_rest(payment_type)?;
    }
    Ok(request)
}

impl ReceiptRequest {
    /// Reads a request from JSON text without checking the API's rules:
    /// fails only where a value cannot be represented (a wrong type, an
    /// unknown code, a missing required member, money that does not fit).
    pub fn from_json_str(json: &str) -> Result<Self, Error> {
        Self::from_json_bytes(json.as_bytes())
    }

    /// Like [`ReceiptRequest::from_json_str`], from bytes.
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

    /// The exact JSON Ferma expects (see [`to_wire_json`]).
    pub fn to_wire_json(&self) -> Result<String, Error> {
        to_wire_json(self)
    }

    /// Every violation of this request sent as `operation`.
    pub fn violations(&self, operation: Operation) -> Violations {
        validate_receipt(self, operation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_totals_can_pay_the_rest_when_payments_are_absent() {
        let json = br#"{"external_id": "1", "receipt": {
            "company": {"sno": "osn", "inn": "7825706086", "payment_address": "shop"},
            "items": [{"name": "Tea", "price": 150, "quantity": 2, "sum": 270, "measure": 0,
                       "payment_method": "full_payment", "payment_object": 1, "vat": {"type": "vat20"}}]}}"#;
        let value = crate::json::parse_bytes(json).unwrap();
        let filled = fill_totals_value(&value, Some(PaymentType::Electronic)).unwrap();
        assert_eq!(filled.receipt.total.unwrap().to_string(), "270.00");
        assert_eq!(filled.receipt.payments.len(), 1);
        assert_eq!(filled.receipt.payments[0].sum.to_string(), "270.00");
        assert_eq!(filled.receipt.items[0].vat.sum.unwrap().to_string(), "45.00");
        assert!(validate_receipt(&filled, Operation::Sell).iter().all(|v| !v.is_error()));
        // Without pay_rest the payments are still required.
        let refused = fill_totals_value(&value, None).unwrap_err();
        assert!(refused.violations().unwrap().iter().any(|v| v.path == "receipt.payments"));
    }
}
