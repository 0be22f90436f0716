//! The clients of both APIs for Python. Every network call runs on a
//! thread of its own while the calling thread, holding the GIL only between
//! short waits, answers Ctrl-C at once; other Python threads go on. A client
//! is `Send + Sync` and may be shared between threads (they share its token).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use ofdkit::ofd::{self, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest};
use ofdkit::protocol::CashboxFilter;
use ofdkit::ErrorCode;
use ofdkit_client::{
    CaBundle, Deadline, FermaClient, FermaConfig, Network, Recovery, RegistrationClient, RegistrationConfig, Sent,
    Timeouts,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use crate::api::{document_bytes, operation};
use crate::convert::{integer_arg, number_arg, optional_text_arg, text_arg};
use crate::errors::{guard, violation_list, Failure};

/// How often a waiting call looks for Ctrl-C.
const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// Runs `work` on a thread of its own and waits for it in short slices,
/// without the GIL, checking for signals in between: Ctrl-C raises
/// `KeyboardInterrupt` within about 50 ms and sets the flag `work` was
/// given, so that it stops at its next pause; a request already on the
/// network ends by its own deadline.
fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce(Arc<AtomicBool>) -> T + Send + 'static,
) -> Result<T, Failure> {
    let cancel = Arc::new(AtomicBool::new(false));
    let (sender, receiver) = sync_channel(1);
    let flag = cancel.clone();
    std::thread::Builder::new()
        .name("ofdkit-call".to_owned())
        .spawn(move || {
            let _ = sender.send(work(flag));
        })
        .map_err(|e| Failure::new(ErrorCode::Internal, format!("could not start the call's thread: {e}")))?;
    let mut receiver = receiver;
    loop {
        let (received, back) = py.detach(move || (receiver.recv_timeout(SIGNAL_SLICE), receiver));
        receiver = back;
        match received {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    cancel.store(true, Ordering::Relaxed);
                    return Err(Failure::from(interrupt));
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Failure::new(ErrorCode::Panic, "internal error in ofdkit: the call's thread panicked"))
            }
        }
    }
}

/// A positive number of seconds.
fn seconds(value: &Bound<'_, PyAny>, name: &str) -> Result<Duration, Failure> {
    let value = number_arg(value, name)?;
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Failure::argument(format!("{name} must be a positive number of seconds, got {value}")))
}

/// Timeouts, proxy and trusted certificates from the keyword arguments.
fn network(
    connect_timeout: Option<&Bound<'_, PyAny>>,
    timeout: Option<&Bound<'_, PyAny>>,
    proxy: Option<&Bound<'_, PyAny>>,
    ca_bundle: Option<&Bound<'_, PyAny>>,
) -> Result<Network, Failure> {
    let default = Timeouts::default();
    let mut network = Network::default();
    network.timeouts = Timeouts::new(
        connect_timeout.map(|t| seconds(t, "connect_timeout")).transpose()?.unwrap_or(default.connect),
        default.request,
        timeout.map(|t| seconds(t, "timeout")).transpose()?.unwrap_or(default.call),
    );
    if let Some(proxy) = proxy.map(|p| optional_text_arg(p, "proxy")).transpose()?.flatten() {
        network.proxy = proxy.parse()?;
    }
    if let Some(bundle) = ca_bundle.filter(|b| !b.is_none()) {
        network.ca_bundle = Some(match bundle.cast::<PyBytes>() {
            Ok(pem) => CaBundle::from_pem(pem.as_bytes())?,
            Err(_) => {
                let path = bundle
                    .py()
                    .import("os")?
                    .call_method1("fspath", (bundle,))
                    .map_err(|_| Failure::argument("ca_bundle must be a path (str or os.PathLike) or PEM bytes"))?;
                CaBundle::from_file(text_arg(&path, "ca_bundle")?)?
            }
        });
    }
    Ok(network)
}

fn attempts_arg(attempts: Option<&Bound<'_, PyAny>>) -> Result<u32, Failure> {
    Ok(attempts.map(|a| integer_arg::<u32>(a, "attempts")).transpose()?.unwrap_or(3).max(1))
}

type SentTuple<'py> = (String, Vec<String>, Bound<'py, PyList>);

fn sent<'py>(py: Python<'py>, sent: Sent) -> PyResult<SentTuple<'py>> {
    Ok((sent.external_id, sent.uuids, violation_list(py, &sent.warnings)?))
}

/// The Ferma client behind `ofdkit.FermaClient`.
#[pyclass(name = "FermaClient", module = "ofdkit._native", frozen)]
pub struct PyFermaClient(Arc<FermaClient>);

