//! How a client reaches its server: timeouts, the proxy, and which
//! certificates it trusts. Both clients take the same settings.
//!
//! Trust: the operating system's certificate store (Windows' and macOS's
//! own verifiers; on Linux the system's CA files), instead of a list built
//! into ofdkit. A shop's IT controls that store: the CA of a
//! TLS-inspecting proxy installed there is trusted, and a distrusted root
//! removed by an OS update is gone, without a new ofdkit. A [`CaBundle`]
//! adds certificates to it. Certificate checks cannot be switched off.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::error::Error;

/// How long a client waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Connecting: name resolution, TCP, the proxy and TLS.
    pub connect: Duration,
    /// One exchange, from connecting to the last byte of the answer.
    pub request: Duration,
    /// One whole call (a token, a send, a report, a registration call):
    /// every attempt and pause, the token included. The call ends by then
    /// whatever the server does. [`wait`](crate::FermaClient::wait) and
    /// [`fiscalize`](crate::FermaClient::fiscalize) take their own deadline.
    pub call: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(30), call: Duration::from_secs(60) }
    }
}

impl Timeouts {
    pub fn new(connect: Duration, request: Duration, call: Duration) -> Self {
        Timeouts { connect, request, call }
    }
}

/// Which proxy to use.
///
/// Parsed from text the same way in every binding: `"direct"` for none,
/// `""` or `"environment"` for the environment, otherwise a proxy URL.
///
/// ```
/// use ofdkit_client::Proxy;
/// assert_eq!("direct".parse::<Proxy>().unwrap(), Proxy::Direct);
/// assert_eq!("".parse::<Proxy>().unwrap(), Proxy::FromEnvironment);
/// assert_eq!("http://proxy:3128".parse::<Proxy>().unwrap(), Proxy::Url("http://proxy:3128".into()));
/// assert!("proxy:3128".parse::<Proxy>().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Proxy {
    /// `HTTPS_PROXY` for an `https://` server and `HTTP_PROXY` for an
    /// `http://` one (either in lower case too), else `ALL_PROXY`, unless
    /// `NO_PROXY` names the host; on Windows without them, the system
    /// proxy. Loopback hosts (`localhost`, `127.0.0.1`, `::1`) are always
    /// reached directly, as most tools do.
    #[default]
    FromEnvironment,
    /// No proxy.
    Direct,
    /// This proxy: `http://host:port` or `https://host:port`, with
    /// `user:password@` if it asks for them. It is used even for loopback
    /// hosts.
    Url(String),
}

impl FromStr for Proxy {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim() {
            "" | "environment" => Ok(Proxy::FromEnvironment),
            "direct" => Ok(Proxy::Direct),
            url => {
                check_proxy_url(url)?;
                Ok(Proxy::Url(url.to_owned()))
            }
        }
    }
}

/// Only HTTP CONNECT proxies, reached over HTTP or HTTPS.
pub(crate) fn check_proxy_url(url: &str) -> Result<(), Error> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(Error::argument(format!(
            "proxy {:?} must be an http:// or https:// URL, \"direct\" or \"environment\"",
            without_credentials(url)
        )));
    }
    ureq::Proxy::new(url)
        .map(|_| ())
        .map_err(|_| Error::argument(format!("proxy {:?} is not a valid URL", without_credentials(url))))
}

/// A proxy URL for messages: `user:password@` dropped.
pub(crate) fn without_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}***@{}", &url[..scheme + 3], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::FromEnvironment => f.write_str("environment"),
            Proxy::Direct => f.write_str("direct"),
            Proxy::Url(url) => f.write_str(&without_credentials(url)),
        }
    }
}

/// Certificates trusted in addition to the operating system's store: the
/// CA of a TLS-inspecting proxy, of a private deployment, or a whole
/// bundle on a machine without a store.
#[derive(Clone, PartialEq, Eq)]
pub struct CaBundle {
    certificates: Vec<Vec<u8>>,
}

