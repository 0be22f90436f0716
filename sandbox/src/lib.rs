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
//! "code": 1073, "times": 1}`), `POST /sandbox/expire-tokens`,
//! `GET /sandbox/stats` and `POST /sandbox/reset`.

mod callback;
mod cashbox;
mod config;
mod faults;
mod ferma;
mod ofd;
mod server;

use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};
use std::time::Duration;

use serde_json::{json, Value};

pub use config::SandboxConfig;
pub use faults::{Endpoint, Fault, FaultKind};

use faults::Faults;
use ferma::FermaState;
use ofd::OfdState;
use server::{Reply, Request, Running};

/// What the sandbox has done, for tests to check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub tokens_issued: u64,
    /// Receipt requests accepted (a split receipt counts once).
    pub receipts_registered: u64,
    pub callbacks_delivered: u64,
    pub callbacks_failed: u64,
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
        self.config.read().unwrap_or_else(|p| p.into_inner()).clone()
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
}

/// Picks the handler for a request.
pub(crate) fn route(state: &State, request: &Request) -> Reply {
    let endpoint = endpoint_of(request);
    // Faults that replace the answer whatever the endpoint does.
    let mut delay = Duration::ZERO;
    {
        let mut faults = state.faults();
        if let Some(FaultKind::Garbage(status)) = faults.take(endpoint, |k| matches!(k, FaultKind::Garbage(_))) {
            return Reply::bytes(status, "text/html", b"<html><body>502 Bad Gateway</body></html>".to_vec());
        }
        if let Some(FaultKind::Delay(d)) = faults.take(endpoint, |k| matches!(k, FaultKind::Delay(_))) {
            delay = d;
        }
    }
    let reply = if let Some(rest) = request.segments_after("/possystem/v1") {
        match (request.method.as_str(), rest.iter().map(String::as_str).collect::<Vec<_>>().as_slice()) {
            ("POST" | "GET", ["getToken"]) => ferma::token(state, request),
            ("GET", ["stats", "cashboxes", "extended"]) => ferma::cashbox_stats(state, request),
            ("GET", [group, "report", uuid]) => ferma::report(state, request, group, uuid),
            ("POST", [group, operation]) => ferma::create(state, request, group, operation),
            _ => Reply::json(
                404,
                json!({"error": {"code": 1, "text": "Нет такого метода", "type": "system"}}).to_string(),
            ),
        }
    } else if let Some(rest) = request.segments_after("/api/kkt/application") {
        ofd::handle(state, request, &rest)
    } else if request.path == "/api/partner/v2/kkt/application" && request.method == "POST" {
        ofd::partner(state, request)
    } else if let Some(rest) = request.segments_after("/sandbox") {
        control(state, request, &rest)
    } else {
        Reply::json(404, r#"{"error":"not found"}"#)
    };
    reply.delayed(delay)
}

fn endpoint_of(request: &Request) -> Endpoint {
    let path = request.path.as_str();
    if path.ends_with("/getToken") {
        Endpoint::Token
    } else if path.contains("/report/") {
        Endpoint::Report
    } else if path.contains("/stats/cashboxes") {
        Endpoint::CashboxStats
    } else if path.starts_with("/possystem/") {
        Endpoint::Receipt
    } else if path.starts_with("/api/") {
        Endpoint::Registration
    } else {
        Endpoint::Any
    }
}

/// The control endpoints, for tests written in other languages.
fn control(state: &State, request: &Request, rest: &[String]) -> Reply {
    match (request.method.as_str(), rest.first().map(String::as_str)) {
        ("GET", Some("stats")) => {
            let stats = lock(&state.stats).clone();
            Reply::json(
                200,
                json!({
                    "tokens_issued": stats.tokens_issued,
                    "receipts_registered": stats.receipts_registered,
                    "callbacks_delivered": stats.callbacks_delivered,
                    "callbacks_failed": stats.callbacks_failed,
                    "max_registrations_per_external_id": state.ferma().registrations().values().copied().max().unwrap_or(0),
                })
                .to_string(),
            )
        }
        ("POST", Some("faults")) => match serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|v| Fault::from_json(&v))
        {
            Some(fault) => {
                state.faults().push(fault);
                Reply::json(200, r#"{"ok":true}"#)
            }
            None => Reply::json(400, r#"{"error":"expected {endpoint, fault, code?, ms?, status?, reason?, times?}"}"#),
        },
        ("POST", Some("expire-tokens")) => {
            state.ferma().expire_tokens();
            Reply::json(200, r#"{"ok":true}"#)
        }
        ("POST", Some("reset")) => {
            let config = state.config();
            *state.ferma() = FermaState::new(config.cashboxes);
            *state.ofd() = OfdState::new(&config.ofd_agreements);
            state.faults().clear();
            *lock(&state.stats) = Stats::default();
            Reply::json(200, r#"{"ok":true}"#)
        }
        _ => Reply::json(404, r#"{"error":"not found"}"#),
    }
}

/// A running sandbox. It stops when dropped.
pub struct Sandbox {
    state: Arc<State>,
    running: Running,
}

impl Sandbox {
    /// Starts the sandbox on 127.0.0.1 (`config.port`, 0 for any free port).
    pub fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let port = config.port;
        let state = State::new(config);
        let running = Running::start(state.clone(), port)?;
        Ok(Sandbox { state, running })
    }

    /// `http://127.0.0.1:<port>`: the base URL of both APIs.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.running.addr)
    }

    pub fn port(&self) -> u16 {
        self.running.addr.port()
    }

    /// The settings in force.
    pub fn config(&self) -> SandboxConfig {
        self.state.config()
    }

    /// Changes settings while running (a token's lifetime, delays, the drop rate).
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
        lock(&self.state.stats).clone()
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