#[pymethods]
impl PyFermaClient {
    #[new]
    #[pyo3(signature = (base_url, login, password, group_code, connect_timeout=None, timeout=None, attempts=None, proxy=None, ca_bundle=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        base_url: &Bound<'_, PyAny>,
        login: &Bound<'_, PyAny>,
        password: &Bound<'_, PyAny>,
        group_code: &Bound<'_, PyAny>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        attempts: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let config = FermaConfig::builder()
                .base_url(text_arg(base_url, "base_url")?)
                .login(text_arg(login, "login")?)
                .password(text_arg(password, "password")?)
                .group_code(text_arg(group_code, "group_code")?)
                .network(network(connect_timeout, timeout, proxy, ca_bundle)?)
                .attempts(attempts_arg(attempts)?)
                .build()?;
            Ok(PyFermaClient(Arc::new(FermaClient::new(config)?)))
        })
    }

    fn __repr__(&self) -> String {
        let c = self.0.config();
        format!("FermaClient(base_url={:?}, login={:?}, group_code={:?})", c.base_url, c.login, c.group_code)
    }

    /// Validates and sends a receipt: `(external_id, uuids, warnings)`.
    fn send<'py>(
        &self,
        py: Python<'py>,
        operation: &Bound<'py, PyAny>,
        document: &Bound<'py, PyAny>,
    ) -> PyResult<SentTuple<'py>> {
        let result = guard(py, || {
            let operation = self::operation(&text_arg(operation, "operation")?)?;
            let body = document_bytes(document)?;
            let client = self.0.clone();
            Ok(interruptible(py, move |_| client.send_json(operation, &body))??)
        })?;
        sent(py, result)
    }

    /// Sends a receipt again after an unknown outcome, safely:
    /// `("sent", external_id, uuids, warnings)` or
    /// `("already_registered", external_id, [], [])`.
    fn recover<'py>(
        &self,
        py: Python<'py>,
        operation: &Bound<'py, PyAny>,
        document: &Bound<'py, PyAny>,
    ) -> PyResult<(&'static str, String, Vec<String>, Bound<'py, PyList>)> {
        let result = guard(py, || {
            let operation = self::operation(&text_arg(operation, "operation")?)?;
            let body = document_bytes(document)?;
            let client = self.0.clone();
            Ok(interruptible(py, move |_| client.recover_json(operation, &body))??)
        })?;
        match result {
            Recovery::Sent(s) => {
                let (external_id, uuids, warnings) = sent(py, s)?;
                Ok(("sent", external_id, uuids, warnings))
            }
            Recovery::AlreadyRegistered { external_id } => {
                Ok(("already_registered", external_id, Vec::new(), PyList::empty(py)))
            }
            _ => Err(Failure::new(ErrorCode::Internal, "a recovery this version cannot show").into_pyerr(py)),
        }
    }

    /// A document's report, as JSON.
    fn report(&self, py: Python<'_>, uuid: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let uuid = text_arg(uuid, "uuid")?;
            let client = self.0.clone();
            let outcome = interruptible(py, move |_| client.report(&uuid))??;
            Ok(ofdkit::output::report(&outcome).to_string())
        })
    }

    /// Polls until `done` or `fail`, or `timeout` seconds pass (`pending`).
    fn wait(&self, py: Python<'_>, uuid: &Bound<'_, PyAny>, timeout: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let uuid = text_arg(uuid, "uuid")?;
            let within = seconds(timeout, "timeout")?;
            let client = self.0.clone();
            let polled = uuid.clone();
            let state =
                interruptible(py, move |cancel| client.wait(&polled, Deadline::after(within).cancelled_by(cancel)))??;
            Ok(ofdkit_client::output::waited(&uuid, &state).to_string())
        })
    }

    /// Sends a receipt and follows it to its end: `(json, warnings)`.
    fn fiscalize<'py>(
        &self,
        py: Python<'py>,
        operation: &Bound<'py, PyAny>,
        document: &Bound<'py, PyAny>,
        timeout: &Bound<'py, PyAny>,
    ) -> PyResult<(String, Bound<'py, PyList>)> {
        let result = guard(py, || {
            let operation = self::operation(&text_arg(operation, "operation")?)?;
            let within = seconds(timeout, "timeout")?;
            let body = document_bytes(document)?;
            let client = self.0.clone();
            Ok(interruptible(py, move |cancel| {
                client.fiscalize_json(operation, &body, Deadline::after(within).cancelled_by(cancel))
            })??)
        })?;
        let out = ofdkit_client::output::fiscalization(&result);
        Ok((out.to_string(), violation_list(py, &result.warnings)?))
    }

    /// The cashboxes and their fiscal drives (§7), as JSON.
    #[pyo3(signature = (device_id=None, registration_number=None, serial_number=None, fn_number=None))]
    fn cashbox_stats(
        &self,
        py: Python<'_>,
        device_id: Option<&Bound<'_, PyAny>>,
        registration_number: Option<&Bound<'_, PyAny>>,
        serial_number: Option<&Bound<'_, PyAny>>,
        fn_number: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        guard(py, || {
            let text = |v: Option<&Bound<'_, PyAny>>, name| {
                v.map(|v| optional_text_arg(v, name)).transpose().map(Option::flatten)
            };
            let filter = CashboxFilter {
                device_id: text(device_id, "device_id")?,
                registration_number: text(registration_number, "registration_number")?,
                serial_number: text(serial_number, "serial_number")?,
                fn_number: text(fn_number, "fn_number")?,
            };
            let client = self.0.clone();
            let stats = interruptible(py, move |_| client.cashbox_stats(&filter))??;
            Ok(ofdkit::output::cashbox_stats(&stats).to_string())
        })
    }
}

