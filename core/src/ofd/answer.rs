//! The answers of the application endpoints: the `{Status, Data, Elapsed}`
//! envelope (tables 2, 5, 6, 8) around an application and its documents.
//! They parse leniently, like every answer.

use ofdkit_derive::Model;

use crate::codes::{ApplicationPurpose, ApplicationStage, ApplicationStatus, DocumentKind, Lenient, SignatureState};
use crate::context::{Context, Expected};
use crate::datetime::TimeSpan;
use crate::decode::{Extra, FromJson, Placeholder};
use crate::json::{Kind, Node};
use crate::validate::Validate;

use super::application::{CompanyDetails, KktDetails};

/// The answer to create, update, get, prepareDocuments and sign.
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rename_all = "PascalCase")]
pub struct ApplicationResponse {
    /// `Success` when the request succeeded.
    pub status: Option<String>,
    pub data: Option<Application>,
    /// The time the server took.
    pub elapsed: Option<TimeSpan>,
    #[json(flatten)]
    pub extra: Extra,
}

/// The answer to the list request (§2.3). The spec's example shows one
/// application where a list is meant, so both are read.
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rename_all = "PascalCase")]
pub struct ApplicationListResponse {
    pub status: Option<String>,
    pub data: Option<Applications>,
    pub elapsed: Option<TimeSpan>,
    #[json(flatten)]
    pub extra: Extra,
}

/// A list of applications, read from an array or from a single object,
/// and written back in the shape it was read in.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Applications {
    pub items: Vec<Application>,
    /// It came as one object, not an array.
    pub single: bool,
}

impl serde::Serialize for Applications {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.items[..], self.single) {
            ([one], true) => one.serialize(serializer),
            (items, _) => items.serialize(serializer),
        }
    }
}

impl FromJson for Applications {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        match value.kind() {
            Kind::Array => Vec::<Application>::from_json(value, cx).map(|items| Applications { items, single: false }),
            Kind::Object => Application::from_json(value, cx).map(|a| Applications { items: vec![a], single: true }),
            other => {
                value.skip();
                cx.bad_type(Expected::Array, &other);
                None
            }
        }
    }
}

impl Placeholder for Applications {
    fn placeholder() -> Self {
        Applications::default()
    }
}

impl Validate for Applications {
    const LEAF: bool = true;
}

impl<'de> serde::Deserialize<'de> for Applications {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json(deserializer)
    }
}

/// A registration application as the server holds it.
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rename_all = "PascalCase")]
pub struct Application {
    pub id: Option<String>,
    pub company_details: Option<CompanyDetails>,
    pub kkt_details: Option<KktDetails>,
    pub status: Option<Lenient<ApplicationStatus>>,
    /// Why it was rejected.
    pub status_reason: Option<String>,
    pub stage: Option<Lenient<ApplicationStage>>,
    pub purpose: Option<Lenient<ApplicationPurpose>>,
    pub gateway: Option<String>,
    pub ofd_agreement_id: Option<String>,
    pub documents: Option<Vec<Document>>,
    #[json(flatten)]
    pub extra: Extra,
}

impl Application {
    pub fn status(&self) -> Option<ApplicationStatus> {
        self.status.as_ref().and_then(Lenient::known)
    }

    pub fn stage(&self) -> Option<ApplicationStage> {
        self.stage.as_ref().and_then(Lenient::known)
    }

    /// The registration number, once the FNS has assigned one.
    pub fn reg_number(&self) -> Option<&str> {
        self.kkt_details.as_ref()?.reg_number.as_deref()
    }

    /// The documents still waiting for a signature.
    pub fn unsigned_documents(&self) -> impl Iterator<Item = &Document> {
        self.documents
            .iter()
            .flatten()
            .filter(|d| d.signature.as_ref().and_then(Lenient::known) == Some(SignatureState::Unsigned))
    }
}

/// A document of an application (§2.3.2, §2.3.3).
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rename_all = "PascalCase")]
pub struct Document {
    pub id: Option<String>,
    pub kind: Option<Lenient<DocumentKind>>,
    /// A check code computed over the document's content.
    pub content: Option<String>,
    /// The state of its digital signature.
    pub signature: Option<Lenient<SignatureState>>,
    pub file_name: Option<String>,
    pub description: Option<String>,
    #[json(flatten)]
    pub extra: Extra,
}

impl Document {
    pub fn kind(&self) -> Option<DocumentKind> {
        self.kind.as_ref().and_then(Lenient::known)
    }
}
