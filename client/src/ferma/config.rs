//! How the Ferma client reaches Ferma, built by name rather than by the
//! position of four strings (a login and a password swapped would compile).

use std::fmt;
use std::time::Duration;

use ofdkit::protocol::{FermaApi, PollPolicy, Secret, TokenGrant};

use crate::error::Error;
use crate::network::{network_setters, Network, NetworkDraft};

/// How the client reaches Ferma.
///
/// ```
/// use std::time::Duration;
/// use ofdkit_client::FermaConfig;
///
/// let config = FermaConfig::builder()
///     .base_url(FermaConfig::TEST_URL)
///     .login("fermatest2")
///     .password("Go2999483Mb")
///     .group_code("1")
///     .call_timeout(Duration::from_secs(20))
///     .build()?;
/// assert_eq!(config.network.timeouts.call, Duration::from_secs(20));
/// assert!(!format!("{config:?}").contains("Go2999483Mb"));
/// # Ok::<(), ofdkit_client::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct FermaConfig {
    /// [`FermaConfig::PRODUCTION_URL`], [`FermaConfig::TEST_URL`], or a sandbox.
    pub base_url: String,
    pub login: String,
    pub password: Secret,
    /// The cashbox group (ЛКК Ferma, «Реквизиты доступа»; 1 in the test environment).
    pub group_code: String,
    /// Timeouts, proxy and trusted certificates.
    pub network: Network,
    /// How to wait for a document's result.
    pub poll: PollPolicy,
    /// Refresh the token this long before it expires.
    pub token_refresh_margin: Duration,
    /// How many times a request is tried when it certainly did not arrive
    /// (or is a read), and how many times in all a receipt whose answer
    /// was unclear is sent with its external_id before its outcome is
    /// reported unknown.
    pub attempts: u32,
    /// The pause before the second attempt; it doubles for each further one.
    pub retry_pause: Duration,
}

impl FermaConfig {
    /// Ferma's production API.
    pub const PRODUCTION_URL: &'static str = FermaApi::PRODUCTION_BASE_URL;
    /// Ferma's test environment (§6.2).
    pub const TEST_URL: &'static str = FermaApi::TEST_BASE_URL;

    /// A builder: `base_url`, `login`, `password` and `group_code` are needed.
    pub fn builder() -> FermaConfigBuilder {
        FermaConfigBuilder::default()
    }
}

impl fmt::Debug for FermaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FermaConfig")
            .field("base_url", &self.base_url)
            .field("login", &self.login)
            .field("password", &self.password)
            .field("group_code", &self.group_code)
            .field("network", &self.network)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Builds a [`FermaConfig`]; `build` says what is missing or wrong.
#[derive(Clone, Debug, Default)]
pub struct FermaConfigBuilder {
    base_url: Option<String>,
    login: Option<String>,
    password: Option<Secret>,
    group_code: Option<String>,
    network: NetworkDraft,
    poll: Option<PollPolicy>,
    token_refresh_margin: Option<Duration>,
    attempts: Option<u32>,
    retry_pause: Option<Duration>,
}

impl FermaConfigBuilder {
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    pub fn login(mut self, login: impl Into<String>) -> Self {
        self.login = Some(login.into());
        self
    }

    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(Secret::new(password));
        self
    }

    pub fn group_code(mut self, group_code: impl Into<String>) -> Self {
        self.group_code = Some(group_code.into());
        self
    }

    /// How to wait for a document's result.
    pub fn poll(mut self, poll: PollPolicy) -> Self {
        self.poll = Some(poll);
        self
    }

    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = Some(margin);
        self
    }

    /// See [`FermaConfig::attempts`] (3; at least 1).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = Some(attempts);
        self
    }

    /// The pause before the second attempt (200 ms); it doubles after.
    pub fn retry_pause(mut self, pause: Duration) -> Self {
        self.retry_pause = Some(pause);
        self
    }

    network_setters!();

    pub fn build(self) -> Result<FermaConfig, Error> {
        let network = self.network.finish()?;
        let needed = |what: &str| {
            Error::argument(format!(
                "FermaConfig needs {what}{}",
                if what == "base_url" {
                    format!(
                        " (FermaConfig::TEST_URL {}, FermaConfig::PRODUCTION_URL {}, or a sandbox's)",
                        FermaConfig::TEST_URL,
                        FermaConfig::PRODUCTION_URL
                    )
                } else {
                    String::new()
                }
            ))
        };
        let base_url = self.base_url.ok_or_else(|| needed("base_url"))?;
        FermaApi::new(&base_url)?;
        Ok(FermaConfig {
            base_url,
            login: self.login.ok_or_else(|| needed("login"))?,
            password: self.password.ok_or_else(|| needed("password"))?,
            group_code: self.group_code.ok_or_else(|| needed("group_code"))?,
            network,
            poll: self.poll.unwrap_or_default(),
            token_refresh_margin: self
                .token_refresh_margin
                .unwrap_or(Duration::from_secs(TokenGrant::REFRESH_MARGIN_SECONDS as u64)),
            attempts: self.attempts.unwrap_or(3).max(1),
            retry_pause: self.retry_pause.unwrap_or(Duration::from_millis(200)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_is_missing_or_wrong() {
        let partial = FermaConfig::builder().login("l").password("p").group_code("1");
        let error = partial.clone().build().unwrap_err().to_string();
        assert!(error.contains("base_url") && error.contains("ferma-test-at.ofd.ru"), "{error}");
        assert!(partial.clone().base_url("ferma-at.ofd.ru").build().is_err());
        let error = partial.clone().base_url("http://x").proxy_str("ftp://p").build().unwrap_err().to_string();
        assert!(error.contains("proxy"), "{error}");
        let error = partial.base_url("http://x").ca_bundle_pem("not pem").build().unwrap_err().to_string();
        assert!(error.contains("CA bundle"), "{error}");
        let error = FermaConfig::builder().base_url("http://x").login("l").group_code("1").build().unwrap_err();
        assert!(error.to_string().contains("password"));
    }
}
