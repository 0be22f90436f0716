//! The error values the registration API answers with (§§2.1.5–2.5.2,
//! table П1.2), including `Missing_<Field>`.

use std::fmt;

use crate::codes::{ApplicationError, Code, PartnerError};
use crate::error::ErrorCode;

/// An error value of the registration API, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OfdError {
    /// One of the application errors of §§2.1.5–2.5.2.
    Application(ApplicationError),
    /// `Missing_<Field>`: the application lacks a field §2.5.1 requires;
    /// the field's name as the server wrote it after the `_`.
    Missing(String),
    /// One of the partner registration errors of table П1.2.
    Partner(PartnerError),
    /// A value neither table knows.
    Other(String),
}

impl OfdError {
    /// Parses an error value. `AccessDenied` is in both tables; it reads as
    /// the application error unless `partner` is set.
    ///
    /// ```
    /// use ofdkit::ofd::OfdError;
    /// assert_eq!(OfdError::parse("Missing_KktDetails.FnNumber", false), OfdError::Missing("KktDetails.FnNumber".into()));
    /// ```
    pub fn parse(value: &str, partner: bool) -> Self {
        let value = value.trim();
        if let Some(field) = value.strip_prefix("Missing_") {
            return OfdError::Missing(field.to_owned());
        }
        if partner {
            if let Some(e) = PartnerError::from_wire(value) {
                return OfdError::Partner(e);
            }
        }
        if let Some(e) = ApplicationError::from_wire(value) {
            return OfdError::Application(e);
        }
        if let Some(e) = PartnerError::from_wire(value) {
            return OfdError::Partner(e);
        }
        OfdError::Other(value.to_owned())
    }

    /// The value as the server writes it.
    pub fn value(&self) -> String {
        match self {
            OfdError::Application(e) => e.wire().to_owned(),
            OfdError::Missing(field) => format!("Missing_{field}"),
            OfdError::Partner(e) => e.wire().to_owned(),
            OfdError::Other(v) => v.clone(),
        }
    }

    /// The spec's Russian description.
    pub fn description_ru(&self) -> String {
        match self {
            OfdError::Application(e) => e.description_ru().to_owned(),
            OfdError::Missing(field) => format!("в заявке не указаны обязательные данные: {field}"),
            OfdError::Partner(e) => e.description_ru().to_owned(),
            OfdError::Other(v) => v.clone(),
        }
    }

    /// The ofdkit error code for this value.
    pub fn error_code(&self) -> ErrorCode {
        use ApplicationError as A;
        match self {
            OfdError::Application(A::OfdAgreementNotFound | A::ApplicationNotFound)
            | OfdError::Partner(PartnerError::AgreementNotFound) => ErrorCode::NotFound,
            OfdError::Application(A::AccessDenied) | OfdError::Partner(PartnerError::AccessDenied) => {
                ErrorCode::AccessDenied
            }
            OfdError::Application(A::InvalidStatus) => ErrorCode::WrongState,
            OfdError::Missing(_)
            | OfdError::Partner(PartnerError::ValidationError)
            | OfdError::Application(
                A::ErrorAutoFillingCompanyData
                | A::ErrorAutoFillingDirectorData
                | A::ErrorAutoFillingCompanyAddress
                | A::ErrorAutoFillingKktInstallmentPlace,
            ) => ErrorCode::Rejected,
            OfdError::Partner(PartnerError::InternalError) | OfdError::Other(_) => ErrorCode::Api,
        }
    }
}

impl fmt::Display for OfdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value())
    }
}
