//! The Ferma token's lifetime, as pure decisions over a time the caller gives.

use std::fmt;

use crate::datetime::DateTime;

/// Ferma's timestamps carry no zone; they are Moscow time (UTC+3), the
/// zone of the spec's examples and of OFD.ru. Only `receipt_datetime` is
/// UTC+0, as table 4.1 says.
pub const FERMA_UTC_OFFSET_SECONDS: i32 = 3 * 3600;

/// A credential that never shows itself in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A token and until when it may be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGrant {
    pub token: Secret,
    /// When the token stops being valid: the answer's `timestamp` (§2,
    /// "время действия токена"), in Moscow time.
    pub valid_until: Option<DateTime>,
}

impl TokenGrant {
    /// By default, refresh a token this long before it expires, so that a
    /// request started with it does not arrive after its end.
    pub const REFRESH_MARGIN_SECONDS: i64 = 60;

    /// When the answer gives no validity, assume this (ATOL Online's tokens
    /// live 24 hours); the client refreshes once more on an auth error anyway.
    pub const DEFAULT_LIFETIME_SECONDS: i64 = 24 * 3600;

    /// Whether the token should be replaced before a request made at `now`
    /// (Unix seconds), `margin_seconds` before it expires. `obtained_at` is
    /// when the token was received.
    pub fn needs_refresh(&self, obtained_at: i64, now: i64, margin_seconds: i64) -> bool {
        let expires_at = match self.valid_until {
            Some(until) => until.to_unix(FERMA_UTC_OFFSET_SECONDS),
            None => obtained_at.saturating_add(Self::DEFAULT_LIFETIME_SECONDS),
        };
        now.saturating_add(margin_seconds) >= expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_before_expiry() {
        let until = DateTime::new(2017, 11, 30, 17, 58, 53).unwrap();
        let grant = TokenGrant { token: Secret::new("t"), valid_until: Some(until) };
        let expiry = until.to_unix(FERMA_UTC_OFFSET_SECONDS);
        let margin = TokenGrant::REFRESH_MARGIN_SECONDS;
        assert!(!grant.needs_refresh(expiry - 3600, expiry - 61, margin));
        assert!(grant.needs_refresh(expiry - 3600, expiry - 60, margin));
        assert!(grant.needs_refresh(expiry - 3600, expiry + 1, margin));
        assert!(!grant.needs_refresh(expiry - 3600, expiry - 1, 0));
        let unknown = TokenGrant { token: Secret::new("t"), valid_until: None };
        assert!(!unknown.needs_refresh(1000, 1000 + 3600, margin));
        assert!(unknown.needs_refresh(1000, 1000 + 24 * 3600, margin));
        assert_eq!(format!("{:?}", grant.token), "Secret(***)");
    }
}
