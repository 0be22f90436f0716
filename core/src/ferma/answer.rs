//! Ferma's answers: the token (§2), the created document (§3.1.3, §3.2),
//! the processing report and callback body (§4), errors, and the cashbox
//! statistics (§7). They parse leniently: members the spec does not list
//! are kept, values the spec types loosely (numbers sent as strings) are
//! accepted, and a code the tables do not know yet is kept as sent.

use std::fmt;

use ofdkit_derive::Model;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::codes::{Code, ErrorSource, FermaErrorCode, KktState, Lenient, ReceiptStatus, TariffType};
use crate::context::{Context, Expected};
use crate::datetime::{DateTime, IsoDate};
use crate::decode::{unknown_member, Extra, FromJson, Placeholder, Slot};
use crate::json::{Json, Node, Number};
use crate::money::Amount;
use crate::validate::Validate;

/// The token request body (`POST getToken`, §2). `Debug` hides the password.
#[derive(Clone, PartialEq, Model)]
pub struct TokenRequest {
    /// The Ferma login (§2).
    pub login: String,
    /// The Ferma password (§2).
    pub pass: String,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl TokenRequest {
    /// A token request with a login and password.
    pub fn new(login: impl Into<String>, pass: impl Into<String>) -> Self {
        TokenRequest { login: login.into(), pass: pass.into(), extra: Extra::default() }
    }
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest").field("login", &self.login).field("pass", &"***").finish()
    }
}

/// The answer to `getToken` (§2). `timestamp` is when the token stops
/// being valid. `Debug` hides the token.
#[derive(Clone, PartialEq, Model)]
pub struct TokenResponse {
    /// The error, or null when the request succeeded (§2).
    pub error: Option<ErrorBody>,
    /// The authorisation token (§2).
    pub token: Option<String>,
    /// The token's validity time, `dd.mm.yyyy HH:MM:SS` (§2).
    pub timestamp: Option<DateTime>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("error", &self.error)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// An error in an answer (§2, table 3.5, table 4.2). Table 4.1 also calls
/// it a string, so a bare string is read as its text.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ErrorBody {
    /// The error's unique identifier (table 3.5 `error_id`).
    pub error_id: Option<String>,
    /// The error's code, listed in §5 (table 3.5 `code`).
    pub code: Option<i64>,
    /// The error's text, UTF-8 (table 3.5 `text`).
    pub text: Option<String>,
    /// `type`: where the error comes from.
    pub source: Option<Lenient<ErrorSource>>,
    /// Members the spec does not describe, kept as given.
    pub extra: Extra,
}

impl ErrorBody {
    /// The code as a known Ferma error, if it is one.
    pub fn known_code(&self) -> Option<FermaErrorCode> {
        self.code.and_then(|c| u32::try_from(c).ok()).and_then(FermaErrorCode::from_number)
    }
}

impl FromJson for ErrorBody {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        let mut members = match value.read() {
            Json::String(text) => return Some(ErrorBody { text: Some(text.into_owned()), ..ErrorBody::default() }),
            Json::Object(members) => members,
            other => {
                cx.bad_type(Expected::Object, &other);
                return None;
            }
        };
        let (mut error_id, mut code, mut text, mut source) = (Slot::Absent, Slot::Absent, Slot::Absent, Slot::Absent);
        let mut extra = Extra::default();
        while let Some((key, value)) = members.next() {
            let key: &str = &key;
            match key {
                "error_id" => error_id.fill("error_id", value, cx),
                "code" => code.fill("code", value, cx),
                "text" => text.fill("text", value, cx),
                "type" => source.fill("type", value, cx),
                _ => unknown_member(key, value, Some(&mut extra), cx),
            }
        }
        Some(ErrorBody {
            error_id: error_id.optional(),
            code: code.optional(),
            text: text.optional(),
            source: source.optional(),
            extra,
        })
    }
}

impl Placeholder for ErrorBody {
    fn placeholder() -> Self {
        ErrorBody::default()
    }
}

