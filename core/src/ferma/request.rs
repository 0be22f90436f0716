//! The body of a receipt request, `POST {group_code}/{operation}` (§3).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::catalog;
use crate::codes::Operation;
use crate::context::{Context, Mode};
use crate::datetime::DateTime;
use crate::decode::{expect_object, unknown_member, Extra, FromJson, Placeholder, Slot};
use crate::json::{member_name_chars, Node, WireLength};
use crate::validate::{Check, Validate, NOT_EMPTY};

use super::receipt::{Receipt, Service};

/// Under which member the document travels: `receipt` for sales and
/// purchases, `correction` for the four correction operations (§3, the
/// examples of §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKey {
    /// `receipt`: sales and purchases.
    Receipt,
    /// `correction`: the four correction operations.
    Correction,
}

impl DocumentKey {
    /// The member's name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKey::Receipt => "receipt",
            DocumentKey::Correction => "correction",
        }
    }

    /// The member an operation's document belongs under.
    pub fn for_operation(operation: Operation) -> Self {
        if operation.is_correction() {
            DocumentKey::Correction
        } else {
            DocumentKey::Receipt
        }
    }
}

/// A whole receipt request: what is POSTed to `{group_code}/{operation}`.
///
/// ```
/// use ofdkit::ferma::ReceiptRequest;
/// let request = ReceiptRequest::from_json_str(r#"{
///   "external_id": "order-17",
///   "receipt": {
///     "client": {"email": "buyer@example.ru"},
///     "company": {"sno": "osn", "inn": "7825706086", "payment_address": "https://shop.example.ru"},
///     "items": [{"name": "Tea", "price": 100, "quantity": 1, "sum": 100, "measure": 0,
///                "payment_method": "full_payment", "payment_object": "commodity",
///                "vat": {"type": "vat20", "sum": 16.67}}],
///     "payments": [{"type": 1, "sum": 100}],
///     "total": 100
///   }
/// }"#).unwrap();
/// assert_eq!(request.receipt.items[0].payment_object.to_string(), "1");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiptRequest {
    /// When the external system processed the document, `dd.mm.yyyy HH:MM:SS`.
    pub timestamp: Option<DateTime>,
    /// The document's identifier, unique in the cashbox group: Ferma
    /// rejects a second request with a known one (table 3.2).
    pub external_id: String,
    /// The service section: the callback URL (table 3.2 `service`).
    pub service: Option<Service>,
    /// Under which member the document travels.
    pub document_key: DocumentKey,
    /// The document, under `receipt` or `correction` (table 3.2).
    pub receipt: Receipt,
    /// Members the spec does not describe, kept as given.
    pub extra: Extra,
}

impl ReceiptRequest {
    /// A request for `operation`, its document under the operation's member.
    pub fn new(external_id: impl Into<String>, operation: Operation, receipt: Receipt) -> Self {
        ReceiptRequest {
            timestamp: None,
            external_id: external_id.into(),
            service: None,
            document_key: DocumentKey::for_operation(operation),
            receipt,
            extra: Extra::default(),
        }
    }
}

impl FromJson for ReceiptRequest {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        let mut members = expect_object(value, cx)?;
        let mut timestamp: Slot<DateTime> = Slot::Absent;
        let mut external_id: Slot<String> = Slot::Absent;
        let mut service: Slot<Service> = Slot::Absent;
        let mut receipt: Slot<Receipt> = Slot::Absent;
        let mut correction: Slot<Receipt> = Slot::Absent;
        let mut extra = Extra::default();
        while let Some((key, value)) = members.next() {
            let key: &str = &key;
            match key {
                "timestamp" => timestamp.fill("timestamp", value, cx),
                "external_id" => external_id.fill("external_id", value, cx),
                "service" => service.fill("service", value, cx),
                "receipt" => receipt.fill("receipt", value, cx),
                "correction" => correction.fill("correction", value, cx),
                _ => unknown_member(key, value, Some(&mut extra), cx),
            }
        }
        let external_id = external_id.required("external_id", cx);
        let given = |slot: &Slot<Receipt>| !matches!(slot, Slot::Absent | Slot::Null);
        let (document_key, receipt) = match (given(&receipt), given(&correction)) {
            (true, true) => {
                cx.at("correction", |cx| {
                    cx.not_allowed(
                        catalog::ONE_DOCUMENT,
                        "together with receipt: a request carries one document",
                        "вместе с receipt: запрос содержит один документ",
                    );
                    cx.taint();
                });
                (DocumentKey::Receipt, receipt.required("receipt", cx))
            }
            (false, true) => (DocumentKey::Correction, correction.required("correction", cx)),
            _ => (DocumentKey::Receipt, receipt.required("receipt", cx)),
        };
        Some(ReceiptRequest {
            timestamp: timestamp.optional(),
            external_id,
            service: service.optional(),
            document_key,
            receipt,
            extra,
        })
    }
}

