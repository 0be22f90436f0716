//! The client's errors: the core's (invalid request, API error, protocol),
//! transport failures, and the one that matters most for money — an outcome
//! that is not known.

use std::fmt;

use ofdkit::{ErrorCode, Violations};

/// What went wrong on the way to the server and back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection could be made (refused, unreachable, DNS).
    Connect,
    /// A timeout.
    Timeout,
    /// TLS failed.
    Tls,
    /// Another input/output failure (a reset, a closed connection).
    Io,
}

/// A transport failure, and whether the request may have reached the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    pub kind: TransportKind,
    /// `false` only when the request certainly did not arrive (no connection,
    /// or the body was not all sent), so sending it again is safe.
    pub may_have_arrived: bool,
    /// What happened, without URLs or credentials.
    pub detail: String,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Tls => "TLS failed",
            TransportKind::Io => "connection failed",
        };
        write!(f, "{kind}: {}", self.detail)
    }
}

impl TransportError {
    pub fn code(&self) -> ErrorCode {
        match self.kind {
            TransportKind::Connect => ErrorCode::Connect,
            TransportKind::Timeout => ErrorCode::Timeout,
            TransportKind::Tls => ErrorCode::Tls,
            TransportKind::Io => ErrorCode::Io,
        }
    }
}

/// Everything the client can fail with. Its `Display` never shows a
/// password or a token.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Error {
    /// The core's errors: an invalid request (with every violation), an
    /// error the API answered, an answer that could not be understood.
    #[error(transparent)]
    Core(#[from] ofdkit::Error),
    /// The request did not get through.
    #[error("{0}")]
    Transport(TransportError),
    /// The receipt was sent but no answer came back: it may or may not be
    /// registered. It was not sent again. [`FermaClient::recover`]
    /// (crate::FermaClient::recover) finds out safely: Ferma refuses a
    /// second receipt with the same `external_id`.
    #[error("the outcome of receipt {external_id:?} is unknown ({cause}); it was not sent again")]
    OutcomeUnknown { external_id: String, cause: TransportError },
}

impl Error {
    /// The numeric error code (ofdkit's table of codes).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Core(e) => e.code(),
            Error::Transport(t) => t.code(),
            Error::OutcomeUnknown { .. } => ErrorCode::OutcomeUnknown,
        }
    }

    /// The violations of an invalid request.
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            Error::Core(e) => e.violations(),
            _ => None,
        }
    }

    /// The API's error, if the server answered with one.
    pub fn api_error(&self) -> Option<&ofdkit::ApiError> {
        match self {
            Error::Core(ofdkit::Error::Api(e)) => Some(e),
            _ => None,
        }
    }
}
