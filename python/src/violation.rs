//! `ofdkit.Violation`: one broken rule, immutable, printed as the CLI prints it.

use ofdkit::catalog::{self, Rule, RuleRef};
use ofdkit::{Severity, Violation, ViolationCode};
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyTuple, PyType};

/// One rule a request breaks: where (`path`, a JSON path from the request's
/// root such as `receipt.items[2].vat.type`), what kind of problem (`code`),
/// which rule of the catalog (`rule`, documented in docs/rules.md), how
/// serious (`severity`: "error" or "warning"), and why in English and Russian.
#[pyclass(name = "Violation", module = "ofdkit", frozen)]
#[derive(Clone)]
pub struct PyViolation(pub Violation);

impl From<Violation> for PyViolation {
    fn from(v: Violation) -> Self {
        PyViolation(v)
    }
}

#[pymethods]
impl PyViolation {
    #[new]
    #[pyo3(signature = (path, code, severity, message, message_ru, rule=None))]
    fn new(
        path: String,
        code: &str,
        severity: &str,
        message: String,
        message_ru: String,
        rule: Option<&str>,
    ) -> PyResult<Self> {
        let code = ViolationCode::from_name(code)
            .ok_or_else(|| PyValueError::new_err(format!("{code:?} is not a violation code")))?;
        // Without a rule, the first of the catalog that reports this code.
        let rule: &'static Rule = match rule {
            Some(id) => {
                Rule::by_id(id).ok_or_else(|| PyValueError::new_err(format!("{id:?} is not a rule of the catalog")))?
            }
            None => catalog::all()
                .find(|r| r.code == code)
                .ok_or_else(|| PyValueError::new_err(format!("no rule reports {:?}", code.as_str())))?,
        };
        let severity = match severity {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => {
                return Err(PyValueError::new_err(format!("severity must be 'error' or 'warning', not {other:?}")))
            }
        };
        Ok(PyViolation(Violation { path, code, rule: RuleRef(rule), severity, message, message_ru }))
    }

    #[getter]
    fn path(&self) -> &str {
        &self.0.path
    }

    #[getter]
    fn code(&self) -> &'static str {
        self.0.code.as_str()
    }

    /// The id of the catalog rule (`client_phone_format`), explained in docs/rules.md.
    #[getter]
    fn rule(&self) -> &'static str {
        self.0.rule.id()
    }

    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.as_str()
    }

    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }

    #[getter]
    fn message_ru(&self) -> &str {
        &self.0.message_ru
    }

    /// True when the request would be refused.
    #[getter]
    fn is_error(&self) -> bool {
        self.0.is_error()
    }

    /// `{path, code, rule, severity, message, message_ru}`, as the JSON of every other binding.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("path", &self.0.path)?;
        d.set_item("code", self.0.code.as_str())?;
        d.set_item("rule", self.0.rule.id())?;
        d.set_item("severity", self.0.severity.as_str())?;
        d.set_item("message", &self.0.message)?;
        d.set_item("message_ru", &self.0.message_ru)?;
        Ok(d)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Violation(path={:?}, code={:?}, rule={:?}, severity={:?}, message={:?})",
            self.0.path,
            self.0.code.as_str(),
            self.0.rule.id(),
            self.0.severity.as_str(),
            self.0.message
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        let Ok(other) = other.cast::<PyViolation>() else { return py.NotImplemented() };
        let equal = self.0 == other.get().0;
        let answer = match op {
            CompareOp::Eq => equal,
            CompareOp::Ne => !equal,
            _ => return py.NotImplemented(),
        };
        PyBool::new(py, answer).to_owned().into_any().unbind()
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.0.path, self.0.code.as_str(), self.0.severity.as_str(), &self.0.message).hash(&mut h);
        h.finish()
    }

    /// Pickling (for multiprocessing): rebuilt from its six fields.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let v = &slf.get().0;
        let args = PyTuple::new(
            slf.py(),
            [
                v.path.as_str(),
                v.code.as_str(),
                v.severity.as_str(),
                v.message.as_str(),
                v.message_ru.as_str(),
                v.rule.id(),
            ],
        )?;
        Ok((slf.get_type(), args))
    }
}

/// The violations as the core's one JSON form, byte for byte what the C
/// library's `ofdkit_violations_json` and `ofdkit validate --json` give.
#[pyfunction]
pub fn violations_to_json(violations: Vec<PyRef<'_, PyViolation>>) -> String {
    ofdkit::Violations(violations.iter().map(|v| v.0.clone()).collect()).to_json()
}
