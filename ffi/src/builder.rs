//! A receipt builder for C programs without a JSON library: set the
//! company and the client, add items and payments, build. Money is a
//! decimal string ("249.90") or whole kopecks, quantities a decimal string
//! or thousandths: never `double`.

use std::os::raw::{c_char, c_int};

use ofdkit_core::codes::{Code, Measure, Operation, PaymentMethod, PaymentObject, PaymentType, Sno, VatType};
use ofdkit_core::ferma::{Client, Company, ItemSpec, ReceiptBuilder};
use ofdkit_core::money::{Amount, Quantity};

use crate::landing::{guard, status_of, Fail, OFDKIT_OK};
use crate::memory::{give, optional_text, out, text};
use crate::validate::{deliver, operation, OfdkitViolations};

/// A receipt being built (opaque; free with `ofdkit_receipt_builder_free`).
pub struct OfdkitReceiptBuilder {
    operation: Operation,
    external_id: String,
    company: Option<Company>,
    client: Client,
    items: Vec<ItemSpec>,
    payments: Vec<(PaymentType, Amount)>,
    pay_rest: Option<PaymentType>,
    callback_url: Option<String>,
    cashier: Option<String>,
}

fn code<C: Code>(field: &str, value: &str) -> Result<C, Fail> {
    C::parse_any(value)
        .ok_or_else(|| Fail::argument(format!("{field}: {value:?} is not a value of the {} table", C::TABLE.name)))
}

fn number_code<C: Code>(field: &str, value: c_int) -> Result<C, Fail> {
    u32::try_from(value)
        .ok()
        .and_then(C::from_number)
        .ok_or_else(|| Fail::argument(format!("{field}: {value} is not a value of the {} table", C::TABLE.name)))
}

fn amount(field: &str, value: &str) -> Result<Amount, Fail> {
    value.parse().map_err(|e| Fail::argument(format!("{field}: {value:?}: {e}")))
}

/// The builder behind a handle, or an argument error for NULL.
///
/// # Safety
/// `builder` is NULL or a live builder from ofdkit.
unsafe fn this<'a>(builder: *mut OfdkitReceiptBuilder) -> Result<&'a mut OfdkitReceiptBuilder, Fail> {
    builder.as_mut().ok_or_else(|| Fail::argument("builder is NULL"))
}

/// Starts a receipt for `operation` (`"sell"`, …) with its `external_id`.
///
/// # Safety
/// Both strings are NUL-terminated; `builder_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_new(
    operation: *const c_char,
    external_id: *const c_char,
    builder_out: *mut *mut OfdkitReceiptBuilder,
) -> c_int {
    guard(|| {
        let slot = out(builder_out, "builder_out")?;
        let builder = OfdkitReceiptBuilder {
            operation: self::operation(text(operation, "operation")?)?,
            external_id: text(external_id, "external_id")?.to_owned(),
            company: None,
            client: Client::default(),
            items: Vec::new(),
            payments: Vec::new(),
            pay_rest: None,
            callback_url: None,
            cashier: None,
        };
        *slot = Box::into_raw(Box::new(builder));
        Ok(OFDKIT_OK)
    })
}

/// Sets the seller: taxation system (`"osn"`, …), INN, place of settlement.
///
/// # Safety
/// `builder` is a live builder; the strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_set_company(
    builder: *mut OfdkitReceiptBuilder,
    sno: *const c_char,
    inn: *const c_char,
    payment_address: *const c_char,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        let sno: Sno = code("sno", text(sno, "sno")?)?;
        b.company = Some(Company::new(sno, text(inn, "inn")?, text(payment_address, "payment_address")?));
        Ok(OFDKIT_OK)
    })
}

/// Sets the buyer's email and phone (`+7` and ten digits); either may be NULL.
///
/// # Safety
/// `builder` is a live builder; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_set_client(
    builder: *mut OfdkitReceiptBuilder,
    email: *const c_char,
    phone: *const c_char,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        b.client.email = optional_text(email, "email")?.map(str::to_owned);
        b.client.phone = optional_text(phone, "phone")?.map(str::to_owned);
        Ok(OFDKIT_OK)
    })
}