impl Validate for ErrorBody {
    const LEAF: bool = true;
}

crate::json::wire_length_through_serde!(ErrorBody);

impl Serialize for ErrorBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(v) = &self.error_id {
            map.serialize_entry("error_id", v)?;
        }
        if let Some(v) = &self.code {
            map.serialize_entry("code", v)?;
        }
        if let Some(v) = &self.text {
            map.serialize_entry("text", v)?;
        }
        if let Some(v) = &self.source {
            map.serialize_entry("type", v)?;
        }
        self.extra.serialize_members(&mut map)?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for ErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json(deserializer)
    }
}

/// The answer to a receipt request (§3.1.3; §3.2 for a split receipt).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct CreateResponse {
    /// At most 128 characters; absent when the document was not registered
    /// or was split.
    pub uuid: Option<String>,
    /// The receipts a big request was split into (§3.2).
    pub split_receipt_data: Option<Vec<SplitReceipt>>,
    /// `fail` or `wait` (table 3.5 `status`).
    pub status: Option<Lenient<ReceiptStatus>>,
    /// The error, when there is one (table 3.5 `error`).
    pub error: Option<ErrorBody>,
    /// The external system's date and time of the document, `dd.mm.yyyy HH:MM:SS` (table 3.5).
    pub timestamp: Option<DateTime>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl CreateResponse {
    /// The uuids of the registered document, or of every part of a split one.
    pub fn uuids(&self) -> Vec<String> {
        match &self.split_receipt_data {
            Some(parts) if !parts.is_empty() => parts.iter().filter_map(|p| p.uuid.clone()).collect(),
            _ => self.uuid.iter().cloned().collect(),
        }
    }
}

/// One part of a split receipt (§3.2).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct SplitReceipt {
    /// The part's unique identifier (§3.2).
    pub uuid: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The result of processing a document (§4, tables 4.1 and 4.2): the
