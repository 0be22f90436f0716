//! The one place that moves bytes: an [`HttpRequest`] goes out through
//! ureq (rustls, no OpenSSL), an [`HttpResponse`] comes back, and every
//! failure is classified by whether the request may have arrived.

use std::io::ErrorKind;
use std::time::Duration;

use ofdkit::protocol::{HttpRequest, HttpResponse, Method};
use ureq::Agent;

use crate::error::{TransportError, TransportKind};

/// Answers larger than this are refused (documents of the registration API
/// are the largest: XML or PDF of a few hundred kilobytes).
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// Timeouts of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing the connection (TCP and TLS).
    pub connect: Duration,
    /// Each of: sending the request, waiting for the answer, reading it.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(30) }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Transport {
    agent: Agent,
}

impl Transport {
    pub(crate) fn new(timeouts: Timeouts) -> Self {
        // Per-phase timeouts rather than one global one, so that a timeout
        // says whether the request had gone out. Name resolution has no
        // timeout of ours: ureq would spend a thread on every lookup to
        // enforce one, and the system resolver has its own.
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            .timeout_send_request(Some(timeouts.request))
            .timeout_send_body(Some(timeouts.request))
            .timeout_recv_response(Some(timeouts.request))
            .timeout_recv_body(Some(timeouts.request))
            .max_redirects(0)
            .user_agent(concat!("ofdkit/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Transport { agent }
    }

    /// Sends the request and returns whatever answer came back, whatever
    /// its HTTP status.
    pub(crate) fn execute(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = request.url();
        let result = match request.method {
            Method::Get => {
                let mut builder = self.agent.get(&url);
                for (name, value) in &request.headers {
                    builder = builder.header(name, value);
                }
                builder.call()
            }
            Method::Post | Method::Put => {
                let mut builder =
                    if request.method == Method::Post { self.agent.post(&url) } else { self.agent.put(&url) };
                for (name, value) in &request.headers {
                    builder = builder.header(name, value);
                }
                match &request.body {
                    Some(body) => builder.send(&body[..]),
                    None => builder.send_empty(),
                }
            }
        };
        let mut response = result.map_err(classify)?;
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(MAX_BODY_BYTES).read_to_vec().map_err(classify)?;
        Ok(HttpResponse { status, body })
    }
}

/// Classifies a ureq error by what it tells of the request's fate. Messages
/// are written here, never copied from ureq, so no URL (and no token in
/// it) can leak.
fn classify(error: ureq::Error) -> TransportError {
    use ureq::{Error as E, Timeout as T};
    let (kind, may_have_arrived, detail) = match error {
        E::Timeout(phase) => {
            let before_body_sent = matches!(phase, T::Resolve | T::Connect | T::SendRequest | T::SendBody);
            (TransportKind::Timeout, !before_body_sent, format!("no progress within the timeout ({phase:?})"))
        }
        E::HostNotFound => (TransportKind::Connect, false, "the host was not found".to_owned()),
        E::ConnectionFailed => (TransportKind::Connect, false, "the connection failed".to_owned()),
        E::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused
            | ErrorKind::AddrNotAvailable
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable => (TransportKind::Connect, false, format!("{:?}", io.kind())),
            ErrorKind::TimedOut => (TransportKind::Timeout, true, "the connection timed out".to_owned()),
            kind => (TransportKind::Io, true, format!("{kind:?}: the connection broke during the exchange")),
        },
        // The handshake comes before the request: nothing was sent.
        E::Tls(what) => (TransportKind::Tls, false, what.to_owned()),
        E::Rustls(e) => (TransportKind::Tls, false, e.to_string()),
        E::BodyExceedsLimit(limit) => (TransportKind::Io, true, format!("the answer is larger than {limit} bytes")),
        E::Protocol(_) => (TransportKind::Io, true, "the server broke the HTTP protocol".to_owned()),
        E::BadUri(_) | E::Http(_) => (TransportKind::Connect, false, "the URL is not valid".to_owned()),
        // Redirects are off and the rest carry no URL in their text.
        other => (TransportKind::Io, true, other.to_string()),
    };
    TransportError { kind, may_have_arrived, detail }
}
