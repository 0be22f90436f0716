//! The client's errors: the core's (invalid request, API error, protocol),
//! a request that was not sent, and the one that matters most for money —
//! a request that went out and whose outcome is not known.

use std::fmt;

use ofdkit::{ErrorCode, ProtocolError, Violations};

/// What went wrong on the way to the server and back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made: the name did not resolve, the
    /// connection was refused or unreachable, the proxy refused.
    Connect,
    /// The deadline or a timeout passed.
    Timeout,
    /// The TLS handshake failed (an untrusted certificate, …).
    Tls,
    /// The connection broke.
    Io,
}

/// A transport failure, and whether the request may have reached the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportError {
    pub kind: TransportKind,
    /// `false` when the request certainly did not reach the server: the
    /// failure came before the first byte of its body went out (or, for a
    /// request without a body, before it could be sent), so sending it
    /// again is safe.
    pub may_have_arrived: bool,
    /// How many times the request was tried.
    pub attempts: u32,
    /// What happened, without URLs or credentials.
    pub detail: String,
}

impl TransportError {
    pub(crate) fn new(kind: TransportKind, may_have_arrived: bool, detail: impl Into<String>) -> Self {
        TransportError { kind, may_have_arrived, attempts: 1, detail: detail.into() }
    }

    /// The numeric error code (ofdkit's table of codes).
    pub fn code(&self) -> ErrorCode {
        match self.kind {
            TransportKind::Connect => ErrorCode::Connect,
            TransportKind::Timeout => ErrorCode::Timeout,
            TransportKind::Tls => ErrorCode::Tls,
            TransportKind::Io => ErrorCode::Io,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Tls => "TLS failed",
            TransportKind::Io => "the connection broke",
        };
        write!(f, "{kind}: {}", self.detail)?;
        if self.attempts > 1 {
            write!(f, " ({} attempts)", self.attempts)?;
        }
        if !self.may_have_arrived {
            f.write_str("; nothing was sent")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// Why the outcome of a request that went out is not known.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Unclear {
    /// The connection broke or timed out after the request went out.
    Transport(TransportError),
    /// An answer came back that does not say what happened: a 5xx from the
    /// server or a gateway, a body that is not the API's JSON, a truncated
    /// or endless one.
    Answer(ProtocolError),
}

impl fmt::Display for Unclear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unclear::Transport(t) => write!(f, "{}: {}", transport_words(t.kind), t.detail),
            Unclear::Answer(p) => write!(f, "an answer that does not say what happened ({p})"),
        }
    }
}

impl std::error::Error for Unclear {}

fn transport_words(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Timeout => "no answer in time",
        TransportKind::Tls => "TLS failed",
        TransportKind::Connect | TransportKind::Io => "the connection broke",
    }
}

/// Everything the client can fail with. Its `Display` never shows a
/// password or a token.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The core's errors: an invalid request (with every violation), an
    /// error the API answered, an answer that could not be understood, a
    /// bad argument or setting.
    #[error(transparent)]
    Core(#[from] ofdkit::Error),
    /// The request did not get through. For a request that changes
    /// something, `may_have_arrived` is always `false`: it was not sent
    /// and may be sent again. A read may have been sent.
    #[error("{0}")]
    Transport(TransportError),
    /// A request that changes something went out and no clear answer came
    /// back: it may or may not have been processed. It was not sent again
    /// blindly. For a receipt, [`FermaClient::recover`](crate::FermaClient::recover)
    /// finds out safely (Ferma refuses a second receipt with the same
    /// `external_id`), and [`FermaClient::fiscalize`](crate::FermaClient::fiscalize)
    /// does so by itself.
    #[error("{}", unknown_message(.request, .external_id.as_deref(), *.sends, .cause))]
    OutcomeUnknown {
        /// What was sent: `"receipt"`, `"application"`, …
        request: &'static str,
        /// The receipt's `external_id`, for a receipt.
        external_id: Option<String>,
        /// How many times the request went out, each time with the same
        /// `external_id`.
        sends: u32,
        cause: Unclear,
    },
}

fn unknown_message(request: &str, external_id: Option<&str>, sends: u32, cause: &Unclear) -> String {
    let times = if sends == 1 { "once".to_owned() } else { format!("{sends} times") };
    match external_id {
        Some(id) => format!(
            "the outcome of {request} {id:?} is unknown: {cause}. It was sent {times}, always with this \
             external_id, which Ferma registers at most once; do not send the sale under another external_id: \
             recover it (or fiscalize it again) with the same one"
        ),
        None => format!("the outcome of the {request} request is unknown: {cause}. It was sent {times}"),
    }
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

    /// Whether a request that changes something went out and its outcome
    /// is not known: the one error after which it must not be sent again
    /// blindly. Every other error of such a request means it did not
    /// change anything (not sent, or refused).
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
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

    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Error::Core(ofdkit::Error::Argument(message.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_was_sent() {
        let refused = TransportError::new(TransportKind::Connect, false, "the connection was refused");
        assert_eq!(refused.to_string(), "could not connect: the connection was refused; nothing was sent");
        let mut tried = refused.clone();
        tried.attempts = 3;
        assert!(tried.to_string().contains("(3 attempts)"));
        let unknown = Error::OutcomeUnknown {
            request: "receipt",
            external_id: Some("order-1".into()),
            sends: 2,
            cause: Unclear::Transport(TransportError::new(TransportKind::Timeout, true, "30 s")),
        };
        let text = unknown.to_string();
        assert!(text.contains("\"order-1\"") && text.contains("sent 2 times") && text.contains("no answer in time"));
        assert_eq!(unknown.code(), ErrorCode::OutcomeUnknown);
        assert!(unknown.is_outcome_unknown() && !Error::Transport(refused).is_outcome_unknown());
    }
}
