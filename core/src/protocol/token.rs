//! The Ferma token's lifetime, as pure decisions over a time the caller gives.
//!
//! §2 calls the answer's `timestamp` «Время действия токена» and the
//! changelog (version 1.2) says a note on how long a token lives was added;
//! the note itself is not in the text. The timestamp is read as the time
//! the token expires when it lies ahead, and as the time it was issued when
//! it does not: Ferma is a converter of ATOL Online's API, whose tokens
//! live 24 hours, so an issue time means 24 hours of use. Either way a
//! token serves at least half of its life, so a misread timestamp can never
//! make the client fetch a token before every request; a token refused
//! earlier than expected is replaced once, on the auth error.

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
    /// A secret holding `value`.
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

/// A token and the answer's `timestamp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGrant {
    /// The token.
    pub token: Secret,
    /// The answer's `timestamp` (§2, «время действия токена»), in Moscow
    /// time: the expiry, or the issue time (see [`TokenGrant::lifetime`]).
    pub valid_until: Option<DateTime>,
}

impl TokenGrant {
    /// By default, refresh a token this long before it expires, so that a
    /// request started with it does not arrive after its end.
    pub const REFRESH_MARGIN_SECONDS: i64 = 60;

    /// A token's life when the answer gives only its issue time, or no
    /// time at all: 24 hours, as ATOL Online's tokens (see the module).
    pub const DEFAULT_LIFETIME_SECONDS: i64 = 24 * 3600;

    /// A timestamp at most this far ahead of the local clock is an issue
    /// time seen through clock skew, not an expiry: a cash register's clock
    /// is often minutes off, and taking "now + 2 minutes" for an expiry
    /// would mean a new token every minute.
    pub const CLOCK_SKEW_SECONDS: i64 = 5 * 60;

    /// How long the token may be used, counted from `received_at` (Unix
    /// seconds by the local clock, when the answer arrived).
    ///
    /// ```
    /// use ofdkit::datetime::DateTime;
    /// use ofdkit::protocol::{Secret, TokenGrant, FERMA_UTC_OFFSET_SECONDS};
    /// let now = DateTime::new(2026, 11, 30, 12, 0, 0).unwrap();
    /// let at = now.to_unix(FERMA_UTC_OFFSET_SECONDS);
    /// // An expiry two hours ahead: two hours.
    /// let expiry = TokenGrant { token: Secret::new("t"), valid_until: Some(DateTime::new(2026, 11, 30, 14, 0, 0).unwrap()) };
    /// assert_eq!(expiry.lifetime(at), 2 * 3600);
    /// // The issue time (now): the documented 24 hours.
    /// let issued = TokenGrant { token: Secret::new("t"), valid_until: Some(now) };
    /// assert_eq!(issued.lifetime(at), TokenGrant::DEFAULT_LIFETIME_SECONDS);
    /// ```
    pub fn lifetime(&self, received_at: i64) -> i64 {
        match self.valid_until.map(|t| t.to_unix(FERMA_UTC_OFFSET_SECONDS)) {
            Some(expiry) if expiry - received_at > Self::CLOCK_SKEW_SECONDS => expiry - received_at,
            _ => Self::DEFAULT_LIFETIME_SECONDS,
        }
    }

    /// Seconds after `received_at` when the token should be replaced:
    /// `margin_seconds` before its end, but never in the first half of its
    /// life.
    pub fn refresh_after(&self, received_at: i64, margin_seconds: i64) -> i64 {
        let life = self.lifetime(received_at);
        life.saturating_sub(margin_seconds).max(life / 2)
    }

    /// Whether the token should be replaced before a request made at `now`
    /// (Unix seconds); `obtained_at` is when it was received.
    pub fn needs_refresh(&self, obtained_at: i64, now: i64, margin_seconds: i64) -> bool {
        now >= obtained_at.saturating_add(self.refresh_after(obtained_at, margin_seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(valid_until: Option<DateTime>) -> TokenGrant {
        TokenGrant { token: Secret::new("t"), valid_until }
    }

    #[test]
    fn an_expiry_ahead_is_an_expiry() {
        let until = DateTime::new(2017, 11, 30, 17, 58, 53).unwrap();
        let expiry = until.to_unix(FERMA_UTC_OFFSET_SECONDS);
        let g = grant(Some(until));
        let margin = TokenGrant::REFRESH_MARGIN_SECONDS;
        let obtained = expiry - 3600;
        assert_eq!(g.lifetime(obtained), 3600);
        assert!(!g.needs_refresh(obtained, expiry - 61, margin));
        assert!(g.needs_refresh(obtained, expiry - 60, margin));
        assert!(g.needs_refresh(obtained, expiry + 1, margin));
        assert_eq!(format!("{:?}", g.token), "Secret(***)");
    }

    #[test]
    fn a_timestamp_not_ahead_is_the_issue_time() {
        let now = DateTime::new(2026, 11, 30, 12, 0, 0).unwrap();
        let at = now.to_unix(FERMA_UTC_OFFSET_SECONDS);
        for g in [grant(Some(now)), grant(Some(DateTime::new(2026, 11, 30, 11, 0, 0).unwrap())), grant(None)] {
            assert_eq!(g.lifetime(at), 24 * 3600, "{g:?}");
            assert!(!g.needs_refresh(at, at + 23 * 3600, 60));
            assert!(g.needs_refresh(at, at + 24 * 3600, 60));
        }
        // Two minutes ahead is the issue time seen through a skewed clock.
        let skewed = grant(Some(DateTime::new(2026, 11, 30, 12, 2, 0).unwrap()));
        assert_eq!(skewed.lifetime(at), 24 * 3600);
    }

    #[test]
    fn a_short_life_still_serves_half_of_it() {
        let now = DateTime::new(2026, 11, 30, 12, 0, 0).unwrap();
        let at = now.to_unix(FERMA_UTC_OFFSET_SECONDS);
        // Ten minutes to live and a 15-minute margin: refreshed after 5, not at once.
        let short = grant(Some(DateTime::new(2026, 11, 30, 12, 10, 0).unwrap()));
        assert_eq!(short.refresh_after(at, 15 * 60), 5 * 60);
        assert!(!short.needs_refresh(at, at + 1, 15 * 60));
    }
}
