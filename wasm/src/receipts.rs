//! The Ferma receipts API: validate a receipt or correction, rewrite it as
//! the exact wire JSON, fill its totals, compute VAT and item sums. Money in
//! results is text (`"166.67"`), so no kopeck is lost to a double.

use js_sys::{Array, Object};
use ofdkit::codes::{Code, Operation, PaymentType, VatType};
use ofdkit::ferma;
use ofdkit::vat::vat_of;
use ofdkit::Strictness;
use wasm_bindgen::prelude::*;

use crate::codes::set;
use crate::convert::{amount, quantity, with_text};
use crate::errors::{to_js_violations, Fail};

fn operation(value: Option<String>, default: Operation) -> Result<Operation, Fail> {
    let Some(text) = value else { return Ok(default) };
    text.parse().map_err(|e: ofdkit::codes::UnknownCode| Fail::argument(format!("operation: {e}")))
}

fn vat_type(value: &str) -> Result<VatType, Fail> {
    value.parse().map_err(|e: ofdkit::codes::UnknownCode| Fail::argument(format!("VAT rate: {e}")))
}

fn validate(input: &JsValue, operation: Operation, strict: Option<bool>) -> Result<Array, JsValue> {
    Ok(with_text(input, |json| ferma::validate_receipt_json(json, operation))?
        .map(|v| to_js_violations(&v.with_strictness(strictness(strict))))
        .map_err(Fail::from)?)
}

/// `Strict` when the caller's options say `strict: true`.
pub fn strictness(strict: Option<bool>) -> Strictness {
    if strict == Some(true) {
        Strictness::Strict
    } else {
        Strictness::Spec
    }
}

/// Every violation of a receipt request (an object or JSON text) sent as
/// `operation` (default `sell`); with `strict`, warnings count as errors.
/// Throws only for malformed JSON text or a value JSON cannot hold.
#[wasm_bindgen(js_name = validateReceipt)]
pub fn validate_receipt(input: &JsValue, operation: Option<String>, strict: Option<bool>) -> Result<Array, JsValue> {
    validate(input, self::operation(operation, Operation::Sell)?, strict)
}

/// Every violation of a correction request sent as `operation` (default
/// `sell_correction`; one of the four correction operations).
#[wasm_bindgen(js_name = validateCorrection)]
pub fn validate_correction(input: &JsValue, operation: Option<String>, strict: Option<bool>) -> Result<Array, JsValue> {
    let operation =
        ferma::correction_operation(self::operation(operation, Operation::SellCorrection)?).map_err(Fail::from)?;
    validate(input, operation, strict)
}

/// The request as the exact JSON Ferma expects for `operation`: the document
/// under the operation's member, codes and money in canonical form. Throws
/// `INVALID_REQUEST` with the violations when any is an error.
#[wasm_bindgen(js_name = normalizeReceipt)]
pub fn normalize_receipt(input: &JsValue, operation: Option<String>, strict: Option<bool>) -> Result<String, JsValue> {
    let operation = self::operation(operation, Operation::Sell)?;
    let checked = with_text(input, |json| {
        ferma::normalize_receipt_json(json, operation).and_then(|c| c.require(strictness(strict)))
    })?
    .map_err(Fail::from)?;
    Ok(checked.value)
}

/// Fills every item's VAT sum, the receipt's `vats` and `total` from the
/// items' sums and rates (VAT rounded half-up to the kopeck), and with
/// `pay_rest` (a payment type: 1 electronic, 0 cash, …) a payment of what
/// the payments leave unpaid (then `payments` may be absent). Item sums are
/// kept as given: a discount is a sum below price × quantity. Returns
/// `{json, total, vats: [{type, sum}], items: [{sum, vatSum}], payments:
/// [{type, sum}]}`: the whole request as wire JSON and the computed money as
/// text. Throws `INVALID_REQUEST` when the request cannot be read (a wrong
/// type, a missing item sum, …); its other rules are not checked here.
#[wasm_bindgen(js_name = fillTotals)]
pub fn fill_totals(input: &JsValue, pay_rest: Option<u32>) -> Result<Object, JsValue> {
    let pay_rest = pay_rest
        .map(|n| {
            PaymentType::from_number(n).ok_or_else(|| {
                let names: Vec<&str> = PaymentType::TABLE.entries.iter().map(|e| e.wire).collect();
                Fail::argument(format!("payRest {n} is not a payment type ({})", names.join(", ")))
            })
        })
        .transpose()?;
    let request = with_text(input, |json| ferma::fill_totals_json(json, pay_rest))?.map_err(Fail::from)?;
    let receipt = &request.receipt;
    let result = Object::new();
    set(&result, "json", &JsValue::from_str(&request.to_wire_json()));
    let total = receipt.total.map_or(JsValue::NULL, |t| JsValue::from_str(&t.to_string()));
    set(&result, "total", &total);
    let vats: Array = receipt
        .vats
        .iter()
        .flatten()
        .map(|v| {
            let entry = Object::new();
            set(&entry, "type", &JsValue::from_str(v.vat_type.wire()));
            set(&entry, "sum", &JsValue::from_str(&v.sum.to_string()));
            JsValue::from(entry)
        })
        .collect();
    set(&result, "vats", &vats);
    let items: Array = receipt
        .items
        .iter()
        .map(|item| {
            let entry = Object::new();
            set(&entry, "sum", &JsValue::from_str(&item.sum.to_string()));
            let vat_sum = item.vat.sum.map_or(JsValue::NULL, |s| JsValue::from_str(&s.to_string()));
            set(&entry, "vatSum", &vat_sum);
            JsValue::from(entry)
        })
        .collect();
    set(&result, "items", &items);
    let payments: Array = receipt
        .payments
        .iter()
        .map(|p| {
            let entry = Object::new();
            set(&entry, "type", &JsValue::from(p.payment_type.number().unwrap_or_default()));
            set(&entry, "sum", &JsValue::from_str(&p.sum.to_string()));
            JsValue::from(entry)
        })
        .collect();
    set(&result, "payments", &payments);
    Ok(result)
}

/// The VAT included in `sum` at `rate` (`vat20`, `vat110`, …), rounded
/// half-up to the kopeck, as text: `vat("1000", "vat20")` is `"166.67"`.
#[wasm_bindgen]
pub fn vat(sum: &JsValue, rate: &str) -> Result<String, JsValue> {
    let sum = amount(sum, "sum")?;
    Ok(vat_of(sum, vat_type(rate)?).to_string())
}

/// An item's sum: price × quantity rounded half-up to the kopeck, as text
/// (`itemSum("249.90", "3")` is `"749.70"`). Throws `INVALID_ARGUMENT` above
/// an item's limit of 42949672.95.
#[wasm_bindgen(js_name = itemSum)]
pub fn item_sum(price: &JsValue, quantity: &JsValue) -> Result<String, JsValue> {
    let price = amount(price, "price")?;
    let quantity = self::quantity(quantity, "quantity")?;
    Ok(ferma::item_sum(price, quantity).map_err(Fail::from)?.to_string())
}
