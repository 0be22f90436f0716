//! An item of a receipt (table 3.3, tag 1059) and the structures inside it.

use ofdkit_derive::Model;

use crate::catalog::{self, Rule};
use crate::codes::{FederalId, Measure, PaymentMethod, PaymentObject, VatType};
use crate::context::Context;
use crate::datetime::ShortDate;
use crate::decode::Extra;
use crate::error::Error;
use crate::money::{Amount, AtMost, Quantity};
use crate::rules::{Barcode, Digits, Equals, FurMark};
use crate::validate::{chars, max_chars, NOT_EMPTY};
use crate::vat::vat_of;

use super::agent::{AgentInfo, SupplierInfo};

/// One line of a receipt (table 3.3).
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rules = item_rules, schema = super::rules::agent_supplier_schema)]
pub struct Item {
    /// Tag 1030: 1 to 128 characters (FFD).
    #[json(check = chars(1, 128))]
    pub name: String,
    /// Tag 1079: at most 42 949 672.95.
    #[json(check = AtMost(Amount::MAX_ITEM))]
    pub price: Amount,
    /// Tag 1023: at most 99 999.999.
    pub quantity: Quantity,
    /// Tag 1043: at most 42 949 672.95.
    #[json(check = AtMost(Amount::MAX_ITEM))]
    pub sum: Amount,
    /// Tag 2108. Required by table 3.3, but the §3.2 example omits it, so it
    /// is optional here and its absence is reported by the rules.
    #[json(required_by = catalog::MEASURE_REQUIRED)]
    pub measure: Option<Measure>,
    /// Tag 1214; absent means `full_prepayment` (footnote 20).
    pub payment_method: Option<PaymentMethod>,
    /// Tag 1212.
    pub payment_object: PaymentObject,
    /// Tag 1162, in the request's general form (§3) but not in table 3.3.
    pub nomenclature_code: Option<String>,
    /// The item's VAT (table 3.3 `vat`).
    pub vat: ItemVat,
    // Boxed, as are the other large parts few items have, so that an item
    // costs a third of the memory (reading is bounded by a small multiple
    // of the input).
    /// Tag 1223.
    pub agent_info: Option<Box<AgentInfo>>,
    /// The supplier (table 3.3 `supplier_info`, footnote 22).
    pub supplier_info: Option<Box<SupplierInfo>>,
    /// Tag 1191.
    pub user_data: Option<String>,
    /// Tag 1229, never negative (table 3.3).
    pub excise: Option<Amount>,
    /// Tag 1230: the numeric country code, 1 to 3 digits (Ferma pads
    /// shorter codes with spaces).
    #[json(check = Digits { min: 1, max: 3, rule: catalog::COUNTRY_CODE_FORMAT })]
    pub country_code: Option<String>,
    /// Tag 1231: at most 32 characters.
    #[json(check = max_chars(32))]
    pub declaration_number: Option<String>,
    /// Tag 1291.
    pub mark_quantity: Option<MarkQuantity>,
    /// Tag 2102: must be "0".
    #[json(check = Equals("0", catalog::MARK_PROCESSING_MODE_ZERO))]
    pub mark_processing_mode: Option<String>,
    /// Tag 1260.
    pub sectoral_item_props: Option<Vec<SectoralProps>>,
    /// Tag 1163.
    pub mark_code: Option<Box<MarkCode>>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// An item's sum: price × quantity rounded half-up to the kopeck, or an
/// error when it is above an item's maximum of 42 949 672.95 (table 3.3).
///
/// ```
/// use ofdkit::ferma::item_sum;
/// assert_eq!(item_sum("249.90".parse()?, "3".parse()?)?.to_string(), "749.70");
/// assert_eq!(item_sum("0.10".parse()?, "0.335".parse()?)?.to_string(), "0.03");
/// assert!(item_sum("42949672.95".parse()?, "2".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn item_sum(price: Amount, quantity: Quantity) -> Result<Amount, Error> {
    let product = price_times_quantity(price, quantity);
    Amount::from_kopecks(product).ok().filter(|sum| *sum <= Amount::MAX_ITEM).ok_or_else(|| {
        Error::Argument(format!(
            "price {price} × quantity {quantity} is {}.{:02}, above an item's maximum of 42949672.95 (table 3.3)",
            product / 100,
            product % 100
        ))
    })
}

