//! Errors quote the server's answer (its first bytes, the API's text), and
//! a proxy or a broken server may echo the request back: the login, the
//! password and the token are taken out of anything quoted, in every form
//! they travel in (as is, JSON-escaped, percent-encoded).

use ofdkit::protocol::percent_encode;
use ofdkit::{ApiError, ProtocolError};

/// Shorter values are not searched for: they would blank out ordinary
/// words and numbers of the message, and are no secret anyway.
const MIN_SECRET_CHARS: usize = 4;

const MASK: &str = "***";

/// The values to take out of what is quoted.
#[derive(Default)]
pub(crate) struct Secrets<'a>(Vec<&'a str>);

impl<'a> Secrets<'a> {
    pub(crate) fn new(values: impl IntoIterator<Item = &'a str>) -> Self {
        Secrets(values.into_iter().filter(|v| v.chars().count() >= MIN_SECRET_CHARS).collect())
    }

    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.0 {
            let json = serde_json::to_string(secret).unwrap_or_default();
            let json = json.trim_matches('"');
            for form in [*secret, json, percent_encode(secret).as_str()] {
                if !form.is_empty() && out.contains(form) {
                    out = out.replace(form, MASK);
                }
            }
        }
        out
    }

    /// A protocol error with its quote of `body` taken again from the
    /// redacted whole body, so that a secret cut by the quote's end cannot
    /// leak its first half.
    pub(crate) fn protocol(&self, error: ProtocolError, body: &[u8]) -> ProtocolError {
        if self.0.is_empty() {
            return error;
        }
        let whole = self.text(&String::from_utf8_lossy(body));
        let quoted = if error.body_start.is_empty() { &b""[..] } else { whole.as_bytes() };
        ProtocolError::new(error.kind, error.http_status, self.text(&error.detail), quoted)
    }

    pub(crate) fn api(&self, mut error: ApiError) -> ApiError {
        error.text = self.text(&error.text);
        error.name = error.name.map(|n| self.text(&n));
        error.error_id = error.error_id.map(|n| self.text(&n));
        error
    }

    pub(crate) fn error(&self, error: ofdkit::Error, body: &[u8]) -> ofdkit::Error {
        match error {
            ofdkit::Error::Protocol(p) => ofdkit::Error::Protocol(self.protocol(p, body)),
            ofdkit::Error::Api(a) => ofdkit::Error::Api(self.api(a)),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ofdkit::ErrorCode;

    #[test]
    fn takes_secrets_out_in_every_form() {
        let secrets = Secrets::new(["fermatest2", "Go2\"99&9", "tok-123456", "p"]);
        let echoed = r#"{"login":"fermatest2","pass":"Go2\"99&9"} GET /x?token=tok-123456&pass=Go2%2299%269 p"#;
        let text = secrets.text(echoed);
        for leak in ["fermatest2", "Go2", "tok-123456", "99%26"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert!(text.ends_with(" p"), "short values stay: {text}");
        // A secret across the quote's end is not half shown.
        let body = format!("{}{}", "x".repeat(250), r#"Go2"99&9 and more"#);
        let p = ProtocolError::new(ErrorCode::HttpStatus, 502, "bad", body.as_bytes());
        assert!(p.body_start.contains("Go2"));
        let clean = secrets.protocol(p, body.as_bytes());
        assert!(!clean.body_start.contains("Go2") && clean.body_start.contains("***"), "{}", clean.body_start);
    }
}