/// Sets the callback URL and the cashier; either may be NULL.
///
/// # Safety
/// `builder` is a live builder; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_set_service(
    builder: *mut OfdkitReceiptBuilder,
    callback_url: *const c_char,
    cashier: *const c_char,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        b.callback_url = optional_text(callback_url, "callback_url")?.map(str::to_owned);
        b.cashier = optional_text(cashier, "cashier")?.map(str::to_owned);
        Ok(OFDKIT_OK)
    })
}

fn item(
    name: &str,
    price: Amount,
    quantity: Quantity,
    vat: &str,
    payment_object: c_int,
    measure: c_int,
    payment_method: Option<&str>,
) -> Result<ItemSpec, Fail> {
    let mut spec = ItemSpec::new(name, price, quantity, code::<VatType>("vat_type", vat)?);
    spec.payment_object = number_code::<PaymentObject>("payment_object", payment_object)?;
    spec.measure = number_code::<Measure>("measure", measure)?;
    if let Some(method) = payment_method {
        spec.payment_method = code::<PaymentMethod>("payment_method", method)?;
    }
    Ok(spec)
}

/// Adds an item: its name, price and quantity as decimal strings
/// ("249.90", "0.3"), VAT rate (`"vat20"`, …), payment object (§3.1.5:
/// 1 a commodity, 4 a service, …), measure (§3.1.8: 0 pieces, 11 kg, …) and
/// payment method (`"full_payment"`, …; NULL for `full_payment`). Its sum
/// is price × quantity rounded half-up to the kopeck.
///
/// # Safety
/// `builder` is a live builder; the strings are NUL-terminated
/// (`payment_method` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_add_item(
    builder: *mut OfdkitReceiptBuilder,
    name: *const c_char,
    price: *const c_char,
    quantity: *const c_char,
    vat_type: *const c_char,
    payment_object: c_int,
    measure: c_int,
    payment_method: *const c_char,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        let price = amount("price", text(price, "price")?)?;
        let quantity_text = text(quantity, "quantity")?;
        let quantity: Quantity =
            quantity_text.parse().map_err(|e| Fail::argument(format!("quantity: {quantity_text:?}: {e}")))?;
        let (name, vat, method) =
            (text(name, "name")?, text(vat_type, "vat_type")?, optional_text(payment_method, "payment_method")?);
        b.items.push(item(name, price, quantity, vat, payment_object, measure, method)?);
        Ok(OFDKIT_OK)
    })
}

/// Adds an item with its price in whole kopecks and its quantity in
/// thousandths (1000 is one piece; 300 is 0.3 kg). Otherwise as
/// `ofdkit_receipt_builder_add_item`.
///
/// # Safety
/// As `ofdkit_receipt_builder_add_item`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_add_item_units(
    builder: *mut OfdkitReceiptBuilder,
    name: *const c_char,
    price_kopecks: i64,
    quantity_thousandths: i64,
    vat_type: *const c_char,
    payment_object: c_int,
    measure: c_int,
    payment_method: *const c_char,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        let price = Amount::from_kopecks(price_kopecks).map_err(|e| Fail::argument(format!("price_kopecks: {e}")))?;
        let quantity = Quantity::from_thousandths(quantity_thousandths)
            .map_err(|e| Fail::argument(format!("quantity_thousandths: {e}")))?;
        let (name, vat, method) =
            (text(name, "name")?, text(vat_type, "vat_type")?, optional_text(payment_method, "payment_method")?);
        b.items.push(item(name, price, quantity, vat, payment_object, measure, method)?);
        Ok(OFDKIT_OK)
    })
}

