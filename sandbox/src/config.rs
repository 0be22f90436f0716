//! What the sandbox is told: credentials, timings, limits and failure
//! injection. Defaults suit a demo (a receipt is processed in 300 ms);
//! tests set their own, so they run fast and deterministic.
//!
//! [`SandboxConfig::check`] refuses values the sandbox cannot honour (the
//! binary prints its message, [`crate::Sandbox::start`] returns it as an
//! error); settings changed while running are clamped instead, so no value
//! ever panics a handler.

use std::time::Duration;

use crate::tls::TlsIdentity;

/// The longest token lifetime honoured: ten years. Longer ones are refused
/// at start and clamped when changed while running (an `Instant` that far
/// ahead may not exist, and Ferma's timestamp has four year digits).
pub const MAX_TOKEN_TTL: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// The longest processing, answer or FNS step delay honoured: one day.
pub const MAX_DELAY: Duration = Duration::from_secs(24 * 3600);
/// The longest timeout honoured: one day; the shortest: one millisecond.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
pub const MIN_TIMEOUT: Duration = Duration::from_millis(1);
/// Bounds of the body size limit: a getToken body fits the lower one.
pub const MIN_BODY_BYTES: u64 = 1024;
pub const MAX_BODY_BYTES: u64 = 1 << 30;
/// Bounds of the connection limit.
pub const MAX_CONNECTIONS: usize = 100_000;
/// Bounds of the cashbox count (each is a simulated fiscal drive in memory).
pub const MAX_CASHBOXES: usize = 1000;

/// Which time the answer to getToken carries in `timestamp`.
///
/// Ferma's spec (§2) calls it «Время действия токена авторизации» — the
/// time the token is valid until — and that is the default. Ferma has been
/// seen sending the time of issue instead (issue 10); clients must cope
/// with both, so the sandbox can send either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TokenTimestamp {
    /// The token's expiry: issue time plus `token_ttl` (the spec's reading).
    #[default]
    Expiry,
    /// The time the token was issued.
    Issue,
}

impl TokenTimestamp {
    /// `expiry` or `issue`: the names the flag and `POST /sandbox/config` take.
    pub fn name(self) -> &'static str {
        match self {
            TokenTimestamp::Expiry => "expiry",
            TokenTimestamp::Issue => "issue",
        }
    }

    pub fn from_name(name: &str) -> Option<TokenTimestamp> {
        match name {
            "expiry" => Some(TokenTimestamp::Expiry),
            "issue" => Some(TokenTimestamp::Issue),
            _ => None,
        }
    }
}

/// The sandbox's settings. Every field has a command-line flag of the same
/// name in `ofdkit-sandbox` (`--token-ttl-seconds`, `--max-body-bytes`, …).
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Ferma's login and password.
    pub login: String,
    pub password: String,
    /// The cashbox group receipts are sent to (1, as in Ferma's test environment).
    pub group_code: String,
    /// How long a token lives (at most [`MAX_TOKEN_TTL`]).
    pub token_ttl: Duration,
    /// What getToken's `timestamp` is: the expiry (default) or the issue time.
    pub token_timestamp: TokenTimestamp,
    /// How long a receipt stays `wait` before `done` or `fail`.
    pub processing_delay: Duration,
    /// A pause before every answer (for timeout tests).
    pub response_delay: Duration,
    /// Whether receipts over 20 000 characters are split (§3.2: Ferma's
    /// support turns this on); when off they are refused.
    pub split_enabled: bool,
    /// The share of receipt requests whose connection is dropped after the
    /// body was read (half before fiscalising, half after), 0.0 to 1.0.
    pub drop_rate: f64,
    /// The seed of the injected failures' random choices.
    pub seed: u64,
    /// The registration API's `AuthToken`.
    pub ofd_auth_token: String,
    /// The personal cabinets applications may be created for.
    pub ofd_agreements: Vec<String>,
    /// How long each processing step of an application takes (checking,
    /// sending to the FNS, the FNS's answer).
    pub fns_step_delay: Duration,
    /// How many cashboxes the group has.
    pub cashboxes: usize,
    /// How long a client may take to send a request's headers, counted from
    /// when the server is ready to read them: on a new connection from its
    /// accept, on a kept-alive one from the previous answer (so it is also
    /// the idle timeout). For TLS it bounds the handshake too. Default 30 s:
    /// longer than the 15 s a ureq client keeps an idle connection, so a
    /// pooled connection is never closed under a client about to reuse it.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a whole body once its headers
    /// are in. Past it the answer is 408 and the connection is closed.
    /// Default 30 s.
    pub body_read_timeout: Duration,
    /// How long writing an answer may stall (the client reads nothing)
    /// before the connection is closed. Default 30 s.
    pub write_timeout: Duration,
    /// The largest request body accepted, in bytes. A larger
    /// `Content-Length` is answered 413 before any of the body is read; a
    /// chunked body is cut off with 413 as soon as it passes the limit.
    /// Default 8 MiB: a receipt split into hundreds of parts fits.
    pub max_body_bytes: u64,
    /// How many connections are served at once. Further ones wait in the
    /// listen backlog, unread, until one closes. Default 1024; lowered at
    /// start to fit the process's open-file limit (see the README).
    pub max_connections: usize,
    /// Serve HTTPS with this certificate chain and key instead of HTTP.
    pub tls: Option<TlsIdentity>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            login: "fermatest2".to_owned(),
            password: "Go2999483Mb".to_owned(),
            group_code: "1".to_owned(),
            token_ttl: Duration::from_secs(24 * 3600),
            token_timestamp: TokenTimestamp::Expiry,
            processing_delay: Duration::from_millis(300),
            response_delay: Duration::ZERO,
            split_enabled: true,
            drop_rate: 0.0,
            seed: 1,
            ofd_auth_token: "sandbox-ofd-token".to_owned(),
            ofd_agreements: vec!["555b55e5-a555-4e55-95d5-5fcbafd5fe55".to_owned()],
            fns_step_delay: Duration::from_millis(300),
            cashboxes: 2,
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_body_bytes: 8 << 20,
            max_connections: 1024,
            tls: None,
        }
    }
}

