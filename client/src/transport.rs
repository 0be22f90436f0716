//! The one place that moves bytes: an [`HttpRequest`] goes out through
//! ureq (rustls, the OS's certificate store), an [`HttpResponse`] comes
//! back, and every failure says whether the request may have arrived.
//!
//! "Not sent" is decided from what certainly happened, never guessed: a
//! request with a body is not sent as long as not one byte of the body was
//! handed to the connection (the server cannot act on a request it has not
//! received whole); a request without one is not sent when it failed while
//! resolving, connecting, at the proxy or in the TLS handshake.

use std::io::{ErrorKind, Read};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ofdkit::protocol::{HttpRequest, HttpResponse, Method};
use ureq::http::Uri;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::{Agent, SendBody};

use crate::deadline::Deadline;
use crate::error::{Error, TransportError, TransportKind};
use crate::network::{is_loopback, proxy_from_environment, without_credentials, Network, Proxy, Timeouts};

/// The largest answer read: the registration API's documents (XML or PDF
/// of a few hundred kilobytes) with room to spare. Anything longer is cut
/// off there, so an endless body costs at most this much memory.
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// The largest JSON answer read (a cashbox list of some thousands).
pub(crate) const MAX_JSON_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Clone, Debug)]
pub(crate) struct Transport {
    agent: Agent,
    timeouts: Timeouts,
}

impl Transport {
    /// An agent for one server, at `base_url`.
    pub(crate) fn new(network: &Network, base_url: &str) -> Result<Self, Error> {
        let proxy = proxy_for(&network.proxy, base_url)?;
        let roots = match &network.ca_bundle {
            None => RootCerts::PlatformVerifier,
            Some(bundle) => {
                // The system's store and the bundle: ureq's platform
                // verifier takes no extra roots, so the store is read here.
                let mut certificates: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
                    .certs
                    .iter()
                    .map(|c| Certificate::from_der(c.as_ref()).to_owned())
                    .collect();
                certificates.extend(bundle.certificates().map(|der| Certificate::from_der(der).to_owned()));
                RootCerts::Specific(Arc::new(certificates))
            }
        };
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(proxy)
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .user_agent(concat!("ofdkit/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Transport {
            agent: Agent::with_parts(config, DefaultConnector::new(), NamedResolver(DefaultResolver::default())),
            timeouts: network.timeouts,
        })
    }

    /// Sends the request once and returns whatever answer came back,
    /// whatever its HTTP status. The exchange ends by `deadline` (and
    /// within the request timeout), whatever the server does: hangs,
    /// drips, or sends without end (at most `limit` bytes are read).
    pub(crate) fn execute(
        &self,
        request: &HttpRequest,
        deadline: &Deadline,
        limit: u64,
    ) -> Result<HttpResponse, TransportError> {
        let budget = deadline.remaining().min(self.timeouts.request);
        if budget.is_zero() {
            let why = if deadline.is_cancelled() { "the call was cancelled" } else { "the deadline passed" };
            return Err(TransportError::new(
                TransportKind::Timeout,
                false,
                format!("{why} before the request was sent"),
            ));
        }
        let connect = budget.min(self.timeouts.connect);
        let url = request.url();
        let body_started = Arc::new(AtomicBool::new(false));
        let result = match (request.method, &request.body) {
            (Method::Get, _) => {
                let mut builder = self.agent.get(&url);
                for (name, value) in &request.headers {
                    builder = builder.header(name, value);
                }
                with_timeouts(builder.config(), budget, connect).call()
            }
            (method, body) => {
                let mut builder = if method == Method::Post { self.agent.post(&url) } else { self.agent.put(&url) };
                for (name, value) in &request.headers {
                    builder = builder.header(name, value);
                }
                let builder = with_timeouts(builder.config(), budget, connect);
                match body {
                    Some(body) if !body.is_empty() => {
                        let mut reader = Watched { body: &body[..], started: &body_started };
                        builder
                            .header("Content-Length", body.len().to_string())
                            .send(SendBody::from_reader(&mut reader))
                    }
                    _ => builder.send_empty(),
                }
            }
        };
        let has_body = request.body.as_ref().is_some_and(|b| !b.is_empty());
        let classify = |e| classify(e, has_body, body_started.load(Ordering::Relaxed), budget, deadline);
        let mut response = result.map_err(classify)?;
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(limit).read_to_vec().map_err(classify)?;
        Ok(HttpResponse { status, body })
    }
}

fn with_timeouts<B>(
    config: ureq::config::ConfigBuilder<ureq::typestate::RequestScope<B>>,
    budget: Duration,
    connect: Duration,
) -> ureq::RequestBuilder<B> {
    // One budget for the whole exchange, so that however the time is spent
    // (a slow connect, a hung server, a drip of bytes) it ends on time.
    config.timeout_global(Some(budget)).timeout_resolve(Some(connect)).timeout_connect(Some(connect)).build()
}

/// The body, handed out as the connection asks for it: the first call
/// means the request line and headers are out and the body is going.
struct Watched<'a> {
    body: &'a [u8],
    started: &'a AtomicBool,
}

impl Read for Watched<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.started.store(true, Ordering::Relaxed);
        self.body.read(buf)
    }
}