/// Adds a payment of `payment_type` (0 cash, 1 electronic, … 9) for `sum`,
/// a decimal string.
///
/// # Safety
/// `builder` is a live builder; `sum` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_add_payment(
    builder: *mut OfdkitReceiptBuilder,
    payment_type: c_int,
    sum: *const c_char,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        let kind = number_code::<PaymentType>("payment_type", payment_type)?;
        let sum = amount("sum", text(sum, "sum")?)?;
        b.payments.push((kind, sum));
        Ok(OFDKIT_OK)
    })
}

/// Adds a payment in whole kopecks.
///
/// # Safety
/// `builder` is a live builder.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_add_payment_kopecks(
    builder: *mut OfdkitReceiptBuilder,
    payment_type: c_int,
    sum_kopecks: i64,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        let kind = number_code::<PaymentType>("payment_type", payment_type)?;
        let sum = Amount::from_kopecks(sum_kopecks).map_err(|e| Fail::argument(format!("sum_kopecks: {e}")))?;
        b.payments.push((kind, sum));
        Ok(OFDKIT_OK)
    })
}

/// Pays whatever the other payments leave of the total with `payment_type`.
///
/// # Safety
/// `builder` is a live builder.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_pay_rest(
    builder: *mut OfdkitReceiptBuilder,
    payment_type: c_int,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        b.pay_rest = Some(number_code::<PaymentType>("payment_type", payment_type)?);
        Ok(OFDKIT_OK)
    })
}

/// Computes every sum, VAT sum and the total, checks the receipt, and
/// gives its wire JSON in `*json_out` (free with `ofdkit_string_free`). With
/// an error the status is `OFDKIT_E_INVALID_REQUEST`, `*json_out` stays NULL,
/// and `*violations_out` (which may be NULL) lists the violations;
/// otherwise it lists the warnings. The builder can be built again.
///
/// # Safety
/// `builder` is a live builder; `json_out` is valid for a write;
/// `violations_out` is NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_build(
    builder: *mut OfdkitReceiptBuilder,
    json_out: *mut *mut c_char,
    violations_out: *mut *mut OfdkitViolations,
) -> c_int {
    guard(|| {
        let b = this(builder)?;
        let slot = out(json_out, "json_out")?;
        let company = b
            .company
            .clone()
            .ok_or_else(|| Fail::argument("set the company first (ofdkit_receipt_builder_set_company)"))?;
        let mut builder = ReceiptBuilder::new(b.operation, b.external_id.clone(), company);
        if b.client.email.is_some() || b.client.phone.is_some() {
            builder = builder.client(b.client.clone());
        }
        for item in &b.items {
            builder = builder.item(item.clone());
        }
        for (kind, sum) in &b.payments {
            builder = builder.payment(*kind, *sum);
        }
        if let Some(kind) = b.pay_rest {
            builder = builder.pay_rest(kind);
        }
        if let Some(url) = &b.callback_url {
            builder = builder.callback_url(url.clone());
        }
        if let Some(cashier) = &b.cashier {
            builder = builder.cashier(cashier.clone());
        }
        let (status, violations) = match builder.build() {
            Ok(checked) => {
                *slot = give(checked.value.to_wire_json()?);
                (OFDKIT_OK, checked.warnings)
            }
            Err(ofdkit_core::Error::Invalid(violations)) => {
                (status_of(ofdkit_core::ErrorCode::InvalidRequest), violations)
            }
            Err(e) => return Err(e.into()),
        };
        if violations_out.is_null() {
            return if status == OFDKIT_OK {
                Ok(OFDKIT_OK)
            } else {
                Err(ofdkit_core::Error::Invalid(violations).into())
            };
        }
        let list = out(violations_out, "violations_out")?;
        let delivered = deliver(&violations, list);
        Ok(if status == OFDKIT_OK { OFDKIT_OK } else { delivered })
    })
}

/// Frees a builder. NULL is ignored.
///
/// # Safety
/// `builder` is NULL or a builder from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_receipt_builder_free(builder: *mut OfdkitReceiptBuilder) {
    if !builder.is_null() {
        drop(Box::from_raw(builder));
    }
}
