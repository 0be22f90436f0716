//! Every failure becomes an instance of the exception class that
//! `ofdkit/errors.py` (generated from the core's table of error codes)
//! keeps for its code, with the details as attributes. A panic never
//! crosses: pyo3 turns one into `PanicException`, and the public functions
//! catch it first (see `guard`).

use ofdkit::{ApiError, ApiKind, Error as CoreError, ErrorCode, Violations};
use ofdkit_client::Error as ClientError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::Unconvertible;
use crate::violation::PyViolation;

/// A failure on its way to Python: the code, a message, and details
/// (boxed: failures are rare, results are returned often).
pub struct Failure(Box<Parts>);

struct Parts {
    code: ErrorCode,
    message: String,
    details: Vec<(&'static str, Detail)>,
    /// A Python exception raised inside the body, passed on as it is.
    raised: Option<PyErr>,
}

enum Detail {
    Text(String),
    Int(i64),
    Bool(bool),
    Violations(Violations),
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure(Box::new(Parts { code, message: message.into(), details: Vec::new(), raised: None }))
    }

    pub fn argument(message: impl Into<String>) -> Self {
        Failure::new(ErrorCode::InvalidArgument, message)
    }

    /// The failure to convert an argument's value, as an argument error
    /// that names it; an exception the value itself raised goes on as it is.
    pub fn context(self, name: &str) -> Self {
        if self.0.raised.is_some() || self.0.code != ErrorCode::InvalidRequest {
            return self;
        }
        let reason = self.0.details.iter().find_map(|(_, detail)| match detail {
            Detail::Violations(v) => v.iter().next().map(|v| v.message.clone()),
            _ => None,
        });
        Failure::argument(format!("{name}: {}", reason.unwrap_or_else(|| self.0.message.clone())))
    }

    fn with(mut self, name: &'static str, detail: Detail) -> Self {
        self.0.details.push((name, detail));
        self
    }

    /// A request that breaks the API's rules: the first error leads the message.
    pub fn invalid(violations: Violations) -> Self {
        let count = violations.errors().count();
        let first = violations.errors().next().map(ToString::to_string).unwrap_or_default();
        let more = if count > 1 { format!(" (and {} more)", count - 1) } else { String::new() };
        Failure::new(ErrorCode::InvalidRequest, format!("the request breaks the API's rules: {first}{more}"))
            .with("violations", Detail::Violations(violations))
    }

    fn api(error: &ApiError) -> Self {
        let mut failure = Failure::new(error.kind, error.to_string())
            .with(
                "api",
                Detail::Text(
                    match error.api {
                        ApiKind::Ferma => "ferma",
                        ApiKind::Ofd => "ofd",
                    }
                    .to_owned(),
                ),
            )
            .with("http_status", Detail::Int(error.http_status.into()))
            .with("text", Detail::Text(error.text.clone()));
        if let Some(code) = error.code {
            failure = failure.with("code", Detail::Int(code));
        }
        if let Some(name) = &error.name {
            failure = failure.with("name", Detail::Text(name.clone()));
        }
        if let Some(id) = &error.error_id {
            failure = failure.with("error_id", Detail::Text(id.clone()));
        }
        failure
    }

    /// Builds the Python exception.
    pub fn into_pyerr(mut self, py: Python<'_>) -> PyErr {
        if let Some(raised) = self.0.raised.take() {
            return raised;
        }
        match self.instantiate(py) {
            Ok(error) => error,
            Err(e) => e,
        }
    }

    fn instantiate(self, py: Python<'_>) -> PyResult<PyErr> {
        let Parts { code, message, details, .. } = *self.0;
        static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let factory = FACTORY.import(py, "ofdkit.errors", "_from_native")?;
        let kwargs = PyDict::new(py);
        for (name, detail) in details {
            match detail {
                Detail::Text(s) => kwargs.set_item(name, s)?,
                Detail::Int(n) => kwargs.set_item(name, n)?,
                Detail::Bool(b) => kwargs.set_item(name, b)?,
                Detail::Violations(v) => kwargs.set_item(name, violation_list(py, &v)?)?,
            }
        }
        let instance = factory.call((code.number(), message), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    }
}

/// The violations as a Python list of `Violation`.
pub fn violation_list<'py>(py: Python<'py>, violations: &Violations) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, violations.iter().map(|v| PyViolation::from(v.clone())))
}

impl From<CoreError> for Failure {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::Json(e) => match e.kind {
                ofdkit::json::JsonErrorKind::TooLarge { .. } => Failure::new(e.code(), e.to_string()),
                ofdkit::json::JsonErrorKind::Malformed => Failure::new(ErrorCode::InvalidJson, e.to_string())
                    .with("line", Detail::Int(e.line as i64))
                    .with("column", Detail::Int(e.column as i64)),
            },
            CoreError::Invalid(violations) => Failure::invalid(violations),
            CoreError::Api(api) => Failure::api(&api),
            CoreError::Protocol(p) => Failure::new(p.kind, format!("unexpected answer: {p}"))
                .with("http_status", Detail::Int(p.http_status.into()))
                .with("body_start", Detail::Text(p.body_start.clone())),
            other => Failure::new(other.code(), other.to_string()),
        }
    }
}

impl From<ofdkit::json::JsonError> for Failure {
    fn from(error: ofdkit::json::JsonError) -> Self {
        CoreError::Json(error).into()
    }
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Core(e) => e.into(),
            ClientError::Transport(t) => Failure::new(t.code(), t.to_string())
                .with("may_have_arrived", Detail::Bool(t.may_have_arrived))
                .with("attempts", Detail::Int(t.attempts.into())),
            ClientError::OutcomeUnknown { ref external_id, sends, .. } => {
                let mut failure = Failure::new(ErrorCode::OutcomeUnknown, error.to_string())
                    .with("may_have_arrived", Detail::Bool(true))
                    .with("attempts", Detail::Int(sends.into()));
                if let Some(id) = external_id {
                    failure = failure.with("external_id", Detail::Text(id.clone()));
                }
                failure
            }
            other => Failure::new(other.code(), other.to_string()),
        }
    }
}

impl From<Unconvertible> for Failure {
    fn from(refusal: Unconvertible) -> Self {
        Failure::invalid(Violations(vec![refusal.into_violation()]))
    }
}

/// Runs a binding's body: a failure becomes its exception, and a panic
/// (a bug) becomes `InternalError` instead of unwinding into Python.
pub fn guard<T>(py: Python<'_>, body: impl FnOnce() -> Result<T, Failure>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(failure)) => Err(failure.into_pyerr(py)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_owned());
            Err(Failure::new(ErrorCode::Panic, format!("internal error in ofdkit (please report it): {what}"))
                .into_pyerr(py))
        }
    }
}

/// A Python exception raised inside a body (an interrupt, a failing
/// `__str__`) goes on as it is.
impl From<PyErr> for Failure {
    fn from(error: PyErr) -> Self {
        let mut failure = Failure::new(ErrorCode::Internal, error.to_string());
        failure.0.raised = Some(error);
        failure
    }
}