impl Item {
    /// An item with the fields every item needs; the sum is price ×
    /// quantity rounded half-up to the kopeck ([`item_sum`]), an error
    /// above an item's maximum, and the VAT sum is left for
    /// [`Receipt::fill_totals`](super::Receipt::fill_totals) or the builder.
    pub fn new(
        name: impl Into<String>,
        price: Amount,
        quantity: Quantity,
        vat: VatType,
        payment_object: PaymentObject,
        measure: Measure,
    ) -> Result<Self, Error> {
        Ok(Item {
            name: name.into(),
            price,
            quantity,
            sum: item_sum(price, quantity)?,
            measure: Some(measure),
            payment_method: Some(PaymentMethod::FullPayment),
            payment_object,
            nomenclature_code: None,
            vat: ItemVat { vat_type: vat, sum: None, extra: Extra::default() },
            agent_info: None,
            supplier_info: None,
            user_data: None,
            excise: None,
            country_code: None,
            declaration_number: None,
            mark_quantity: None,
            mark_processing_mode: None,
            sectoral_item_props: None,
            mark_code: None,
            extra: Extra::default(),
        })
    }
}

/// price × quantity in kopecks, rounded half-up (may exceed the limits;
/// the caller checks). Both are at most 10 digits, so the product fits.
pub(crate) fn price_times_quantity(price: Amount, quantity: Quantity) -> i64 {
    // Within the limits (10 and 8 digits) the product and its doubling fit
    // an i64, whose division is a single instruction where i128's is a
    // call; the same quotient in i128 covers whatever does not fit.
    let doubled = price.kopecks().checked_mul(quantity.thousandths()).and_then(|p| p.checked_mul(2)?.checked_add(1000));
    if let Some(doubled) = doubled {
        return doubled / 2000;
    }
    let exact = i128::from(price.kopecks()) * i128::from(quantity.thousandths());
    i64::try_from((2 * exact + 1000) / 2000).unwrap_or(i64::MAX)
}

/// The VAT of an item (table 3.3): its rate and, unless the receipt gives
/// `vats`, its sum (tag 1200).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct ItemVat {
    /// The VAT rate (table 3.3 `vat.type`, tags 1102–1107).
    #[json(rename = "type")]
    pub vat_type: VatType,
    /// The item's VAT sum, in rubles: at most 8 integer and 2 fraction digits (table 3.3 `vat.sum`, tag 1200).
    pub sum: Option<Amount>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl ItemVat {
    /// A rate with no sum.
    pub fn new(vat_type: VatType) -> Self {
        ItemVat { vat_type, sum: None, extra: Extra::default() }
    }
}

/// The fraction of a marked item sold (tag 1291): `numerator` parts of
/// `denominator` (tags 1293, 1294).
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rules = mark_quantity_rules)]
pub struct MarkQuantity {
    /// The fraction's numerator (tag 1293).
    pub numerator: u32,
    /// The fraction's denominator (tag 1294).
    pub denominator: u32,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// A sectoral requisite (tags 1260 and 1261): a reference to a federal
/// body's normative act. The same structure serves items and receipts.
#[derive(Clone, Debug, PartialEq, Model)]
pub struct SectoralProps {
    /// The federal executive body's identifier, 001 to 072 (tag 1262, §3.1.7).
    pub federal_id: FederalId,
    /// The act's date, `dd.mm.yy`.
    pub date: ShortDate,
    /// The act's number.
    #[json(check = NOT_EMPTY)]
    pub number: String,
    /// The values the act defines.
    #[json(check = NOT_EMPTY)]
    pub value: String,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The code of a marked item (tag 1163), in exactly one of nine forms.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rules = mark_code_rules)]
