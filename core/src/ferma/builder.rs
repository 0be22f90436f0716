//! A builder for receipts: give the company, the items by name, price and
//! quantity, and how they are paid; it computes every sum, VAT and the
//! total, and checks the result.

use crate::codes::{Measure, Operation, PaymentMethod, PaymentObject, PaymentType, VatType};
use crate::datetime::DateTime;
use crate::error::Error;
use crate::money::{Amount, Quantity};
use crate::violation::Violations;

use super::item::Item;
use super::receipt::{Client, Company, Payment, Receipt, Service};
use super::request::ReceiptRequest;
use super::Checked;

/// The parts of an item a seller knows; the rest is computed.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemSpec {
    /// The item's name (tag 1030).
    pub name: String,
    /// The price in rubles (tag 1079).
    pub price: Amount,
    /// The quantity or weight (tag 1023).
    pub quantity: Quantity,
    /// The VAT rate.
    pub vat: VatType,
    /// What is sold (tag 1212).
    pub payment_object: PaymentObject,
    /// The unit of measure (tag 2108).
    pub measure: Measure,
    /// How it is paid (tag 1214).
    pub payment_method: PaymentMethod,
}

impl ItemSpec {
    /// A commodity sold by the piece and paid in full now.
    pub fn new(name: impl Into<String>, price: Amount, quantity: Quantity, vat: VatType) -> Self {
        ItemSpec {
            name: name.into(),
            price,
            quantity,
            vat,
            payment_object: PaymentObject::Commodity,
            measure: Measure::Piece,
            payment_method: PaymentMethod::FullPayment,
        }
    }
}

/// Builds a [`ReceiptRequest`] that validates.
///
/// ```
/// use ofdkit::codes::{Operation, PaymentType, Sno, VatType};
/// use ofdkit::ferma::{Company, ItemSpec, ReceiptBuilder};
///
/// let checked = ReceiptBuilder::new(Operation::Sell, "order-42",
///         Company::new(Sno::UsnIncome, "7825706086", "https://shop.example.ru"))
///     .client_email("buyer@example.ru")
///     .item(ItemSpec::new("Green tea", "249.90".parse().unwrap(), "2".parse().unwrap(), VatType::Vat20))
///     .pay_rest(PaymentType::Electronic)
///     .build()
///     .unwrap();
/// let receipt = &checked.value.receipt;
/// assert_eq!(receipt.total.unwrap().to_string(), "499.80");
/// assert_eq!(receipt.items[0].vat.sum.unwrap().to_string(), "83.30");
/// assert!(checked.warnings.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct ReceiptBuilder {
    operation: Operation,
    external_id: String,
    company: Company,
    client: Option<Client>,
    items: Vec<Item>,
    payments: Vec<Payment>,
    pay_rest: Option<PaymentType>,
    /// Items that could not be made, reported by `build`.
    refused: Vec<Error>,
    callback_url: Option<String>,
    timestamp: Option<DateTime>,
    cashier: Option<String>,
}

impl ReceiptBuilder {
    /// A builder for a document of an operation, with no items or payments yet.
    pub fn new(operation: Operation, external_id: impl Into<String>, company: Company) -> Self {
        ReceiptBuilder {
            operation,
            external_id: external_id.into(),
            company,
            client: None,
            items: Vec::new(),
            payments: Vec::new(),
            pay_rest: None,
            refused: Vec::new(),
            callback_url: None,
            timestamp: None,
            cashier: None,
        }
    }

    /// The buyer (tag 1256).
    pub fn client(mut self, client: Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The buyer's email, where the electronic receipt goes.
    pub fn client_email(mut self, email: impl Into<String>) -> Self {
        self.client.get_or_insert_with(Client::default).email = Some(email.into());
        self
    }

    /// The buyer's phone, `+7` and ten digits.
    pub fn client_phone(mut self, phone: impl Into<String>) -> Self {
        self.client.get_or_insert_with(Client::default).phone = Some(phone.into());
        self
    }

    /// Adds an item; its sum is price × quantity rounded half-up. A sum
    /// above an item's maximum makes [`ReceiptBuilder::build`] fail.
    pub fn item(mut self, spec: ItemSpec) -> Self {
        match Item::new(spec.name, spec.price, spec.quantity, spec.vat, spec.payment_object, spec.measure) {
            Ok(mut item) => {
                item.payment_method = Some(spec.payment_method);
                self.items.push(item);
            }
            Err(e) => self.refused.push(e),
        }
        self
    }

    /// Adds a fully specified item; its sum is kept as given.
    pub fn raw_item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    /// Adds a payment of a given amount.
    pub fn payment(mut self, payment_type: PaymentType, sum: Amount) -> Self {
        self.payments.push(Payment::new(payment_type, sum));
        self
    }

    /// Pays whatever the other payments leave of the total with `payment_type`.
    pub fn pay_rest(mut self, payment_type: PaymentType) -> Self {
        self.pay_rest = Some(payment_type);
        self
    }

    /// Where Ferma POSTs the result once the document is processed (table 3.2 `callback_url`).
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// When the external system processed the document (table 3.2 `timestamp`).
    pub fn timestamp(mut self, timestamp: DateTime) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// The cashier's name (tag 1021).
    pub fn cashier(mut self, cashier: impl Into<String>) -> Self {
        self.cashier = Some(cashier.into());
        self
    }

    /// Computes the VAT sums, `vats`, the total and the remaining payment,
    /// then checks the request: an error lists every violation.
    pub fn build(mut self) -> Result<Checked<ReceiptRequest>, Error> {
        if !self.refused.is_empty() {
            return Err(self.refused.swap_remove(0));
        }
        let mut receipt = Receipt::new(self.company, self.items, self.payments);
        receipt.client = self.client;
        receipt.cashier = self.cashier;
        receipt.fill_totals()?;
        if let Some(payment_type) = self.pay_rest {
            receipt.pay_rest(payment_type)?;
        }
        let mut request = ReceiptRequest::new(self.external_id, self.operation, receipt);
        request.timestamp = self.timestamp;
        if let Some(url) = self.callback_url {
            request.service = Some(Service { callback_url: Some(url), ..Service::default() });
        }
        let violations = request.violations(self.operation);
        if violations.has_errors() {
            return Err(Error::Invalid(violations));
        }
        let warnings = Violations(violations.into_iter().collect());
        Ok(Checked { value: request, warnings })
    }
}
