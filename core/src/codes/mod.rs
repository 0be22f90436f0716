//! Every code table of both specs as a Rust enum. Each value knows its wire
//! form, its number and tag where the spec gives them, and its Russian
//! description; parsing accepts every documented spelling, writing emits
//! the canonical one.
//!
//! ```
//! use ofdkit::codes::{Code, Measure, PaymentObject};
//! assert_eq!(Measure::Kilogram.number(), Some(11));
//! assert_eq!(Measure::Kilogram.description_ru(), "Килограмм");
//! // `payment_object` arrives as 1, "1" or "commodity": all the same value.
//! assert_eq!(PaymentObject::parse_any("commodity"), Some(PaymentObject::Commodity));
//! assert_eq!(PaymentObject::parse_any("1"), Some(PaymentObject::Commodity));
//! ```

mod answers;
mod ferma;
mod ofd;
pub(crate) mod table;

pub use answers::{ErrorSource, FermaErrorCode, KktState, ReceiptStatus, TariffType};
pub use ferma::{
    AgentType, CorrectionType, DocumentCode, FederalId, Measure, Operation, PaymentMethod, PaymentObject, PaymentType,
    Sno, VatType,
};
pub use ofd::{
    ApplicationError, ApplicationPurpose, ApplicationStage, ApplicationStatus, CompanyType, DocumentKind, PartnerError,
    SignatureState,
};
pub use table::{Code, CodeEntry, CodeTable, Lenient, UnknownCode, WireKind};

/// Every code table, for bindings and the command line to list.
pub fn tables() -> &'static [&'static CodeTable] {
    &[
        Operation::TABLE,
        Sno::TABLE,
        VatType::TABLE,
        PaymentMethod::TABLE,
        PaymentObject::TABLE,
        PaymentType::TABLE,
        AgentType::TABLE,
        CorrectionType::TABLE,
        DocumentCode::TABLE,
        FederalId::TABLE,
        Measure::TABLE,
        ReceiptStatus::TABLE,
        ErrorSource::TABLE,
        FermaErrorCode::TABLE,
        KktState::TABLE,
        TariffType::TABLE,
        ApplicationStatus::TABLE,
        ApplicationStage::TABLE,
        ApplicationPurpose::TABLE,
        CompanyType::TABLE,
        DocumentKind::TABLE,
        SignatureState::TABLE,
        ApplicationError::TABLE,
        PartnerError::TABLE,
    ]
}

/// The table called `name` (`"measure"`, `"payment_object"`, …).
pub fn table(name: &str) -> Option<&'static CodeTable> {
    tables().iter().copied().find(|t| t.name == name)
}
