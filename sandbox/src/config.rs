//! What the sandbox is told: credentials, timings and failure injection.
//! Defaults suit a demo (a receipt is processed in 300 ms); tests set
//! their own, so they run fast and deterministic.

use std::time::Duration;

/// The sandbox's settings. Every field has a command-line flag of the same
/// name in `ofdkit-sandbox` (`--token-ttl-seconds`, …).
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Ferma's login and password.
    pub login: String,
    pub password: String,
    /// The cashbox group receipts are sent to (1, as in Ferma's test environment).
    pub group_code: String,
    /// How long a token lives.
    pub token_ttl: Duration,
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
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            login: "fermatest2".to_owned(),
            password: "Go2999483Mb".to_owned(),
            group_code: "1".to_owned(),
            token_ttl: Duration::from_secs(24 * 3600),
            processing_delay: Duration::from_millis(300),
            response_delay: Duration::ZERO,
            split_enabled: true,
            drop_rate: 0.0,
            seed: 1,
            ofd_auth_token: "sandbox-ofd-token".to_owned(),
            ofd_agreements: vec!["555b55e5-a555-4e55-95d5-5fcbafd5fe55".to_owned()],
            fns_step_delay: Duration::from_millis(300),
            cashboxes: 2,
        }
    }
}

impl SandboxConfig {
    /// Settings for tests: nothing waits.
    pub fn instant() -> Self {
        SandboxConfig { processing_delay: Duration::ZERO, fns_step_delay: Duration::ZERO, ..SandboxConfig::default() }
    }
}
