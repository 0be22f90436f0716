//! The JSON the Python result types (`ofdkit/results.py`) are built from:
//! the core's one form of every answer (`ofdkit::output`), the same bytes
//! the C library and the CLI give. This module only gives the core's
//! writers the names the client module uses.

use serde_json::Value;

pub use ofdkit::output::{api_error, payload, report};

/// A document's state: `{"state", "payload" | "error"}`.
pub fn state(state: &ofdkit::protocol::ReceiptState) -> Value {
    Value::Object(ofdkit::output::state(state))
}

/// Cashbox statistics, applications: the model as the core serialises it.
pub fn serialized<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
