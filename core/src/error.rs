//! Errors of the core, and the one table of numeric error codes every
//! binding derives its error kinds from: 1xxx input and validation, 2xxx
//! codec and protocol, 3xxx transport, 4xxx API answers, 9xxx internal.

use std::fmt;

use serde::Serialize;

use crate::json::JsonError;
use crate::violation::Violations;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $number:literal, $name:literal, $text:literal; )+) => {
        /// A stable numeric error code. Bindings map each range to an
        /// exception class (C: the `OFDKIT_E_*` constants).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[non_exhaustive]
        #[repr(u32)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant = $number, )+
        }

        impl ErrorCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The code's number (`1001`), as in the C header.
            pub fn number(self) -> u32 {
                self as u32
            }

            /// SCREAMING_SNAKE name (`INVALID_REQUEST`), as in the C header.
            pub fn name(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )+ }
            }

            /// What the code means, in English.
            pub fn description(self) -> &'static str {
                match self { $( ErrorCode::$variant => $text, )+ }
            }

            /// The code with this number.
            pub fn from_number(n: u32) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.number() == n)
            }

            /// The range the code belongs to.
            pub fn category(self) -> ErrorCategory {
                match self.number() / 1000 {
                    1 => ErrorCategory::Input,
                    2 => ErrorCategory::Protocol,
                    3 => ErrorCategory::Transport,
                    4 => ErrorCategory::Api,
                    _ => ErrorCategory::Internal,
                }
            }
        }
    };
}

error_codes! {
    /// Malformed JSON given by the caller.
    InvalidJson = 1001, "INVALID_JSON", "malformed JSON";
    /// The request breaks the API's rules: see the violations.
    InvalidRequest = 1002, "INVALID_REQUEST", "the request breaks the API's rules";
    /// An argument cannot be used (an empty uuid, a bad base URL, an unknown table).
    InvalidArgument = 1003, "INVALID_ARGUMENT", "an argument cannot be used";
    /// The request is not allowed in the current state of its life cycle.
    InvalidState = 1004, "INVALID_STATE", "not allowed in the current state";
    /// The input is larger than the limit (4 MiB unless set); nothing was parsed.
    InputTooLarge = 1005, "INPUT_TOO_LARGE", "the input is over the size limit";
    /// The server's answer is not the JSON the spec describes.
    UnexpectedResponse = 2001, "UNEXPECTED_RESPONSE", "the server's answer is not what the spec describes";
    /// The server answered with an HTTP status the spec does not describe.
    HttpStatus = 2002, "HTTP_STATUS", "unexpected HTTP status";
    // The transport codes tell a request that was not sent from one whose
    // outcome is unknown: for a request that changes something (a receipt,
    // an application), every 3xxx code but OUTCOME_UNKNOWN means it did not
    // reach the server and may be sent again; a read may always be repeated.
    /// No connection could be made (name resolution, refused, unreachable,
    /// the proxy): nothing was sent.
    Connect = 3001, "CONNECT", "could not connect; nothing was sent";
    /// The deadline passed: for a request that changes something, before it
    /// was sent (after, it is OUTCOME_UNKNOWN).
    Timeout = 3002, "TIMEOUT", "timed out";
    /// The TLS handshake failed (a certificate not trusted, a protocol
    /// mismatch): nothing was sent.
    Tls = 3003, "TLS", "TLS failed; nothing was sent";
    /// The request went out and no clear answer came back (a broken
    /// connection, a timeout, a 5xx, an answer that cannot be read): it may
    /// or may not have been processed. It was not sent again blindly: a
    /// receipt is recovered by its external_id.
    OutcomeUnknown = 3004, "OUTCOME_UNKNOWN", "the request went out and its outcome is unknown";
    /// The connection broke: for a request that changes something, before
    /// it was sent.
    Io = 3005, "IO", "the connection broke";
    /// The API reported an error.
    Api = 4001, "API", "the API reported an error";
    /// The login, password or token was refused.
    Auth = 4002, "AUTH", "authentication failed";
    /// The external_id is already known: the receipt was sent before.
    DuplicateExternalId = 4003, "DUPLICATE_EXTERNAL_ID", "the external_id already exists";
    /// The cashbox cannot fiscalise now (Ferma errors 1070–1080).
    Cashbox = 4004, "CASHBOX", "the cashbox cannot fiscalise";
    /// What was asked for does not exist (application, document, receipt state).
    NotFound = 4005, "NOT_FOUND", "not found";
    /// Access to the resource is denied.
    AccessDenied = 4006, "ACCESS_DENIED", "access denied";
    /// The API refused the request's data (a field it needs is missing or
    /// could not be filled automatically).
    Rejected = 4007, "REJECTED", "the API refused the request's data";
    /// The API says the request is not allowed in the resource's current state.
    WrongState = 4008, "WRONG_STATE", "not allowed in the resource's current state";
    /// A bug in ofdkit.
    Internal = 9001, "INTERNAL", "internal error";
    /// A panic was caught at a language boundary.
    Panic = 9002, "PANIC", "internal error (panic caught)";
}