impl Placeholder for ReceiptRequest {
    fn placeholder() -> Self {
        ReceiptRequest {
            timestamp: None,
            external_id: String::new(),
            service: None,
            document_key: DocumentKey::Receipt,
            receipt: Receipt::placeholder(),
            extra: Extra::default(),
        }
    }
}

impl Validate for ReceiptRequest {
    fn validate(&self, cx: &mut Context) {
        cx.at("external_id", |cx| NOT_EMPTY.check(&self.external_id, cx));
        cx.push_key("service");
        self.service.validate(cx);
        cx.pop();
        let key = self.document_key.as_str();
        cx.facts.correction_document =
            Some(cx.facts.operation.map_or(self.document_key == DocumentKey::Correction, Operation::is_correction));
        if let Some(operation) = cx.facts.operation {
            let expected = DocumentKey::for_operation(operation);
            if expected != self.document_key && cx.mode() == Mode::Request {
                cx.at(key, |cx| {
                    cx.violate(
                        catalog::DOCUMENT_MEMBER,
                        format!("a {operation} document goes under \"{}\" (§3); it is sent there", expected.as_str()),
                        format!(
                            "документ операции {operation} передаётся в \"{}\" (§3); он будет отправлен там",
                            expected.as_str()
                        ),
                    )
                });
            }
        }
        cx.push_key(key);
        self.receipt.validate(cx);
        cx.pop();
    }
}

impl Serialize for ReceiptRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        AsSent { request: self, document_key: self.document_key }.serialize(serializer)
    }
}

/// A request written with its document under `document_key`, whatever
/// member it was given in: what the client sends for an operation (§3),
/// without copying the request to move the document.
pub(crate) struct AsSent<'a> {
    pub request: &'a ReceiptRequest,
    pub document_key: DocumentKey,
}

impl Serialize for AsSent<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let request = self.request;
        let len =
            2 + usize::from(request.timestamp.is_some()) + usize::from(request.service.is_some()) + request.extra.len();
        let mut map = serializer.serialize_map(Some(len))?;
        if let Some(timestamp) = &request.timestamp {
            map.serialize_entry("timestamp", timestamp)?;
        }
        map.serialize_entry("external_id", &request.external_id)?;
        if let Some(service) = &request.service {
            map.serialize_entry("service", service)?;
        }
        map.serialize_entry(self.document_key.as_str(), &request.receipt)?;
        request.extra.serialize_members(&mut map)?;
        map.end()
    }
}

/// The length of what `Serialize` writes, member by member.
impl WireLength for AsSent<'_> {
    fn wire_chars(&self) -> usize {
        let request = self.request;
        let mut chars = 2 + member_name_chars("external_id") + request.external_id.wire_chars();
        // The kept members come with the commas between them.
        let mut members = 2 + usize::from(!request.extra.is_empty());
        if let Some(timestamp) = &request.timestamp {
            chars += member_name_chars("timestamp") + timestamp.wire_chars();
            members += 1;
        }
        if let Some(service) = &request.service {
            chars += member_name_chars("service") + service.wire_chars();
            members += 1;
        }
        chars += member_name_chars(self.document_key.as_str()) + request.receipt.wire_chars();
        chars += request.extra.members_chars();
        // A comma between each two members.
        chars + members - 1
    }
}

impl<'de> serde::Deserialize<'de> for ReceiptRequest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json(deserializer)
    }
}
