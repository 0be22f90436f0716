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
    /// The application (tables 2, 5, 6, 8 `Data`).
    pub data: Option<Application>,
    /// The time the server took.
    pub elapsed: Option<TimeSpan>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The answer to the list request (§2.3). The spec's example shows one
/// application where a list is meant, so both are read.
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rename_all = "PascalCase")]
pub struct ApplicationListResponse {
    /// `Success` when the request succeeded.
    pub status: Option<String>,
    /// The applications (§2.3 `Data`).
    pub data: Option<Applications>,
    /// The time the server took.
    pub elapsed: Option<TimeSpan>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// A list of applications, read from an array or from a single object,
/// and written back in the shape it was read in.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Applications {
    /// The applications, in the order read.
    pub items: Vec<Application>,
    /// It came as one object, not an array.
    pub single: bool,
}

crate::json::wire_length_through_serde!(Applications);

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
    /// The application's identifier, a UUID (table 2 `Id`).
    pub id: Option<String>,
    /// The company the KKT is registered to (table 2 `CompanyDetails`).
    pub company_details: Option<CompanyDetails>,
    /// The KKT (table 2 `KktDetails`).
    pub kkt_details: Option<KktDetails>,
    /// The application's status (table 2 `Status`, §2.1.1).
    pub status: Option<Lenient<ApplicationStatus>>,
    /// Why it was rejected.
    pub status_reason: Option<String>,
    /// The application's processing stage (table 2 `Stage`, §2.1.3).
    pub stage: Option<Lenient<ApplicationStage>>,
    /// What the registration is for (table 2 `Purpose`, §2.1.4).
    pub purpose: Option<Lenient<ApplicationPurpose>>,
    /// The `Gateway` member of the answers (table 6 names it without describing it).
    pub gateway: Option<String>,
    /// The personal cabinet the KKT belongs to, a UUID (table 2 `OfdAgreementId`).
    pub ofd_agreement_id: Option<String>,
    /// The application's documents (table 5 `Documents`).
    pub documents: Option<Vec<Document>>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl Application {
    /// The status, if it is one §2.1.1 lists.
    pub fn status(&self) -> Option<ApplicationStatus> {
        self.status.as_ref().and_then(Lenient::known)
    }

    /// The stage, if it is one §2.1.3 lists.
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
    /// The document's identifier, a UUID (table 5 `Documents.Id`).
    pub id: Option<String>,
    /// The kind of document (table 5 `Kind`, §2.3.2).
    pub kind: Option<Lenient<DocumentKind>>,
    /// A check code computed over the document's content.
    pub content: Option<String>,
    /// The state of its digital signature.
    pub signature: Option<Lenient<SignatureState>>,
    /// The document's file name (table 5 `FileName`).
    pub file_name: Option<String>,
    /// The document's description (table 5 `Description`).
    pub description: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl Document {
    /// The kind, if it is one §2.3.2 lists.
    pub fn kind(&self) -> Option<DocumentKind> {
        self.kind.as_ref().and_then(Lenient::known)
    }
}
