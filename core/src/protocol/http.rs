//! The HTTP request and response every protocol function speaks.
//!
//! These are the core's own types rather than the `http` crate's, which
//! ureq 3 and hyper use. Considered and kept (issue 12): the client turns
//! them into ureq's in one place (`client/src/transport.rs`), not per
//! method, so the crate would remove no conversion; and these types do what
//! `http::Request` would not: `Debug` hides tokens and passwords, the query
//! stays unencoded until sent, and the core, the WebAssembly module and the
//! C library keep no HTTP dependency.

use std::fmt;

use crate::error::Error;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
}

impl Method {
    /// The method's name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// A request to send. Query values and bodies may hold credentials, so
/// `Debug` shows the values of `token`, `pass`, `password` and
/// `AuthToken` as `***` and bodies only by size.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// Scheme, host, port and any path prefix: `https://ferma-at.ofd.ru`.
    pub base_url: String,
    /// The path below the base URL, already percent-encoded: `/possystem/v1/getToken`.
    pub path: String,
    /// Query parameters, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Headers, names and values.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

const SECRET_NAMES: [&str; 4] = ["token", "pass", "password", "authtoken"];

fn is_secret(name: &str) -> bool {
    SECRET_NAMES.iter().any(|s| name.eq_ignore_ascii_case(s))
}

impl HttpRequest {
    pub(crate) fn new(method: Method, base_url: &str, path: String) -> Self {
        HttpRequest { method, base_url: base_url.to_owned(), path, query: Vec::new(), headers: Vec::new(), body: None }
    }

    pub(crate) fn with_query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn with_json(mut self, body: Vec<u8>) -> Self {
        self.headers.push(("Content-Type".to_owned(), "application/json; charset=utf-8".to_owned()));
        self.body = Some(body);
        self
    }

    /// The full URL with the query encoded.
    pub fn url(&self) -> String {
        self.url_with(false)
    }

    /// The URL with secrets replaced by `***`, for logs.
    pub fn redacted_url(&self) -> String {
        self.url_with(true)
    }

    fn url_with(&self, redact: bool) -> String {
        let mut url = format!("{}{}", self.base_url, self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&percent_encode(name));
            url.push('=');
            if redact && is_secret(name) {
                url.push_str("***");
            } else {
                url.push_str(&percent_encode(value));
            }
        }
        url
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                (n.as_str(), if is_secret(n) || n.eq_ignore_ascii_case("authorization") { "***" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .finish()
    }
}

/// What came back.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response of a status and a body.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse { status, body: body.into() }
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body", &format!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks and normalises a base URL: `http://` or `https://`, a host, an
/// optional port and path prefix, no query; the trailing slash is dropped.
pub(crate) fn normalize_base_url(base_url: &str) -> Result<String, Error> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| Error::Argument(format!("base URL {base_url:?} must start with http:// or https://")))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(Error::Argument(format!("base URL {base_url:?} needs a host and no query")));
    }
    Ok(trimmed.to_owned())
}

/// A path segment the caller gives (group code, uuid): not empty, and
/// encoded so that it cannot escape its segment.
pub(crate) fn segment(name: &str, value: &str, max_chars: usize) -> Result<String, Error> {
    let n = value.chars().count();
    if value.trim().is_empty() || n > max_chars {
        return Err(Error::Argument(format!("{name} must be 1 to {max_chars} characters, got {n}")));
    }
    Ok(percent_encode(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_urls_and_hides_secrets() {
        let r = HttpRequest::new(Method::Get, "https://ferma-at.ofd.ru", "/possystem/v1/getToken".into())
            .with_query("login", "fermatest 1")
            .with_query("pass", "Hjsf&3321");
        assert_eq!(r.url(), "https://ferma-at.ofd.ru/possystem/v1/getToken?login=fermatest%201&pass=Hjsf%263321");
        let debug = format!("{r:?}");
        assert!(debug.contains("pass=***"), "{debug}");
        assert!(!debug.contains("Hjsf"), "{debug}");
    }

    #[test]
    fn checks_base_urls() {
        assert_eq!(normalize_base_url("https://ferma-at.ofd.ru/").unwrap(), "https://ferma-at.ofd.ru");
        assert_eq!(normalize_base_url("http://127.0.0.1:8080/api").unwrap(), "http://127.0.0.1:8080/api");
        for bad in ["", "ferma-at.ofd.ru", "ftp://x", "https://", "https://x?y=1"] {
            assert!(normalize_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(segment("uuid", "a/b", 128).unwrap(), "a%2Fb");
        assert!(segment("uuid", "", 128).is_err());
        assert!(segment("uuid", &"x".repeat(129), 128).is_err());
    }
}
