//! The Ferma receipts API: validate a receipt or correction, rewrite it as
//! the exact wire JSON, fill its totals, compute VAT and item sums. Money in
//! results is text (`"166.67"`), so no kopeck is lost to a double.

use js_sys::{Array, Object};
use ofdkit::codes::{Code, Measure, Operation, PaymentObject, VatType};
use ofdkit::ferma::{self, Item, ReceiptRequest};
use ofdkit::vat::vat_of;
use wasm_bindgen::prelude::*;

use crate::codes::set;
use crate::convert::{amount, quantity, with_text};
use crate::errors::{to_js_violations, Fail};

fn operation(value: Option<String>, default: Operation) -> Result<Operation, Fail> {
    let Some(text) = value else { return Ok(default) };
    text.parse().map_err(|_| {
        let names: Vec<&str> = Operation::TABLE.entries.iter().map(|e| e.wire).collect();
        Fail::argument(format!("operation {text:?} is not one of {}", names.join(", ")))
    })
}

fn vat_type(value: &str) -> Result<VatType, Fail> {
    value.parse().map_err(|_| {
        let names: Vec<&str> = VatType::TABLE.entries.iter().map(|e| e.wire).collect();
        Fail::argument(format!("VAT rate {value:?} is not one of {}", names.join(", ")))
    })
}

fn validate(input: &JsValue, operation: Operation) -> Result<Array, JsValue> {
    Ok(with_text(input, |json| ferma::validate_receipt_json(json, operation))?
        .map(|v| to_js_violations(&v))
        .map_err(Fail::from)?)
}

/// Every violation of a receipt request (an object or JSON text) sent as
/// `operation` (default `sell`). Throws only for malformed JSON text or a
/// value JSON cannot hold.
#[wasm_bindgen(js_name = validateReceipt)]
pub fn validate_receipt(input: &JsValue, operation: Option<String>) -> Result<Array, JsValue> {
    validate(input, self::operation(operation, Operation::Sell)?)
}

/// Every violation of a correction request sent as `operation` (default
/// `sell_correction`; one of the four correction operations).
#[wasm_bindgen(js_name = validateCorrection)]
pub fn validate_correction(input: &JsValue, operation: Option<String>) -> Result<Array, JsValue> {
    let operation = self::operation(operation, Operation::SellCorrection)?;
    if !operation.is_correction() {
        return Err(Fail::argument(format!(
            "{operation} is not a correction operation: use validateReceipt, or one of sell_correction, \
             sell_refund_correction, buy_correction, buy_refund_correction"
        ))
        .into());
    }
    validate(input, operation)
}

/// The request as the exact JSON Ferma expects for `operation`: the document
/// under the operation's member, codes and money in canonical form. Throws
/// `INVALID_REQUEST` with the violations when any is an error.
#[wasm_bindgen(js_name = normalizeReceipt)]
pub fn normalize_receipt(input: &JsValue, operation: Option<String>) -> Result<String, JsValue> {
    let operation = self::operation(operation, Operation::Sell)?;
    let checked = with_text(input, |json| ferma::normalize_receipt_json(json, operation))?.map_err(Fail::from)?;
    Ok(checked.value)
}

/// Fills every item's VAT sum, the receipt's `vats` and `total` from the
/// items' sums and rates (VAT rounded half-up to the kopeck). Returns
/// `{json, total, vats: [{type, sum}], items: [{sum, vatSum}]}`: the whole
/// request as wire JSON and the computed money as text. Throws
/// `INVALID_REQUEST` when the request cannot be read (a wrong type, a
/// missing item sum, …); its other rules are not checked here.
#[wasm_bindgen(js_name = fillTotals)]
pub fn fill_totals(input: &JsValue) -> Result<Object, JsValue> {
    let mut request = with_text(input, |json| ReceiptRequest::from_json_bytes(json))?.map_err(Fail::from)?;
    request.receipt.fill_totals().map_err(Fail::from)?;
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
    // The core's item constructor owns the rounding rule; only the sum is kept.
    let mut item = Item::new("", price, quantity, VatType::None, PaymentObject::Commodity, Measure::Piece);
    item.recompute_sum().map_err(Fail::from)?;
    Ok(item.sum.to_string())
}