/// The ranges of [`ErrorCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorCategory {
    /// 1xxx: the input is malformed or invalid.
    Input,
    /// 2xxx: an answer could not be understood.
    Protocol,
    /// 3xxx: the request did not get through.
    Transport,
    /// 4xxx: the API answered with an error.
    Api,
    /// 9xxx: a bug in ofdkit.
    Internal,
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.number())
    }
}

/// Which of the two APIs answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKind {
    /// The Ferma receipts API.
    Ferma,
    /// The OFD.ru KKT registration API.
    Ofd,
}

/// An error the API reported in its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// Which API answered.
    pub api: ApiKind,
    /// What kind of error it is, as an ofdkit code (4xxx).
    pub kind: ErrorCode,
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// The API's own numeric code (Ferma `error.code`), if it gave one.
    pub code: Option<i64>,
    /// The API's own symbolic code (OFD error value, Ferma table 5.1 name).
    pub name: Option<String>,
    /// The API's error identifier (Ferma `error_id`).
    pub error_id: Option<String>,
    /// The API's text, as sent.
    pub text: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let api = match self.api {
            ApiKind::Ferma => "Ferma",
            ApiKind::Ofd => "OFD.ru",
        };
        write!(f, "{api} error")?;
        if let Some(code) = self.code {
            write!(f, " {code}")?;
        }
        if let Some(name) = &self.name {
            write!(f, " {name}")?;
        }
        write!(f, ": {}", self.text)?;
        if let Some(id) = &self.error_id {
            write!(f, " (error_id {id})")?;
        }
        Ok(())
    }
}

/// An answer that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProtocolError {
    /// `UnexpectedResponse` or `HttpStatus`.
    pub kind: ErrorCode,
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// What was wrong with it.
    pub detail: String,
    /// The first bytes of the body (at most 256), lossily decoded.
    pub body_start: String,
}

impl ProtocolError {
    /// At most this many bytes of a body are kept in errors.
    pub const BODY_START_BYTES: usize = 256;

    /// An error of `kind` with the start of `body`.
    pub fn new(kind: ErrorCode, http_status: u16, detail: impl Into<String>, body: &[u8]) -> Self {
        let end = body.len().min(Self::BODY_START_BYTES);
        ProtocolError {
            kind,
            http_status,
            detail: detail.into(),
            body_start: String::from_utf8_lossy(&body[..end]).into_owned(),
        }
    }
}

impl std::error::Error for ApiError {}

impl std::error::Error for ProtocolError {}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}; body starts with {:?}", self.http_status, self.detail, self.body_start)
    }
}

/// Everything the core can fail with. New kinds of failure may be added:
/// match with a `_` arm (the [`ErrorCode`] of each is stable).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed JSON given by the caller, or JSON over the size limit.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// The request breaks the API's rules; every violation is listed.
    #[error("the request breaks the API's rules:\n{0}")]
    Invalid(Violations),
    /// An argument cannot be used.
    #[error("invalid argument: {0}")]
    Argument(String),
    /// A call that the life cycle does not allow now.
    #[error("not allowed now: {0}")]
    State(String),
    /// The server's answer could not be understood.
    #[error("unexpected answer: {0}")]
    Protocol(ProtocolError),
    /// The API reported an error.
    #[error("{0}")]
    Api(ApiError),
    /// A fault of ofdkit itself, such as a model its own writer could not
    /// write; never the caller's input.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The numeric code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Json(e) => e.code(),
            Error::Invalid(_) => ErrorCode::InvalidRequest,
            Error::Argument(_) => ErrorCode::InvalidArgument,
            Error::State(_) => ErrorCode::InvalidState,
            Error::Protocol(p) => p.kind,
            Error::Api(a) => a.kind,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The violations, for an `Invalid` error.
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            Error::Invalid(v) => Some(v),
            _ => None,
        }
    }
}

/// A name that is not one of the accepted values (a strictness, a
/// document kind, a check level), with what would have been accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{got:?} is not a {what} ({})", .allowed.join(", "))]
pub struct ParseNameError {
    /// What was being parsed (`strictness`, `document kind`, …).
    pub what: &'static str,
    /// The text that was given.
    pub got: String,
    /// Every accepted spelling.
    pub allowed: &'static [&'static str],
}

impl ParseNameError {
    /// An error for `got`, which is not one of `allowed`.
    pub fn new(what: &'static str, got: &str, allowed: &'static [&'static str]) -> Self {
        ParseNameError { what, got: got.to_owned(), allowed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_their_ranges() {
        let mut numbers: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::InvalidJson.category(), ErrorCategory::Input);
        assert_eq!(ErrorCode::Timeout.category(), ErrorCategory::Transport);
        assert_eq!(ErrorCode::Panic.category(), ErrorCategory::Internal);
        assert_eq!(ErrorCode::from_number(4003), Some(ErrorCode::DuplicateExternalId));
    }
}
