//! The core's tables for Python: the code tables (from which
//! `ofdkit/codes.py` is generated, and which answer lookups at run time)
//! and the error codes (from which `ofdkit/errors.py` is generated).

use ofdkit::codes::{self, WireKind};
use ofdkit::ErrorCode;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::{guard, Failure};

fn table(name: &str) -> Result<&'static codes::CodeTable, Failure> {
    codes::tables().iter().copied().find(|t| t.name == name).ok_or_else(|| {
        let names: Vec<&str> = codes::tables().iter().map(|t| t.name).collect();
        Failure::argument(format!("no code table {name:?}; the tables are {}", names.join(", ")))
    })
}

/// Every code table: `{name, source, wire_kind, entries: [{name, wire,
/// number, tag, aliases, description_ru}]}`.
#[pyfunction]
pub fn code_tables(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for table in codes::tables() {
        let t = PyDict::new(py);
        t.set_item("name", table.name)?;
        t.set_item("source", table.source)?;
        t.set_item(
            "wire_kind",
            match table.wire_kind {
                WireKind::String => "string",
                WireKind::Integer => "integer",
            },
        )?;
        let entries = PyList::empty(py);
        for e in table.entries {
            let d = PyDict::new(py);
            d.set_item("name", e.name)?;
            d.set_item("wire", e.wire)?;
            d.set_item("number", e.number)?;
            d.set_item("tag", e.tag)?;
            d.set_item("aliases", e.aliases.to_vec())?;
            d.set_item("description_ru", e.description_ru)?;
            entries.append(d)?;
        }
        t.set_item("entries", entries)?;
        list.append(t)?;
    }
    Ok(list)
}

/// The canonical wire form of the value of `table` spelt `text` in any
/// accepted way (wire form, number, documented alias), or None.
#[pyfunction]
pub fn code_lookup(py: Python<'_>, table: &str, text: &str) -> PyResult<Option<&'static str>> {
    guard(py, || Ok(self::table(table)?.lookup(text).map(|e| e.wire)))
}

/// Every ofdkit error code: `(number, NAME, description, category)`.
#[pyfunction]
pub fn error_codes() -> Vec<(u32, &'static str, &'static str, String)> {
    ErrorCode::ALL
        .iter()
        .map(|c| {
            let category =
                serde_json::to_value(c.category()).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            (c.number(), c.name(), c.description(), category)
        })
        .collect()
}
