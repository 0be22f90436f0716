//! JSON reading that keeps every number exact.
//!
//! `serde_json` reads numbers into `f64` unless a global feature changes
//! every number in the program; money must never take that trip, so ofdkit
//! reads requests and responses with its own small parser into [`Value`],
//! and decoders turn that tree into typed models while collecting every
//! violation with its path. Writing still goes through `serde`.

mod parse;
mod serde_impl;
mod value;

pub use parse::{parse, parse_bytes, MAX_DEPTH};
pub use value::{Members, Number, Value};

pub(crate) use value::write_json_string;

/// Malformed JSON: what is wrong and where (1-based line and column,
/// the column counted in characters).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed JSON at line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl JsonError {
    /// An error just after `consumed`, the text read so far.
    pub(crate) fn at(consumed: &str, message: &str) -> Self {
        let line = consumed.matches('\n').count() + 1;
        let line_start = consumed.rfind('\n').map_or(0, |i| i + 1);
        let column = consumed[line_start..].chars().count() + 1;
        JsonError { line, column, message: message.to_owned() }
    }
}