/// The registration client behind `ofdkit.RegistrationClient`.
#[pyclass(name = "RegistrationClient", module = "ofdkit._native", frozen)]
pub struct PyRegistrationClient(Arc<RegistrationClient>);

fn read<T: ofdkit::decode::FromJson + ofdkit::decode::Placeholder>(document: &Bound<'_, PyAny>) -> Result<T, Failure> {
    Ok(ofd::parse_request(&document_bytes(document)?)?)
}

impl PyRegistrationClient {
    /// Runs a call of the client interruptibly and returns its answer as JSON.
    fn call<T: serde::Serialize + Send + 'static>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&RegistrationClient) -> Result<T, ofdkit_client::Error> + Send + 'static,
    ) -> Result<String, Failure> {
        let client = self.0.clone();
        let value = interruptible(py, move |_| work(&client))??;
        Ok(ofdkit::output::model(&value).to_string())
    }
}

#[pymethods]
impl PyRegistrationClient {
    #[new]
    #[pyo3(signature = (base_url, auth_token, connect_timeout=None, timeout=None, attempts=None, proxy=None, ca_bundle=None, partner_base_url=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        base_url: &Bound<'_, PyAny>,
        auth_token: &Bound<'_, PyAny>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        attempts: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<&Bound<'_, PyAny>>,
        partner_base_url: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let mut builder = RegistrationConfig::builder()
                .base_url(text_arg(base_url, "base_url")?)
                .auth_token(text_arg(auth_token, "auth_token")?)
                .network(network(connect_timeout, timeout, proxy, ca_bundle)?)
                .attempts(attempts_arg(attempts)?);
            if let Some(url) = partner_base_url.map(|u| optional_text_arg(u, "partner_base_url")).transpose()?.flatten()
            {
                builder = builder.partner_base_url(url);
            }
            Ok(PyRegistrationClient(Arc::new(RegistrationClient::new(builder.build()?)?)))
        })
    }

    fn __repr__(&self) -> String {
        "RegistrationClient(…)".to_owned()
    }

    fn create(&self, py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let request: ApplicationRequest = read(document)?;
            self.call(py, move |c| c.create(&request))
        })
    }

    fn update(&self, py: Python<'_>, id: &Bound<'_, PyAny>, document: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            let update: ApplicationUpdate = read(document)?;
            self.call(py, move |c| c.update(&id, &update))
        })
    }

    fn list(&self, py: Python<'_>, ofd_agreement_id: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let agreement = text_arg(ofd_agreement_id, "ofd_agreement_id")?;
            self.call(py, move |c| c.list(&agreement))
        })
    }

    fn get(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            self.call(py, move |c| c.get(&id))
        })
    }

    fn prepare_documents(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            self.call(py, move |c| c.prepare_documents(&id))
        })
    }

    fn sign(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        document_id: &Bound<'_, PyAny>,
        signature_base64: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            let sign = SignRequest::new(
                text_arg(document_id, "document_id")?,
                text_arg(signature_base64, "signature_base64")?,
            );
            self.call(py, move |c| c.sign(&id, &sign))
        })
    }

    fn download<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        document_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let file = guard(py, || {
            let id = text_arg(id, "application_id")?;
            let document_id = text_arg(document_id, "document_id")?;
            let client = self.0.clone();
            Ok(interruptible(py, move |_| client.download(&id, &document_id))??)
        })?;
        Ok(PyBytes::new(py, &file))
    }

    fn register_partner_client(&self, py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let registration: PartnerRegistration = read(document)?;
            let client = self.0.clone();
            Ok(interruptible(py, move |_| client.register_partner_client(&registration))??)
        })
    }

    /// Waits until the application's stage or status changes, or `timeout`
    /// seconds pass: `(changed, application_json)`.
    fn wait_for_change(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        timeout: &Bound<'_, PyAny>,
    ) -> PyResult<(bool, String)> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            let within = seconds(timeout, "timeout")?;
            let client = self.0.clone();
            let waited = interruptible(py, move |cancel| {
                client.wait_for_change(&id, Deadline::after(within).cancelled_by(cancel))
            })??;
            Ok((waited.changed, ofdkit::output::application(&waited.application).to_string()))
        })
    }
}
