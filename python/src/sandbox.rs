//! The loopback sandbox of both APIs inside the module, for users' own
//! tests: `ofdkit.sandbox.Sandbox` wraps it.

use std::sync::Mutex;
use std::time::Duration;

use ofdkit_sandbox::{Fault, FaultKind, Sandbox, SandboxConfig};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{integer_arg, number_arg};
use crate::errors::{guard, Failure};

/// A running sandbox on 127.0.0.1; `stop()` (or the last reference going)
/// shuts it down.
#[pyclass(name = "Sandbox", module = "ofdkit._native", frozen)]
pub struct PySandbox {
    running: Mutex<Option<Sandbox>>,
    base_url: String,
    config: SandboxConfig,
}

fn duration(seconds: f64, name: &str) -> Result<Duration, Failure> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| Failure::argument(format!("{name} must be a non-negative number of seconds, got {seconds}")))
}

impl PySandbox {
    fn with<T>(&self, body: impl FnOnce(&Sandbox) -> T) -> Result<T, Failure> {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running
            .as_ref()
            .map(body)
            .ok_or_else(|| Failure::new(ofdkit::ErrorCode::InvalidState, "the sandbox is stopped"))
    }
}

#[pymethods]
impl PySandbox {
    #[new]
    #[pyo3(signature = (port=None, processing_delay=None, fns_step_delay=None, token_ttl=None, response_delay=None, split_enabled=true, drop_rate=None, seed=None, cashboxes=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: Option<&Bound<'_, PyAny>>,
        processing_delay: Option<&Bound<'_, PyAny>>,
        fns_step_delay: Option<&Bound<'_, PyAny>>,
        token_ttl: Option<&Bound<'_, PyAny>>,
        response_delay: Option<&Bound<'_, PyAny>>,
        split_enabled: bool,
        drop_rate: Option<&Bound<'_, PyAny>>,
        seed: Option<&Bound<'_, PyAny>>,
        cashboxes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let defaults = SandboxConfig::default();
            let seconds = |value: Option<&Bound<'_, PyAny>>, name: &str, default: Duration| match value {
                Some(v) => duration(number_arg(v, name)?, name),
                None => Ok(default),
            };
            let drop_rate = drop_rate.map(|d| number_arg(d, "drop_rate")).transpose()?.unwrap_or(0.0);
            if !(0.0..=1.0).contains(&drop_rate) {
                return Err(Failure::argument(format!("drop_rate must be between 0 and 1, got {drop_rate}")));
            }
            let config = SandboxConfig {
                port: port.map(|p| integer_arg::<u16>(p, "port")).transpose()?.unwrap_or(0),
                processing_delay: seconds(processing_delay, "processing_delay", Duration::ZERO)?,
                fns_step_delay: seconds(fns_step_delay, "fns_step_delay", Duration::ZERO)?,
                token_ttl: seconds(token_ttl, "token_ttl", defaults.token_ttl)?,
                response_delay: seconds(response_delay, "response_delay", Duration::ZERO)?,
                split_enabled,
                drop_rate,
                seed: seed.map(|s| integer_arg::<u64>(s, "seed")).transpose()?.unwrap_or(defaults.seed),
                cashboxes: cashboxes.map(|c| integer_arg::<usize>(c, "cashboxes")).transpose()?.unwrap_or(2).max(1),
                ..defaults
            };
            let sandbox = py.detach(|| Sandbox::start(config)).map_err(|e| match e.kind() {
                // A setting the sandbox refuses (a token_ttl over ten years, …).
                std::io::ErrorKind::InvalidInput => Failure::argument(e.to_string()),
                _ => Failure::new(ofdkit::ErrorCode::Io, format!("the sandbox could not start: {e}")),
            })?;
            Ok(PySandbox { base_url: sandbox.base_url(), config: sandbox.config(), running: Mutex::new(Some(sandbox)) })
        })
    }

    /// `http://127.0.0.1:<port>`: the base URL of both APIs.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn login(&self) -> &str {
        &self.config.login
    }

    #[getter]
    fn password(&self) -> &str {
        &self.config.password
    }

    #[getter]
    fn group_code(&self) -> &str {
        &self.config.group_code
    }

    #[getter]
    fn ofd_auth_token(&self) -> &str {
        &self.config.ofd_auth_token
    }

    #[getter]
    fn ofd_agreement_id(&self) -> &str {
        self.config.ofd_agreements.first().map_or("", String::as_str)
    }

    /// Queues a fault: `{"fault": "cashbox_error", "endpoint": "receipt", "code": 1073, "times": 1}`.
    fn inject(&self, py: Python<'_>, fault: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            if fault.cast::<PyDict>().is_err() {
                return Err(Failure::argument("a fault is a dict"));
            }
            let value: serde_json::Value = serde_json::from_str(&crate::convert::to_value(fault)?.to_json_string())
                .map_err(|e| Failure::argument(e.to_string()))?;
            let fault = Fault::from_json(&value).ok_or_else(|| {
                Failure::argument(format!(
                    "a fault is {{fault: {}, endpoint?: token|receipt|report|cashbox_stats|registration|any, code?, ms?, status?, reason?, times?}}",
                    FaultKind::ALL_NAMES.join("|")
                ))
            })?;
            self.with(|s| s.inject(fault))
        })
    }

    /// Makes every token issued so far expire now.
    fn expire_tokens(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, || self.with(Sandbox::expire_tokens))
    }

    /// What the sandbox has done: tokens issued, receipts registered,
    /// callbacks delivered and failed, and the most times one external_id
    /// was registered (1 when nothing was fiscalised twice).
    fn stats(&self, py: Python<'_>) -> PyResult<Vec<(&'static str, u64)>> {
        guard(py, || {
            self.with(|s| {
                let stats = s.stats();
                let most = s.registrations().values().copied().max().unwrap_or(0) as u64;
                vec![
                    ("tokens_issued", stats.tokens_issued),
                    ("receipts_registered", stats.receipts_registered),
                    ("callbacks_delivered", stats.callbacks_delivered),
                    ("callbacks_failed", stats.callbacks_failed),
                    ("max_registrations_per_external_id", most),
                ]
            })
        })
    }

    /// Stops the server and waits for it; later calls do nothing.
    fn stop(&self, py: Python<'_>) {
        let taken = self.running.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sandbox) = taken {
            py.detach(|| sandbox.stop());
        }
    }

    #[getter]
    fn running(&self) -> bool {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}
