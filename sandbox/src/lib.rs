//! # ofdkit-sandbox
//!
//! A local simulator of both OFD.ru APIs — Ferma receipts and KKT
//! registration — on 127.0.0.1: a real HTTP server (hyper) that behaves as
//! the specs describe, checks requests with ofdkit's own rules, and fails
//! on purpose when a test asks. It keeps all state in memory: a restart
//! forgets everything.
//!
//! ```
//! use ofdkit_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
//! assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
//! ```
//!
//! Besides the two APIs it answers, for tests in any language:
//! `POST /sandbox/faults` (`{"endpoint": "receipt", "fault": "cashbox_error",
//! "code": 1073, "times": 1}`; `GET /sandbox/faults` lists the kinds),
//! `POST /sandbox/config` (`{"token_timestamp": "issue"}`),
//! `POST /sandbox/expire-tokens`, `GET /sandbox/stats` and
//! `POST /sandbox/reset`.
//!
//! It is meant to survive the clients it tests: headers, bodies and writes
//! have timeouts, bodies a size limit checked before they are read,
//! requests are authenticated before their body is read, connections are
//! bounded, and heavy work runs outside the shared state's locks. See the
//! README for every limit and its default.

mod callback;
mod cashbox;
mod config;
mod control;
mod faults;
mod ferma;
mod http;
mod ofd;
mod payload;
mod routes;
mod server;
mod tls;

use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};

pub use config::{
    SandboxConfig, TokenTimestamp, MAX_BODY_BYTES, MAX_CASHBOXES, MAX_CONNECTIONS, MAX_DELAY, MAX_TIMEOUT,
    MAX_TOKEN_TTL, MIN_BODY_BYTES, MIN_TIMEOUT,
};
pub use faults::{Endpoint, Fault, FaultKind};
#[cfg(feature = "test-ca")]
pub use tls::TestCa;
pub use tls::TlsIdentity;

use faults::Faults;
use ferma::FermaState;
use ofd::OfdState;
use server::Running;

/// What the sandbox has done, for tests to check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub tokens_issued: u64,
    /// Receipt requests accepted (a split receipt counts once).
    pub receipts_registered: u64,
    pub callbacks_delivered: u64,
    pub callbacks_failed: u64,
    /// Connections being served now.
    pub connections_open: u64,
    /// Connections accepted since the start.
    pub connections_accepted: u64,
    /// Times `accept` failed (out of file descriptors, memory…) and the
    /// server backed off.
    pub accept_errors: u64,
    /// Connections closed because headers (or a TLS handshake) did not
    /// arrive within `header_read_timeout`.
    pub header_timeouts: u64,
    /// Requests answered 408 because the body did not arrive within `body_read_timeout`.
    pub body_timeouts: u64,
    /// Requests answered 413 because the body was over `max_body_bytes`.
    pub bodies_too_large: u64,
}

/// The state every request shares.
pub(crate) struct State {
    this: Weak<State>,
    config: RwLock<SandboxConfig>,
    ferma: Mutex<FermaState>,
    ofd: Mutex<OfdState>,
    faults: Mutex<Faults>,
    stats: Mutex<Stats>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked left the data as it was; keep serving.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    fn new(config: SandboxConfig) -> Arc<State> {
        Arc::new_cyclic(|this| State {
            this: this.clone(),
            ferma: Mutex::new(FermaState::new(config.cashboxes)),
            ofd: Mutex::new(OfdState::new(&config.ofd_agreements)),
            faults: Mutex::new(Faults::new(config.seed)),
            stats: Mutex::new(Stats::default()),
            config: RwLock::new(config),
        })
    }

    pub(crate) fn this(&self) -> Option<Arc<State>> {
        self.this.upgrade()
    }

    pub(crate) fn config(&self) -> SandboxConfig {
        self.settings(SandboxConfig::clone)
    }

    /// Reads some settings without copying them all.
    pub(crate) fn settings<T>(&self, read: impl FnOnce(&SandboxConfig) -> T) -> T {
        read(&self.config.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Changes settings when `change` succeeds on a copy; nothing otherwise.
    pub(crate) fn update_config(
        &self,
        change: impl FnOnce(&mut SandboxConfig) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut config = self.config.write().unwrap_or_else(|p| p.into_inner());
        let mut changed = config.clone();
        change(&mut changed)?;
        *config = changed;
        Ok(())
    }

    pub(crate) fn ferma(&self) -> MutexGuard<'_, FermaState> {
        lock(&self.ferma)
    }

    pub(crate) fn ofd(&self) -> MutexGuard<'_, OfdState> {
        lock(&self.ofd)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    pub(crate) fn count(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut lock(&self.stats));
    }

    pub(crate) fn stats(&self) -> Stats {
        lock(&self.stats).clone()
    }

    /// Zeroes the counters, but not the gauge of open connections.
    pub(crate) fn reset_stats(&self) {
        let mut stats = lock(&self.stats);
        *stats = Stats { connections_open: stats.connections_open, ..Stats::default() };
    }
}

/// A running sandbox. It stops when dropped.
pub struct Sandbox {
    state: Arc<State>,
    running: Running,
}

impl Sandbox {
    /// Starts the sandbox on 127.0.0.1 (`config.port`, 0 for any free
    /// port). Settings [`SandboxConfig::check`] refuses are an
    /// `InvalidInput` error naming the setting.
    pub fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        config.check().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let state = State::new(config.clone());
        let running = Running::start(state.clone(), &config)?;
        Ok(Sandbox { state, running })
    }

    /// `http://127.0.0.1:<port>` (`https://` when serving TLS): the base URL of both APIs.
    pub fn base_url(&self) -> String {
        let scheme = if self.running.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.running.addr)
    }

    /// How many connections are served at once: `max_connections`, lowered
    /// to fit the process's open-file limit.
    pub fn connection_limit(&self) -> usize {
        self.running.connection_limit
    }

    pub fn port(&self) -> u16 {
        self.running.addr.port()
    }

    /// The settings in force.
    pub fn config(&self) -> SandboxConfig {
        self.state.config()
    }

    /// Changes settings while running (a token's lifetime, its timestamp,
    /// delays, the drop rate, the timeouts and the body limit). Values
    /// beyond the bounds [`SandboxConfig::check`] enforces are clamped
    /// where they are used; the port, TLS and the connection limit keep
    /// the values the sandbox started with.
    pub fn configure(&self, change: impl FnOnce(&mut SandboxConfig)) {
        change(&mut self.state.config.write().unwrap_or_else(|p| p.into_inner()));
    }

    /// Queues a fault for the next requests of its endpoint.
    pub fn inject(&self, fault: Fault) {
        self.state.faults().push(fault);
    }

    /// Makes every token issued so far expire now.
    pub fn expire_tokens(&self) {
        self.state.ferma().expire_tokens();
    }

    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// How many times each external_id was registered.
    pub fn registrations(&self) -> std::collections::HashMap<String, usize> {
        self.state.ferma().registrations()
    }

    /// Receipts stored (parts of split receipts count one each).
    pub fn receipt_count(&self) -> usize {
        self.state.ferma().receipt_count()
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.running.stop();
    }
}
