//! `ofdkit._native`: the compiled half of the Python package `ofdkit`.
//! It converts Python objects to the core's types and back, and maps
//! failures to the exception classes of `ofdkit.errors`; the Python half
//! (`python/python/ofdkit/`) gives it its typed, documented face. No rule
//! lives here.

mod api;
mod client;
mod codes;
// Walks dicts with PyDict_Next from pyo3's ffi and reads an exact Decimal's
// digits in place (its layout checked at run time): the one unsafe code here.
#[allow(unsafe_code)]
mod convert;
mod errors;
#[cfg(feature = "sandbox")]
mod sandbox;
mod violation;

#[pyo3::pymodule(name = "_native")]
mod module {
    #[pymodule_export]
    use crate::api::{
        application_state, fill_totals, guess_kind, kkt_registration_number, normalize_receipt, parse_response,
        validate, validate_many, validate_receipt, validation_report, vat,
    };
    #[pymodule_export]
    use crate::client::{PyFermaClient, PyRegistrationClient};
    #[pymodule_export]
    use crate::codes::{code_lookup, code_tables, error_codes};
    #[pymodule_export]
    use crate::convert::{max_input_bytes, set_max_input_bytes};
    #[cfg(feature = "sandbox")]
    #[pymodule_export]
    use crate::sandbox::PySandbox;
    #[pymodule_export]
    use crate::violation::violations_to_json;
    #[pymodule_export]
    use crate::violation::PyViolation;

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("HAS_SANDBOX", cfg!(feature = "sandbox"))?;
        Ok(())
    }
}

/// What the module's Rust code allocates with (Python's objects keep
/// Python's allocator). A model holds many small strings: with glibc's
/// malloc, freeing a request of 200 items spilled its names out of the
/// per-thread cache into bins that the next request's allocations then had
/// to sort, 390 instructions a name allocated and freed, a fourteenth of
/// validating the dict. mimalloc's per-thread free lists take a few dozen.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