/// The proxy of an agent for `base_url`.
fn proxy_for(setting: &Proxy, base_url: &str) -> Result<Option<ureq::Proxy>, Error> {
    let url = match setting {
        Proxy::Direct => return Ok(None),
        Proxy::Url(url) => Some(url.clone()),
        Proxy::FromEnvironment => {
            let uri: Uri = base_url.parse().map_err(|_| Error::argument(format!("{base_url:?} is not a URL")))?;
            let from_env = proxy_from_environment(uri.scheme_str().unwrap_or("https"), uri.host().unwrap_or(""), |n| {
                std::env::var(n).ok()
            });
            let any_variable = ["ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY"]
                .iter()
                .any(|name| std::env::var_os(name).is_some() || std::env::var_os(name.to_ascii_lowercase()).is_some());
            match from_env {
                Some(url) => Some(url),
                // Without any variable, Windows' own proxy setting (ureq
                // reads the registry, with its bypass list); elsewhere none.
                None if cfg!(windows) && !any_variable && !is_loopback(uri.host().unwrap_or("")) => {
                    return Ok(ureq::Proxy::try_from_env())
                }
                None => None,
            }
        }
    };
    match url {
        None => Ok(None),
        Some(url) => ureq::Proxy::new(&url)
            .map(Some)
            .map_err(|_| Error::argument(format!("the proxy {:?} is not a valid URL", without_credentials(&url)))),
    }
}

/// ureq's resolver, with two changes: an IP address is not "resolved" on
/// a thread of its own (ureq spends one on every lookup that has a
/// timeout), and a failed lookup says so, where the system's error would
/// be an uncategorised I/O error.
#[derive(Debug)]
struct NamedResolver(DefaultResolver);

impl Resolver for NamedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or("").trim_start_matches('[').trim_end_matches(']');
        let timeout = if host.parse::<IpAddr>().is_ok() { NextTimeout::default() } else { timeout };
        self.0.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(_) => ureq::Error::HostNotFound,
            other => other,
        })
    }
}

/// Classifies a ureq error by what it tells of the request's fate.
/// Messages are written here, never copied from ureq, so that no URL (and
/// no token in it) can leak.
fn classify(
    error: ureq::Error,
    has_body: bool,
    body_started: bool,
    budget: Duration,
    deadline: &Deadline,
) -> TransportError {
    use ureq::{Error as E, Timeout as T};
    let phase = if !has_body {
        ""
    } else if body_started {
        " after the request went out"
    } else {
        " before the request was sent"
    };
    // `before_sending`: the failure certainly came before anything of the
    // request could reach the server.
    let (kind, before_sending, detail) = match error {
        E::Timeout(T::Resolve) => {
            (TransportKind::Timeout, true, format!("resolving the host name took over {budget:?}"))
        }
        E::Timeout(T::Connect) => (TransportKind::Timeout, true, format!("connecting took over {budget:?}")),
        E::Timeout(_) if deadline.is_cancelled() => (TransportKind::Timeout, false, format!("cancelled{phase}")),
        E::Timeout(_) => (TransportKind::Timeout, false, format!("no complete answer within {budget:?}{phase}")),
        E::HostNotFound => (TransportKind::Connect, true, "the host name could not be resolved (DNS)".to_owned()),
        E::ConnectionFailed => (TransportKind::Connect, true, "the connection could not be made".to_owned()),
        E::ConnectProxyFailed(_) => {
            (TransportKind::Connect, true, "the proxy refused to connect to the server".to_owned())
        }
        E::InvalidProxyUrl => (TransportKind::Connect, true, "the proxy URL is not valid".to_owned()),
        E::Io(io) if handshake_refused(&io).is_some() => {
            (TransportKind::Tls, true, handshake_refused(&io).unwrap_or_default())
        }
        E::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => (TransportKind::Connect, true, "the connection was refused".to_owned()),
            ErrorKind::AddrNotAvailable | ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
                (TransportKind::Connect, true, format!("{:?}", io.kind()))
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                (TransportKind::Timeout, false, format!("the connection timed out{phase}"))
            }
            kind => (TransportKind::Io, false, format!("{kind:?}{phase}")),
        },
        // The handshake comes before the request: nothing was sent.
        E::Tls(what) => (TransportKind::Tls, true, what.to_owned()),
        E::Rustls(e) => (TransportKind::Tls, true, e.to_string()),
        E::BodyExceedsLimit(limit) => {
            (TransportKind::Io, false, format!("the answer is longer than {limit} bytes; reading stopped there"))
        }
        E::Protocol(_) => (TransportKind::Io, false, format!("the server broke the HTTP protocol{phase}")),
        E::BadUri(_) | E::Http(_) => (TransportKind::Connect, true, "the URL is not valid".to_owned()),
        // Redirects are off and the rest carry no URL in their text.
        other => (TransportKind::Io, false, format!("{other}{phase}")),
    };
    // A body not begun is a request the server cannot have acted on.
    let may_have_arrived = if has_body { body_started && !before_sending } else { !before_sending };
    TransportError::new(kind, may_have_arrived, detail)
}

/// The TLS handshake's refusal inside an I/O error (rustls reports it on
/// the first write): a certificate not trusted, a server that speaks no
/// common protocol. The handshake precedes the request, so nothing was sent.
fn handshake_refused(error: &std::io::Error) -> Option<String> {
    use rustls::Error as Tls;
    let tls = error.get_ref()?.downcast_ref::<Tls>()?;
    match tls {
        Tls::InvalidCertificate(_)
        | Tls::NoCertificatesPresented
        | Tls::UnsupportedNameType
        | Tls::PeerIncompatible(_)
        | Tls::InappropriateHandshakeMessage { .. } => Some(format!("the handshake failed: {tls}")),
        _ => None,
    }
}
