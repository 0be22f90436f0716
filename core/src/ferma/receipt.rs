//! The receipt or correction body (table 3.2) and its parts.

use ofdkit_derive::Model;

use crate::codes::{CorrectionType, DocumentCode, PaymentType, Sno, VatType};
use crate::datetime::{Date, DateTime, ShortDate};
use crate::decode::Extra;
use crate::money::Amount;
use crate::rules::{CallbackUrl, Email, Inn, InnKind, RuPhone};
use crate::validate::{chars, count, max_chars, NOT_EMPTY};

use super::agent::{AgentInfo, SupplierInfo};
use super::item::{Item, SectoralProps};

/// The body under `receipt` or `correction` (table 3.2).
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rules = super::rules::receipt_rules, schema = super::rules::agent_supplier_schema)]
pub struct Receipt {
    /// Tag 1256. Without email or phone the receipt goes to the email
    /// registered in Ferma (footnotes 4 and 5).
    pub client: Option<Client>,
    /// The company (table 3.2 `company`).
    pub company: Company,
    /// Required in the four correction operations, absent elsewhere
    /// (footnote 13).
    pub correction_info: Option<CorrectionInfo>,
    /// Tag 1223. A receipt Ferma splits must carry agents on items only (§3.2).
    pub agent_info: Option<AgentInfo>,
    /// The supplier (table 3.2 `supplier_info`, footnotes 15 and 16).
    pub supplier_info: Option<SupplierInfo>,
    /// Tag 1059.
    #[json(check = count(1, usize::MAX))]
    pub items: Vec<Item>,
    /// Tags 1031/1081: 1 to 10 payments (table 3.2).
    #[json(check = count(1, 10))]
    pub payments: Vec<Payment>,
    /// The receipt's VAT sums by rate. When given, Ferma uses them instead
    /// of the items' VAT sums (table 3.3, `vat`).
    pub vats: Option<Vec<ReceiptVat>>,
    /// Tag 1020. Required (table 3.2), but the §3.2 example omits it, so it
    /// is optional here and its absence is reported by the rules.
    #[json(required_by = crate::catalog::TOTAL_REQUIRED)]
    pub total: Option<Amount>,
    /// Tag 1192: at most 16 characters.
    #[json(check = max_chars(16))]
    pub additional_check_props: Option<String>,
    /// Tag 1021: at most 64 characters.
    #[json(check = max_chars(64))]
    pub cashier: Option<String>,
    /// Tag 1203: the cashier's INN, 12 digits.
    #[json(check = Inn(InnKind::Person))]
    pub cashier_inn: Option<String>,
    /// Tag 1084.
    pub additional_user_props: Option<AdditionalUserProps>,
    /// Tag 1036: at most 20 characters.
    #[json(check = max_chars(20))]
    pub device_number: Option<String>,
    /// Tag 1270.
    pub operating_check_props: Option<OperatingCheckProps>,
    /// Tag 1261.
    pub sectoral_check_props: Option<Vec<SectoralProps>>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl Receipt {
    /// A receipt for `company` with `items` and `payments`; sums, VATs and
    /// the total are left for [`Receipt::fill_totals`].
    pub fn new(company: Company, items: Vec<Item>, payments: Vec<Payment>) -> Self {
        Receipt {
            client: None,
            company,
            correction_info: None,
            agent_info: None,
            supplier_info: None,
            items,
            payments,
            vats: None,
            total: None,
            additional_check_props: None,
            cashier: None,
            cashier_inn: None,
            additional_user_props: None,
            device_number: None,
            operating_check_props: None,
            sectoral_check_props: None,
            extra: Extra::default(),
        }
    }
}

/// The buyer (tag 1256).
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct Client {
    /// Where the electronic receipt goes (takes precedence over the phone).
    #[json(check = Email)]
    pub email: Option<String>,
    /// Tag 1008: `+7` and ten digits, or the receipt never reaches the buyer.
    #[json(check = RuPhone)]
    pub phone: Option<String>,
    /// Tag 1227.
    pub name: Option<String>,
    /// Tag 1228.
    #[json(check = Inn(InnKind::Any))]
    pub inn: Option<String>,
    /// Tag 1243, `dd.mm.yy`.
    pub birthdate: Option<ShortDate>,
    /// Tag 1244.
    pub citizenship: Option<String>,
    /// Tag 1245.
    pub document_code: Option<DocumentCode>,
    /// Tag 1246.
    pub document_data: Option<String>,
    /// Tag 1254.
    pub address: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The seller (table 3.2, `company`).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct Company {
    /// Tag 1117.
    #[json(check = Email)]
    pub email: Option<String>,
    /// Tag 1055.
    pub sno: Sno,
    /// Tag 1018.
    #[json(check = Inn(InnKind::Any))]
    pub inn: String,
    /// Tag 1187: the place of settlement (a shop's site for online sales).
    #[json(check = NOT_EMPTY)]
    pub payment_address: String,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl Company {
    /// A company with no email.
    pub fn new(sno: Sno, inn: impl Into<String>, payment_address: impl Into<String>) -> Self {
        Company { email: None, sno, inn: inn.into(), payment_address: payment_address.into(), extra: Extra::default() }
    }
}

/// What a correction corrects (table 3.2, footnote 13).
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rules = super::rules::correction_info_rules)]
pub struct CorrectionInfo {
    /// Tag 1173.
    #[json(rename = "type")]
    pub correction_type: CorrectionType,
    /// Tag 1178: the date of the corrected settlement, `dd.mm.yyyy`.
    pub base_date: Date,
    /// Tag 1179: the number of the tax authority's instruction.
    pub base_number: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// One payment (tags 1031 and 1081).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct Payment {
    /// The form of payment: cash, electronic, prepayment, credit, other or an extended kind (table 3.2
    /// `payments.type`, tag 1031).
    #[json(rename = "type")]
    pub payment_type: PaymentType,
    /// The sum paid, in rubles: at most 8 integer and 2 fraction digits (table 3.2 `payments.sum`, tag 1081).
    pub sum: Amount,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl Payment {
    /// A payment of a sum.
    pub fn new(payment_type: PaymentType, sum: Amount) -> Self {
        Payment { payment_type, sum, extra: Extra::default() }
    }
}

/// The receipt's VAT sum at one rate (table 3.2, `vats`).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct ReceiptVat {
    /// The VAT rate (table 3.2 `vats.type`, tags 1102–1107).
    #[json(rename = "type")]
    pub vat_type: VatType,
    /// The VAT sum at this rate, in rubles: at most 8 integer and 2 fraction digits (table 3.2 `vats.sum`).
    pub sum: Amount,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl ReceiptVat {
    /// The VAT sum at a rate.
    pub fn new(vat_type: VatType, sum: Amount) -> Self {
        ReceiptVat { vat_type, sum, extra: Extra::default() }
    }
}

/// The user's additional requisite (tag 1084): name and value together
/// (footnotes 17 and 18).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct AdditionalUserProps {
    /// Tag 1085: at most 64 characters.
    #[json(check = chars(1, 64))]
    pub name: String,
    /// Tag 1086: at most 256 characters.
    #[json(check = chars(1, 256))]
    pub value: String,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The operational requisite of the receipt (tag 1270).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct OperatingCheckProps {
    /// Tag 1271: the operation's identifier.
    #[json(check = NOT_EMPTY)]
    pub name: String,
    /// Tag 1272: the operation's data.
    #[json(check = NOT_EMPTY)]
    pub value: String,
    /// Tag 1273: the operation's date and time.
    pub timestamp: DateTime,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The service section (table 3.2).
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct Service {
    /// Where Ferma POSTs the result once the document is `done` or `fail`.
    #[json(check = CallbackUrl)]
    pub callback_url: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}
