//! JSON reading that keeps every number exact, in memory bounded by the input.
//!
//! `serde_json` reads numbers into `f64` unless a global feature changes
//! every number in the program; money must never take that trip, so ofdkit
//! reads requests and responses with its own small reader. Requests are
//! decoded straight from the pull [`Reader`] into typed models, collecting
//! every violation with its path, and members a model does not know are kept
//! as compact text ([`RawJson`]): no tree of the document is built, so
//! reading takes a small multiple of the input's size, never 20 times it.
//! Answers and tools that want a tree use [`parse`] into [`Value`]. Writing
//! still goes through `serde`.
//!
//! Every entry point that takes JSON text takes an [`Input`]: the bytes and
//! the largest size accepted ([`DEFAULT_MAX_INPUT_BYTES`] unless set),
//! checked before a byte is parsed.

mod count;
mod node;
mod parse;
mod reader;
mod serde_impl;
mod source;
mod text_chars;
mod tree_source;
mod value;
mod wire_length;

pub use count::compact_chars;
pub use node::{Elements, Entries, Json, Node};
pub use parse::{parse, parse_bytes, strip_bom, utf8};
pub use reader::{HasKind, Kind, RawJson, Reader, Style, MAX_DEPTH};
pub use source::{Extent, Source, Token};
pub use text_chars::{power_of_ten, units_text_chars};
pub use tree_source::TreeSource;
pub use value::{Members, Number, Value};
pub use wire_length::{member_name_chars, WireLength};

pub(crate) use reader::{for_each_member_text, write_serde_string};
pub(crate) use value::write_json_string;
pub(crate) use wire_length::{unescaped_string_chars, wire_length_through_serde};

/// The largest JSON input read by default: 4 MiB. Ferma splits a receipt
/// above 20 000 characters (ferma-api §3.2, about 200 items) and takes any
/// number of items; a receipt of 2 000 items with every optional field of
/// an item filled (agent, supplier, marking code, sectoral details, about
/// 2 KB each when pretty-printed) is still under it, and a typical receipt
/// is under 1 KB. Reading takes at most about 4 times the input, so the
/// default keeps one call under 20 MiB. Raise it with [`Input::max_bytes`]
/// (each binding has a setting) for larger documents.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// JSON text to read, with the largest size accepted.
///
/// Entry points take `impl Into<Input>`, so plain bytes or text read with
/// the default limit:
///
/// ```
/// use ofdkit::json::Input;
/// let input = Input::from(&b"{}"[..]).max_bytes(1);
/// assert_eq!(input.check_size().unwrap_err().to_string(),
///            "the input is 2 bytes, over the limit of 1 byte");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    bytes: &'a [u8],
    max_bytes: usize,
    /// The same bytes as text, when they came as `&str`: UTF-8 already.
    text: Option<&'a str>,
}

impl<'a> Input<'a> {
    /// Bytes with the default limit.
    pub fn new(bytes: &'a [u8]) -> Self {
        Input { bytes, max_bytes: DEFAULT_MAX_INPUT_BYTES, text: None }
    }

    /// Text known to be UTF-8, which is then not checked again (a binding
    /// hands over a string its language already holds as UTF-8).
    pub fn text_of(text: &'a str) -> Self {
        Input { bytes: text.as_bytes(), max_bytes: DEFAULT_MAX_INPUT_BYTES, text: Some(text) }
    }

    /// The same input with another limit.
    pub fn max_bytes(self, max_bytes: usize) -> Self {
        Input { max_bytes, ..self }
    }

    /// The bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The limit, in bytes.
    pub fn limit(&self) -> usize {
        self.max_bytes
    }

    /// Refuses an input over the limit, before anything is parsed.
    pub fn check_size(&self) -> Result<(), JsonError> {
        if self.bytes.len() > self.max_bytes {
            return Err(JsonError::too_large(self.bytes.len(), self.max_bytes));
        }
        Ok(())
    }

    /// The text to read: size checked, a leading byte order mark removed
    /// (and said so), UTF-8 checked.
    pub fn text(&self) -> Result<(&'a str, bool), JsonError> {
        self.check_size()?;
        if let Some(text) = self.text {
            return Ok(match text.strip_prefix('\u{feff}') {
                Some(rest) => (rest, true),
                None => (text, false),
            });
        }
        let (bytes, bom) = strip_bom(self.bytes);
        Ok((utf8(bytes)?, bom))
    }
}

/// Bytes or text of any kind (`&[u8]`, `&str`, `&Vec<u8>`, …), with the
/// default limit.
impl<'a, T: AsRef<[u8]> + ?Sized> From<&'a T> for Input<'a> {
    fn from(bytes: &'a T) -> Self {
        Input::new(bytes.as_ref())
    }
}

/// Why JSON text could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Not JSON (RFC 8259), not UTF-8, or nested too deeply.
    Malformed,
    /// Larger than the limit: nothing was parsed.
    TooLarge {
        /// The input's size, in bytes.
        size: usize,
        /// The limit, in bytes.
        max: usize,
    },
}

/// JSON text that could not be read: malformed (with the 1-based line and
/// column, the column counted in characters) or over the size limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// 0 for an input over the size limit.
    pub line: usize,
    /// 0 for an input over the size limit.
    pub column: usize,
    /// What was wrong.
    pub message: String,
    /// Malformed or too large.
    pub kind: JsonErrorKind,
}

impl JsonError {
    /// An error just after `consumed`, the text read so far.
    pub(crate) fn at(consumed: &str, message: &str) -> Self {
        let line = consumed.matches('\n').count() + 1;
        let line_start = consumed.rfind('\n').map_or(0, |i| i + 1);
        let column = consumed[line_start..].chars().count() + 1;
        JsonError { line, column, message: message.to_owned(), kind: JsonErrorKind::Malformed }
    }

    /// An input of `size` bytes over the limit of `max`.
    pub fn too_large(size: usize, max: usize) -> Self {
        let unit = if max == 1 { "byte" } else { "bytes" };
        JsonError {
            line: 0,
            column: 0,
            message: format!("the input is {size} bytes, over the limit of {max} {unit}"),
            kind: JsonErrorKind::TooLarge { size, max },
        }
    }

    /// The error code every binding reports: `INVALID_JSON` or `INPUT_TOO_LARGE`.
    pub fn code(&self) -> crate::ErrorCode {
        match self.kind {
            JsonErrorKind::Malformed => crate::ErrorCode::InvalidJson,
            JsonErrorKind::TooLarge { .. } => crate::ErrorCode::InputTooLarge,
        }
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            JsonErrorKind::Malformed => {
                write!(f, "malformed JSON at line {}, column {}: {}", self.line, self.column, self.message)
            }
            JsonErrorKind::TooLarge { .. } => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for JsonError {}
