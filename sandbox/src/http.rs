//! Requests as the handlers see them and the replies they give: plain
//! values, so the handlers stay synchronous functions and the server alone
//! moves bytes.

use std::time::Duration;

use bytes::Bytes;

/// A request as the handlers see it.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Empty until the body has been read (authentication comes first).
    pub body: Bytes,
}

impl Request {
    pub(crate) fn new(parts: &hyper::http::request::Parts) -> Request {
        Request {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: parse_query(parts.uri.query()),
            headers: parts
                .headers
                .iter()
                .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect(),
            body: Bytes::new(),
        }
    }

    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The path's segments after `prefix`, or `None` if it does not start so.
    pub(crate) fn segments_after(&self, prefix: &str) -> Option<Vec<String>> {
        let rest = self.path.strip_prefix(prefix)?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        Some(rest.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect())
    }
}

/// How an answer's body goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// All at once.
    Whole,
    /// In ten pieces spread over this time.
    Slow(Duration),
    /// `Content-Length` of the whole body, half of it, then the connection closes.
    Truncated,
    /// The start of the body, then padding forever.
    Endless,
}

/// What to do with a request.
#[derive(Debug)]
pub(crate) enum Reply {
    Answer {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        /// A pause before the headers go out.
        delay: Duration,
        delivery: Delivery,
        /// Close the connection after this answer (the request body may be unread).
        close: bool,
    },
    /// Close the connection without answering.
    Drop,
    /// Never answer; the connection stays open until the client closes it.
    Hang,
}

impl Reply {
    pub(crate) fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::bytes(status, "application/json; charset=utf-8", body.into())
    }

    pub(crate) fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Reply::Answer { status, content_type, body, delay: Duration::ZERO, delivery: Delivery::Whole, close: false }
    }

    pub(crate) fn delayed(self, by: Duration) -> Self {
        match self {
            Reply::Answer { status, content_type, body, delay, delivery, close } => {
                Reply::Answer { status, content_type, body, delay: delay.saturating_add(by), delivery, close }
            }
            other => other,
        }
    }

    pub(crate) fn delivered(self, how: Delivery) -> Self {
        match self {
            Reply::Answer { status, content_type, body, delay, close, .. } => {
                Reply::Answer { status, content_type, body, delay, delivery: how, close }
            }
            other => other,
        }
    }

    pub(crate) fn closing(self) -> Self {
        match self {
            Reply::Answer { status, content_type, body, delay, delivery, .. } => {
                Reply::Answer { status, content_type, body, delay, delivery, close: true }
            }
            other => other,
        }
    }

    /// What a proxy in front of the API answers when it fails: an HTML page.
    pub(crate) fn proxy_error(status: u16) -> Self {
        let reason = hyper::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
        let page = format!(
            "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        );
        Reply::bytes(status, "text/html", page.into_bytes())
    }
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_queries() {
        assert_eq!(
            parse_query(Some("token=a%26b&login=x+y&empty&pass=%D0%96")),
            [
                ("token".into(), "a&b".into()),
                ("login".into(), "x y".into()),
                ("empty".into(), String::new()),
                ("pass".into(), "Ж".into())
            ]
        );
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%Ж1"), "%Ж1");
    }

    #[test]
    fn delays_add_up_without_overflow() {
        let reply = Reply::json(200, "{}").delayed(Duration::MAX).delayed(Duration::MAX);
        assert!(matches!(reply, Reply::Answer { delay: Duration::MAX, .. }));
    }
}