impl CaBundle {
    /// Reads PEM text: every `CERTIFICATE` block in it. Text without one,
    /// or with a block that is not valid, is refused.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, Error> {
        let mut certificates = Vec::new();
        for item in ureq::tls::parse_pem(pem.as_ref()) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => certificates.push(c.der().to_vec()),
                Ok(_) => {}
                Err(_) => return Err(Error::argument("the CA bundle is not valid PEM")),
            }
        }
        if certificates.is_empty() {
            return Err(Error::argument("the CA bundle holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
        }
        Ok(CaBundle { certificates })
    }

    /// Reads a PEM file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let pem = std::fs::read(path)
            .map_err(|e| Error::argument(format!("cannot read the CA bundle {}: {e}", path.display())))?;
        Self::from_pem(pem)
    }

    /// The certificates, DER.
    pub fn certificates(&self) -> impl Iterator<Item = &[u8]> {
        self.certificates.iter().map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }
}

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaBundle({} certificates)", self.certificates.len())
    }
}

/// Timeouts, proxy and trust, as both clients take them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Network {
    pub timeouts: Timeouts,
    pub proxy: Proxy,
    /// Certificates trusted besides the operating system's store.
    pub ca_bundle: Option<CaBundle>,
}

/// The network settings of a config builder, and the first error met
/// while giving them (reported by `build`).
#[derive(Clone, Debug, Default)]
pub(crate) struct NetworkDraft {
    pub(crate) network: Network,
    pub(crate) error: Option<Error>,
}

impl NetworkDraft {
    pub(crate) fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    pub(crate) fn finish(self) -> Result<Network, Error> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.network),
        }
    }
}

/// The setters both config builders share, over a `network: NetworkDraft` field.
macro_rules! network_setters {
    () => {
        /// All three timeouts.
        pub fn timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.network.network.timeouts = timeouts;
            self
        }

        /// Connecting: name resolution, TCP, the proxy and TLS (10 s).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.network.network.timeouts.connect = timeout;
            self
        }

        /// One exchange, from connecting to the last byte of the answer (30 s).
        pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.network.network.timeouts.request = timeout;
            self
        }

        /// One whole call, every attempt and the token included (60 s).
        pub fn call_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.network.network.timeouts.call = timeout;
            self
        }

        /// The proxy ([`Proxy::FromEnvironment`]($crate::Proxy::FromEnvironment) by default).
        pub fn proxy(mut self, proxy: $crate::Proxy) -> Self {
            self.network.network.proxy = proxy;
            self
        }

        /// The proxy as text: a URL, `"direct"` or `"environment"`.
        pub fn proxy_str(mut self, proxy: &str) -> Self {
            match proxy.parse() {
                Ok(proxy) => self.network.network.proxy = proxy,
                Err(e) => self.network.fail(e),
            }
            self
        }

        /// Certificates trusted besides the operating system's store.
        pub fn ca_bundle(mut self, bundle: $crate::CaBundle) -> Self {
            self.network.network.ca_bundle = Some(bundle);
            self
        }

        /// [`ca_bundle`](Self::ca_bundle) from PEM text.
        pub fn ca_bundle_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
            match $crate::CaBundle::from_pem(pem) {
                Ok(bundle) => self.network.network.ca_bundle = Some(bundle),
                Err(e) => self.network.fail(e),
            }
            self
        }

        /// [`ca_bundle`](Self::ca_bundle) from a PEM file.
        pub fn ca_bundle_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
            match $crate::CaBundle::from_file(path) {
                Ok(bundle) => self.network.network.ca_bundle = Some(bundle),
                Err(e) => self.network.fail(e),
            }
            self
        }

        /// Timeouts, proxy and trust at once.
        pub fn network(mut self, network: $crate::Network) -> Self {
            self.network.network = network;
            self
        }
    };
}
pub(crate) use network_setters;