pub struct MarkCode {
    /// Tag 1300: a code of unidentified format.
    #[json(check = NOT_EMPTY)]
    pub unknown: Option<String>,
    /// Tag 1301.
    #[json(check = Barcode { digits: 8, name: "EAN-8" })]
    pub ean8: Option<String>,
    /// Tag 1302 (the spec repeats 1301).
    #[json(check = Barcode { digits: 13, name: "EAN-13" })]
    pub ean13: Option<String>,
    /// Tag 1303.
    #[json(check = Barcode { digits: 14, name: "ITF-14" })]
    pub itf14: Option<String>,
    /// Tags 1304/1305. The §3 template spells it `gsIm`, which is read
    /// with a warning and sent as `gs1m`.
    #[json(check = NOT_EMPTY, warn_alias = "gsIm", warn_rule = catalog::MARK_CODE_GS_IM)]
    pub gs1m: Option<String>,
    /// Tag 1306.
    #[json(check = NOT_EMPTY)]
    pub short: Option<String>,
    /// Tag 1307: a fur mark.
    #[json(check = FurMark)]
    pub fur: Option<String>,
    /// Tag 1308.
    #[json(check = NOT_EMPTY)]
    pub egais20: Option<String>,
    /// Tag 1309 (the spec repeats 1308).
    #[json(check = NOT_EMPTY)]
    pub egais30: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl MarkCode {
    /// How many of the nine forms are given.
    pub fn forms_given(&self) -> usize {
        [
            &self.unknown,
            &self.ean8,
            &self.ean13,
            &self.itf14,
            &self.gs1m,
            &self.short,
            &self.fur,
            &self.egais20,
            &self.egais30,
        ]
        .iter()
        .filter(|f| f.is_some())
        .count()
    }
}

fn mark_code_rules(code: &MarkCode, cx: &mut Context) {
    // A form that could not be read is already reported; counting without
    // it would report a second, wrong problem.
    if !cx.is_clean("") {
        return;
    }
    // Tag 1163 holds one code: the forms are alternatives.
    match code.forms_given() {
        1 => {}
        0 => cx.violate(
            catalog::MARK_CODE_EMPTY,
            "must give the code in one of its forms: unknown, ean8, ean13, itf14, gs1m, short, fur, egais20, egais30",
            "должен содержать код в одной из форм: unknown, ean8, ean13, itf14, gs1m, short, fur, egais20, egais30",
        ),
        n => cx.violate(
            catalog::MARK_CODE_SEVERAL_FORMS,
            format!("gives the code in {n} forms; table 3.3 lists them as alternatives, and which one Ferma sends is not documented"),
            format!("содержит код в {n} формах; табл. 3.3 перечисляет их как альтернативы, и какую из них отправит Ferma, не описано"),
        ),
    }
}

fn mark_quantity_rules(q: &MarkQuantity, cx: &mut Context) {
    if !cx.is_clean("") {
        return;
    }
    // Tags 1293/1294: a proper fraction of one unit, both parts positive.
    if q.numerator == 0 || q.denominator == 0 {
        cx.violate(
            catalog::MARK_QUANTITY_FRACTION,
            "numerator and denominator must be positive",
            "числитель и знаменатель должны быть положительными",
        );
    } else if q.numerator >= q.denominator {
        cx.violate(
            catalog::MARK_QUANTITY_FRACTION,
            format!(
                "must be a fraction of one unit: numerator {} must be less than denominator {}",
                q.numerator, q.denominator
            ),
            format!(
                "должно быть долей единицы: числитель {} должен быть меньше знаменателя {}",
                q.numerator, q.denominator
            ),
        );
    }
}

fn item_rules(item: &Item, cx: &mut Context) {
    // Table 3.3: measure is required (value 1).
    if item.measure.is_none() {
        let atol = item.extra.get("measurement_unit").is_some();
        cx.at("measure", |cx| {
            if atol {
                cx.required_because(
                    catalog::MEASURE_REQUIRED,
                    "(table 3.3, tag 2108): ATOL v4's measurement_unit is not read; give the code of §3.1.8, 0 for pieces",
                    "(табл. 3.3, тег 2108): measurement_unit из АТОЛ v4 не читается; укажите код из §3.1.8, 0 — штуки",
                )
            } else {
                cx.required_because(catalog::MEASURE_REQUIRED, "(table 3.3, tag 2108)", "(табл. 3.3, тег 2108)")
            }
        });
    }
    // Footnote 20: an absent payment_method becomes full_prepayment, which is
    // wrong for an ordinary sale.
    if item.payment_method.is_none() {
        cx.at("payment_method", |cx| {
            cx.violate(
                catalog::PAYMENT_METHOD_DEFAULT,
                "is absent, so Ferma records full_prepayment (table 3.3, footnote 20); give full_payment for a sale settled now",
                "не передан, и Ferma запишет full_prepayment (табл. 3.3, сноска 20); для расчёта в момент продажи укажите full_payment",
            )
        });
    }
    // The spec leaves open whether sum may exceed price × quantity; a sum
    // below it is a discount, above it is almost always a mistake.
    if cx.is_clean("price") && cx.is_clean("quantity") && cx.is_clean("sum") {
        let expected = price_times_quantity(item.price, item.quantity);
        if item.sum.kopecks() > expected {
            let expected = Amount::from_kopecks(expected).map_or_else(|_| expected.to_string(), |a| a.to_string());
            cx.at("sum", |cx| {
                cx.violate(
                    catalog::ITEM_SUM_ABOVE_PRICE_QUANTITY,
                    format!("{} is above price × quantity = {expected}; the spec does not forbid it, but it usually means a wrong price or quantity", item.sum),
                    format!("{} больше цены × количество = {expected}; спецификация это не запрещает, но обычно это ошибка в цене или количестве", item.sum),
                )
            });
        }
    }
    // The spec leaves open how exact an item's VAT sum must be: a mismatch
    // is a warning with the expected value.
    if let Some(given) = item.vat.sum {
        if cx.is_clean("sum") && cx.is_clean("vat") {
            let expected = vat_of(item.sum, item.vat.vat_type);
            if given != expected {
                cx.at("vat", |cx| {
                    cx.at("sum", |cx| {
                        vat_mismatch(
                            cx,
                            catalog::ITEM_VAT_SUM_MATCHES_RATE,
                            given,
                            expected,
                            item.vat.vat_type,
                            item.sum,
                        )
                    })
                });
            }
        }
    }
    // Footnote 23: excise is "needed to sell excisable goods".
    let excisable = matches!(
        item.payment_object,
        PaymentObject::Excise | PaymentObject::ExciseMarkedWithoutCode | PaymentObject::ExciseMarkedWithCode
    );
    if excisable && item.excise.is_none() && cx.is_clean("payment_object") {
        cx.at("excise", |cx| {
            cx.violate(
                catalog::EXCISE_FOR_EXCISABLE,
                format!("is not given for an excisable item (payment_object {}): table 3.3, footnote 23, says it is needed to sell excisable goods", item.payment_object),
                format!("не передан для подакцизного товара (payment_object {}): по табл. 3.3, сноска 23, он необходим для реализации подакцизного товара", item.payment_object),
            )
        });
    }
    super::rules::agent_supplier_pair(item.agent_info.is_some(), item.supplier_info.is_some(), cx);
    // Footnote 26: mark_quantity is for marked goods sold by the piece.
    if item.mark_quantity.is_some() && cx.is_clean("measure") && item.measure.is_some_and(|m| m != Measure::Piece) {
        cx.at("mark_quantity", |cx| {
            cx.violate(
                catalog::MARK_QUANTITY_PIECES,
                "is described for items sold by the piece (measure 0) only (table 3.3, footnote 26)",
                "описано только для товаров, продаваемых поштучно (measure 0) (табл. 3.3, сноска 26)",
            )
        });
    }
}

pub(crate) fn vat_mismatch(
    cx: &mut Context,
    rule: &'static Rule,
    given: Amount,
    expected: impl std::fmt::Display,
    vat: VatType,
    base: impl std::fmt::Display,
) {
    let (rate, rate_ru) = match vat.rate() {
        Some(r) => (
            format!("VAT {}/{} of {base}", r.percent, 100 + r.percent),
            format!("НДС {}/{} от {base}", r.percent, 100 + r.percent),
        ),
        None => (format!("{vat} (no VAT) on {base}"), format!("{vat} (без НДС) с {base}")),
    };
    cx.violate(
        rule,
        format!("is {given}, but {rate} is {expected} (rounded half-up to the kopeck); the spec does not say how exact it must be"),
        format!("равно {given}, а {rate_ru} равен {expected} (с округлением до копейки); спецификация не задаёт точность"),
    );
}
