//! The clients of both APIs for Python. Every network call runs with the
//! GIL released, so other Python threads go on; a client is `Send + Sync`
//! and may be shared between threads (they share its token).

use std::time::Duration;

use ofdkit::ofd::{self, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest};
use ofdkit::protocol::CashboxFilter;
use ofdkit_client::{
    FermaClient, FermaConfig, Outcome, Recovery, RegistrationClient, RegistrationConfig, Sent, Timeouts,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use serde_json::json;

use crate::api::{document_bytes, operation};
use crate::convert::{integer_arg, number_arg, optional_text_arg, text_arg};
use crate::errors::{guard, violation_list, Failure};
use crate::output;

/// A positive number of seconds.
fn seconds(value: &Bound<'_, PyAny>, name: &str) -> Result<Duration, Failure> {
    let value = number_arg(value, name)?;
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Failure::argument(format!("{name} must be a positive number of seconds, got {value}")))
}

fn timeouts(
    connect_timeout: Option<&Bound<'_, PyAny>>,
    timeout: Option<&Bound<'_, PyAny>>,
) -> Result<Timeouts, Failure> {
    let default = Timeouts::default();
    Ok(Timeouts {
        connect: connect_timeout.map(|t| seconds(t, "connect_timeout")).transpose()?.unwrap_or(default.connect),
        request: timeout.map(|t| seconds(t, "timeout")).transpose()?.unwrap_or(default.request),
    })
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
pub struct PyFermaClient(FermaClient);

#[pymethods]
impl PyFermaClient {
    #[new]
    #[pyo3(signature = (base_url, login, password, group_code, connect_timeout=None, timeout=None, attempts=None))]
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
    ) -> PyResult<Self> {
        guard(py, || {
            let mut config = FermaConfig::new(
                text_arg(base_url, "base_url")?,
                text_arg(login, "login")?,
                text_arg(password, "password")?,
                text_arg(group_code, "group_code")?,
            );
            config.timeouts = timeouts(connect_timeout, timeout)?;
            config.attempts = attempts_arg(attempts)?;
            Ok(PyFermaClient(FermaClient::new(config)?))
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
            py.detach(|| self.0.send_json(operation, &body)).map_err(Failure::from)
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
            py.detach(|| self.0.recover_json(operation, &body)).map_err(Failure::from)
        })?;
        match result {
            Recovery::Sent(s) => {
                let (external_id, uuids, warnings) = sent(py, s)?;
                Ok(("sent", external_id, uuids, warnings))
            }
            Recovery::AlreadyRegistered { external_id } => {
                Ok(("already_registered", external_id, Vec::new(), PyList::empty(py)))
            }
        }
    }

    /// A document's report, as JSON.
    fn report(&self, py: Python<'_>, uuid: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let uuid = text_arg(uuid, "uuid")?;
            let outcome = py.detach(|| self.0.report(&uuid))?;
            Ok(output::report(&outcome).to_string())
        })
    }

    /// Polls until `done` or `fail`, or `timeout` seconds pass (`pending`).
    fn wait(&self, py: Python<'_>, uuid: &Bound<'_, PyAny>, timeout: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let uuid = text_arg(uuid, "uuid")?;
            let deadline = seconds(timeout, "timeout")?;
            let state = py.detach(|| self.0.wait(&uuid, deadline))?;
            let mut out = output::state(&state);
            out["uuid"] = json!(uuid);
            Ok(out.to_string())
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
            let deadline = seconds(timeout, "timeout")?;
            let body = document_bytes(document)?;
            py.detach(|| self.0.fiscalize_json(operation, &body, deadline)).map_err(Failure::from)
        })?;
        let outcome = match &result.outcome {
            Outcome::Done(parts) => json!({
                "outcome": "done",
                "parts": parts.iter().map(|(uuid, p)| json!({"uuid": uuid, "payload": output::payload(p)})).collect::<Vec<_>>(),
            }),
            Outcome::Failed(error) => json!({ "outcome": "failed", "error": output::api_error(error) }),
            Outcome::Unknown { uuids, reason } => json!({ "outcome": "unknown", "uuids": uuids, "reason": reason }),
        };
        let mut out = outcome;
        out["external_id"] = json!(result.external_id);
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
            let stats = py.detach(|| self.0.cashbox_stats(&filter))?;
            Ok(output::serialized(&stats).to_string())
        })
    }
}

/// The registration client behind `ofdkit.RegistrationClient`.
#[pyclass(name = "RegistrationClient", module = "ofdkit._native", frozen)]
pub struct PyRegistrationClient(RegistrationClient);

fn read<T: ofdkit::decode::FromJson + ofdkit::decode::Placeholder>(document: &Bound<'_, PyAny>) -> Result<T, Failure> {
    Ok(ofd::parse_request(&document_bytes(document)?)?)
}

#[pymethods]
impl PyRegistrationClient {
    #[new]
    #[pyo3(signature = (base_url, auth_token, connect_timeout=None, timeout=None, attempts=None))]
    fn new(
        py: Python<'_>,
        base_url: &Bound<'_, PyAny>,
        auth_token: &Bound<'_, PyAny>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        attempts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let mut config =
                RegistrationConfig::new(text_arg(base_url, "base_url")?, text_arg(auth_token, "auth_token")?);
            config.timeouts = timeouts(connect_timeout, timeout)?;
            config.attempts = attempts_arg(attempts)?;
            Ok(PyRegistrationClient(RegistrationClient::new(config)?))
        })
    }

    fn __repr__(&self) -> String {
        "RegistrationClient(…)".to_owned()
    }

    fn create(&self, py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let request: ApplicationRequest = read(document)?;
            let app = py.detach(|| self.0.create(&request))?;
            Ok(output::serialized(&app).to_string())
        })
    }

    fn update(&self, py: Python<'_>, id: &Bound<'_, PyAny>, document: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            let update: ApplicationUpdate = read(document)?;
            let app = py.detach(|| self.0.update(&id, &update))?;
            Ok(output::serialized(&app).to_string())
        })
    }

    fn list(&self, py: Python<'_>, ofd_agreement_id: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let agreement = text_arg(ofd_agreement_id, "ofd_agreement_id")?;
            let apps = py.detach(|| self.0.list(&agreement))?;
            Ok(output::serialized(&apps).to_string())
        })
    }

    fn get(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            let app = py.detach(|| self.0.get(&id))?;
            Ok(output::serialized(&app).to_string())
        })
    }

    fn prepare_documents(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let id = text_arg(id, "application_id")?;
            let app = py.detach(|| self.0.prepare_documents(&id))?;
            Ok(output::serialized(&app).to_string())
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
            let app = py.detach(|| self.0.sign(&id, &sign))?;
            Ok(output::serialized(&app).to_string())
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
            Ok(py.detach(|| self.0.download(&id, &document_id))?)
        })?;
        Ok(PyBytes::new(py, &file))
    }

    fn register_partner_client(&self, py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let registration: PartnerRegistration = read(document)?;
            Ok(py.detach(|| self.0.register_partner_client(&registration))?)
        })
    }
}