/// The proxy the environment asks for, for a server at `scheme://host`:
/// `lookup` reads a variable. Pure, so that it is tested without touching
/// the process's environment.
pub(crate) fn proxy_from_environment(
    scheme: &str,
    host: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    if is_loopback(host) {
        return None;
    }
    let read = |name: &str| {
        lookup(name)
            .or_else(|| lookup(&name.to_ascii_lowercase()))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    if let Some(no_proxy) = read("NO_PROXY") {
        if no_proxy.split(',').any(|entry| no_proxy_matches(entry.trim(), host)) {
            return None;
        }
    }
    let specific = if scheme.eq_ignore_ascii_case("https") { "HTTPS_PROXY" } else { "HTTP_PROXY" };
    read(specific).or_else(|| read("ALL_PROXY")).map(|url| {
        // A proxy written without a scheme (`proxy:3128`) is HTTP, as curl takes it.
        if url.contains("://") {
            url
        } else {
            format!("http://{url}")
        }
    })
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// One `NO_PROXY` entry: `*`, a host, `.domain` or `*.domain` (the domain
/// and everything under it), with an optional `:port` that is ignored.
fn no_proxy_matches(entry: &str, host: &str) -> bool {
    if entry == "*" {
        return true;
    }
    let entry = entry.trim_start_matches("*.").trim_start_matches('.');
    let entry = match entry.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.contains(':') => name,
        _ => entry,
    };
    let (entry, host) = (entry.to_ascii_lowercase(), host.to_ascii_lowercase());
    !entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn the_environment_chooses_by_scheme_and_host() {
        let vars = [("HTTPS_PROXY", "http://secure:3128"), ("http_proxy", "plain:8080"), ("ALL_PROXY", "http://all:1")];
        assert_eq!(
            proxy_from_environment("https", "ferma-at.ofd.ru", env(&vars)).as_deref(),
            Some("http://secure:3128")
        );
        assert_eq!(proxy_from_environment("http", "example.ru", env(&vars)).as_deref(), Some("http://plain:8080"));
        assert_eq!(
            proxy_from_environment("https", "x", env(&[("ALL_PROXY", "http://all:1")])).as_deref(),
            Some("http://all:1")
        );
        assert_eq!(proxy_from_environment("https", "x", env(&[])), None);
        for loopback in ["127.0.0.1", "localhost", "[::1]", "127.8.0.1"] {
            assert_eq!(proxy_from_environment("http", loopback, env(&vars)), None, "{loopback}");
        }
        let bypass = [("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "intranet.local, .ofd.ru,10.0.0.7:443")];
        assert_eq!(proxy_from_environment("https", "ferma-at.ofd.ru", env(&bypass)), None);
        assert_eq!(proxy_from_environment("https", "ofd.ru", env(&bypass)), None);
        assert_eq!(proxy_from_environment("https", "10.0.0.7", env(&bypass)), None);
        assert_eq!(proxy_from_environment("https", "notofd.ru", env(&bypass)).as_deref(), Some("http://p:1"));
        assert_eq!(
            proxy_from_environment("https", "x", env(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "*")])),
            None
        );
    }

    #[test]
    fn proxies_parse_and_hide_their_passwords() {
        assert_eq!("environment".parse::<Proxy>().unwrap(), Proxy::FromEnvironment);
        let with_password: Proxy = "http://shop:s3cret@proxy.local:3128".parse().unwrap();
        assert_eq!(with_password.to_string(), "http://***@proxy.local:3128");
        let error = "socks5://shop:s3cret@proxy:1080".parse::<Proxy>().unwrap_err().to_string();
        assert!(!error.contains("s3cret"), "{error}");
    }

    #[test]
    fn a_bundle_needs_a_certificate() {
        assert!(CaBundle::from_pem("").is_err());
        assert!(CaBundle::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").is_err());
        assert!(CaBundle::from_file("/nonexistent/ca.pem").unwrap_err().to_string().contains("/nonexistent/ca.pem"));
    }
}