/// answer to `report/{uuid}` and the body POSTed to `callback_url`.
#[derive(Clone, Debug, PartialEq, Model)]
pub struct Report {
    /// The error, or null on success (table 4.1 `error`; its structure in table 4.2).
    pub error: Option<ErrorBody>,
    /// The document's date and time from the fiscal drive.
    pub timestamp: Option<DateTime>,
    /// The document's unique identifier, at most 128 characters (table 4.1 `uuid`).
    pub uuid: Option<String>,
    /// `done`, `fail` or `wait` (tables 4.1 and 4.2 `status`).
    pub status: Option<Lenient<ReceiptStatus>>,
    /// The fiscal requisites, once `done`.
    pub payload: Option<FiscalPayload>,
    /// The cashbox group's identifier (table 4.1 `group_code`).
    pub group_code: Option<String>,
    /// The server's name (table 4.1 `daemon_code`).
    pub daemon_code: Option<String>,
    /// The external system's identifier of the document, unique in the cashbox group (table 4.1 `external_id`).
    pub external_id: Option<String>,
    /// The URL to answer after processing the document (table 4.1 `callback_url`).
    pub callback_url: Option<String>,
    /// Table 4.2 lists it beside `status` in error answers.
    pub receipt_datetime: Option<DateTime>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl Report {
    /// The status, if the server sent one the table knows.
    pub fn status(&self) -> Option<ReceiptStatus> {
        self.status.as_ref().and_then(Lenient::known)
    }
}

/// The fiscal requisites of a processed document (table 4.1, `payload`).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct FiscalPayload {
    /// The document's total as the cashbox computed it.
    pub total: Option<Amount>,
    /// The INN of the OFD the receipt was registered through (table 4.1 `ofd_inn`).
    pub ofd_inn: Option<String>,
    /// The FNS website's address (table 4.1 `fns_site`).
    pub fns_site: Option<String>,
    /// The fiscal drive's number (table 4.1 `fn_number`).
    pub fn_number: Option<String>,
    /// The KKT's registration number (table 4.1 `ecr_registration_number`).
    pub ecr_registration_number: Option<String>,
    /// The shift's number (table 4.1 `shift_number`).
    pub shift_number: Option<u32>,
    /// UTC+0 (table 4.1).
    pub receipt_datetime: Option<DateTime>,
    /// The receipt's number in the shift (table 4.1 `fiscal_receipt_number`).
    pub fiscal_receipt_number: Option<u32>,
    /// The fiscal document number (table 4.1 `fiscal_document_number`).
    pub fiscal_document_number: Option<u32>,
    /// The document's fiscal sign (table 4.1 `fiscal_document_attribute`).
    pub fiscal_document_attribute: Option<u64>,
    /// The URL to view the receipt on the OFD's site (table 4.1 `ofd_receipt_url`).
    pub ofd_receipt_url: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The answer of the cashbox monitoring method (§7).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct CashboxStats {
    /// `Success` when the request succeeded (§7).
    #[json(rename = "Status")]
    pub status: Option<String>,
    /// The cashboxes (§7).
    #[json(rename = "Data")]
    pub data: Option<Vec<CashboxInfo>>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// One cashbox and its fiscal drive (§7, table 5).
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rename_all = "camelCase")]
pub struct CashboxInfo {
    /// The service identifier (the example sends a number, the table says string).
    pub device_id: Option<String>,
    /// The number of the fiscal drive in the cashbox (table 5 `fn`).
    #[json(rename = "fn")]
    pub fn_number: Option<String>,
    /// The cashbox's serial number.
    pub zn: Option<String>,
    /// The cashbox's registration number.
    pub rnm: Option<String>,
    /// The cashbox model's name (table 5 `kktModel`).
    pub kkt_model: Option<String>,
    /// The cashbox's status in Ferma (table 5 `kktState`, §7.1).
    pub kkt_state: Option<Lenient<KktState>>,
    /// The cashbox's tariff (table 5 `tariffType`, §7.2).
    pub tariff_type: Option<Lenient<TariffType>>,
    /// When the tariff's paid period ends, `yyyy-mm-dd` (table 5 `tariffEndDate`).
    pub tariff_end_date: Option<IsoDate>,
    /// Receipts left on a per-receipt tariff.
    pub tariff_checks_cnt: Option<u64>,
    /// The name of the fiscal drive's model (table 5 `fnName`).
    pub fn_name: Option<String>,
    /// The fiscal drive's type (table 5 `fnModelName`).
    pub fn_model_name: Option<String>,
    /// The number of receipts in the fiscal drive (table 5 `checksCnt`).
    pub checks_cnt: Option<u64>,
    /// How full the fiscal drive is, in percent, exactly as sent.
    pub fn_volume_percent: Option<Number<'static>>,
    /// When the fiscal drive is projected to need replacing as its term ends, `yyyy-mm-dd` (table 5
    /// `projectedFnReplaceDate`).
    pub projected_fn_replace_date: Option<IsoDate>,
    /// When the fiscal drive is projected to need replacing as its memory fills, `yyyy-mm-dd` (table 5
    /// `projectedFnFilledDate`).
    pub projected_fn_filled_date: Option<IsoDate>,
    /// When the fiscal drive was last replaced, `yyyy-mm-dd` (table 5 `fnLastChangeDate`).
    pub fn_last_change_date: Option<IsoDate>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl FromJson for Number<'static> {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        let read = value.read();
        match &read {
            Json::Number(n) => Some(n.clone().into_owned()),
            Json::String(s) => match Number::parse(s.trim()) {
                Some(n) => Some(n.into_owned()),
                None => {
                    cx.bad_type(Expected::Number, &read);
                    None
                }
            },
            other => {
                cx.bad_type(Expected::Number, other);
                None
            }
        }
    }
}

impl Placeholder for Number<'static> {
    fn placeholder() -> Self {
        Number::parse("0").map(Number::into_owned).unwrap_or_else(|| unreachable!("0 is a JSON number"))
    }
}

impl Validate for Number<'static> {
    const LEAF: bool = true;
}