impl SandboxConfig {
    /// Settings for tests: nothing waits.
    pub fn instant() -> Self {
        SandboxConfig { processing_delay: Duration::ZERO, fns_step_delay: Duration::ZERO, ..SandboxConfig::default() }
    }

    /// Whether the sandbox can honour these settings; the message names the
    /// setting, its bound and the value given.
    pub fn check(&self) -> Result<(), String> {
        fn at_most(name: &str, value: Duration, max: Duration) -> Result<(), String> {
            if value > max {
                return Err(format!("{name} must be at most {} s, got {} s", max.as_secs(), value.as_secs()));
            }
            Ok(())
        }
        fn timeout(name: &str, value: Duration) -> Result<(), String> {
            if value < MIN_TIMEOUT {
                return Err(format!("{name} must be at least 1 ms"));
            }
            at_most(name, value, MAX_TIMEOUT)
        }
        at_most("token_ttl", self.token_ttl, MAX_TOKEN_TTL)?;
        at_most("processing_delay", self.processing_delay, MAX_DELAY)?;
        at_most("response_delay", self.response_delay, MAX_DELAY)?;
        at_most("fns_step_delay", self.fns_step_delay, MAX_DELAY)?;
        timeout("header_read_timeout", self.header_read_timeout)?;
        timeout("body_read_timeout", self.body_read_timeout)?;
        timeout("write_timeout", self.write_timeout)?;
        if !(0.0..=1.0).contains(&self.drop_rate) {
            return Err(format!("drop_rate must be between 0 and 1, got {}", self.drop_rate));
        }
        if !(1..=MAX_CASHBOXES).contains(&self.cashboxes) {
            return Err(format!("cashboxes must be 1 to {MAX_CASHBOXES}, got {}", self.cashboxes));
        }
        if !(MIN_BODY_BYTES..=MAX_BODY_BYTES).contains(&self.max_body_bytes) {
            return Err(format!(
                "max_body_bytes must be {MIN_BODY_BYTES} to {MAX_BODY_BYTES}, got {}",
                self.max_body_bytes
            ));
        }
        if !(1..=MAX_CONNECTIONS).contains(&self.max_connections) {
            return Err(format!("max_connections must be 1 to {MAX_CONNECTIONS}, got {}", self.max_connections));
        }
        if self.group_code.is_empty() || self.group_code.contains('/') {
            return Err(format!("group_code must be a non-empty path segment, got {:?}", self.group_code));
        }
        if let Some(tls) = &self.tls {
            tls.server_config().map_err(|e| format!("tls: {e}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_it_cannot_honour_and_names_it() {
        assert_eq!(SandboxConfig::default().check(), Ok(()));
        let refused = |change: fn(&mut SandboxConfig)| {
            let mut config = SandboxConfig::default();
            change(&mut config);
            config.check().unwrap_err()
        };
        assert!(refused(|c| c.token_ttl = Duration::MAX).starts_with("token_ttl must be at most"));
        assert!(refused(|c| c.processing_delay = Duration::MAX).starts_with("processing_delay"));
        assert!(refused(|c| c.drop_rate = f64::NAN).starts_with("drop_rate"));
        assert!(refused(|c| c.cashboxes = 0).starts_with("cashboxes"));
        assert!(refused(|c| c.cashboxes = usize::MAX).starts_with("cashboxes"));
        assert!(refused(|c| c.max_connections = usize::MAX).starts_with("max_connections"));
        assert!(refused(|c| c.header_read_timeout = Duration::ZERO).starts_with("header_read_timeout"));
        assert!(refused(|c| c.max_body_bytes = u64::MAX).starts_with("max_body_bytes"));
        assert!(refused(|c| c.group_code = "a/b".into()).starts_with("group_code"));
    }

    #[test]
    fn token_timestamp_names_round_trip() {
        for form in [TokenTimestamp::Expiry, TokenTimestamp::Issue] {
            assert_eq!(TokenTimestamp::from_name(form.name()), Some(form));
        }
        assert_eq!(TokenTimestamp::from_name("later"), None);
    }
}
