//! A pull reader over JSON text: decoders ask for the next value and read
//! it straight into their models, so no tree of the whole document is ever
//! built (a tree costs 16 to 30 bytes of memory for each two-byte `0,` of
//! input). Whatever a decoder does not read is skipped, and still checked
//! against RFC 8259 in full: the reader reports exactly the errors, at
//! exactly the places, that a parse into a tree would.
//!
//! The first syntax error is kept and everything after it reads as absent;
//! the entry point then returns that error and drops what was decoded.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::node::{Elements, Entries, Node};
use super::source::{Extent, Source};
use super::value::Value;
use super::JsonError;

/// Deepest nesting of arrays and objects accepted. Real receipts nest five
/// levels; the limit only guards the stack against hostile input.
pub const MAX_DEPTH: usize = 128;

/// The JSON type of a value, for messages that name what was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// The English name used in messages (`"string"`, `"object"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }

    /// The Russian name used in messages.
    pub fn name_ru(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "логическое значение",
            Kind::Number => "число",
            Kind::String => "строка",
            Kind::Array => "массив",
            Kind::Object => "объект",
        }
    }
}

/// Anything that knows which JSON type it holds: a tree [`Value`], a
/// [`super::Json`] being read, or a [`Kind`] itself.
pub trait HasKind {
    /// The JSON type.
    fn json_kind(&self) -> Kind;
}

impl HasKind for Kind {
    fn json_kind(&self) -> Kind {
        *self
    }
}

/// Reads one JSON document from text already known to be UTF-8.
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pub(super) pos: usize,
    depth: usize,
    error: Option<Box<JsonError>>,
    /// Where the values come from instead of `text`, for a document held
    /// as a binding's objects (see [`Source`]).
    pub(super) source: Option<&'a mut (dyn Source<'a> + 'a)>,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader { text, bytes: text.as_bytes(), pos: 0, depth: 0, error: None, source: None }
    }

    /// A reader of the document `source` holds: its [`Reader::root`] is
    /// the document, and the source says when and why it stops.
    pub fn of_source(source: &'a mut (dyn Source<'a> + 'a)) -> Self {
        Reader { text: "", bytes: &[], pos: 0, depth: 0, error: None, source: Some(source) }
    }

    /// The source's [`Source::extent`]: how large its document is as JSON
    /// (`None` for text, whose length says it).
    pub fn source_extent(&self) -> Option<Extent> {
        self.source.as_ref().map(|source| source.extent())
    }

    /// The document's one value. Read it (or drop it to skip it), then
    /// call [`Reader::finish`].
    pub fn root(&mut self) -> Node<'_, 'a> {
        self.skip_whitespace();
        Node::new(self)
    }

    /// Checks that nothing but whitespace follows the value, and returns
    /// the first error met anywhere in the document.
    pub fn finish(mut self) -> Result<(), JsonError> {
        if self.error.is_none() {
            self.skip_whitespace();
            if self.pos != self.bytes.len() {
                self.fail("unexpected characters after the JSON value");
            }
        }
        match self.error {
            Some(error) => Err(*error),
            None => Ok(()),
        }
    }

    /// Whether a syntax error has been met: from then on every value reads
    /// as absent, and the entry point reports the error alone.
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Moves to the next element or member of the array or object being
    /// read, past the `,` between two; false at its `close` (leaving it) or
    /// at an error. `started` tells whether one was read before.
    #[inline]
    pub(super) fn next_member(&mut self, started: &mut bool, close: u8, expected: &str) -> bool {
        self.skip_whitespace();
        if !*started {
            *started = true;
        } else if self.peek() == Some(b',') {
            self.pos += 1;
            self.skip_whitespace();
            return !self.failed();
        } else if self.peek() != Some(close) {
            self.fail(expected);
            return false;
        }
        if self.peek() == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            return false;
        }
        !self.failed()
    }

    /// Records the first error at the current position and stops reading.
    #[cold]
    pub(super) fn fail(&mut self, message: &str) {
        if self.error.is_none() {
            // `pos` always sits on a character boundary: the reader only
            // stops on ASCII bytes or after whole characters.
            let prefix = self.text.get(..self.pos).unwrap_or(self.text);
            self.error = Some(Box::new(JsonError::at(prefix, message)));
        }
        self.pos = self.bytes.len();
    }

    #[inline]
    pub(super) fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(super) fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            self.fail("nesting deeper than 128 levels");
            return false;
        }
        self.depth += 1;
        self.pos += 1; // '[' or '{'
        true
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(super) fn literal(&mut self, word: &str) -> bool {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            true
        } else {
            self.fail("expected a JSON value");
            false
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(super) fn number(&mut self) -> Option<&'a str> {
        let start = self.pos;
        match super::parse::number_len(&self.bytes[start..]) {
            Some(len) => {
                self.pos += len;
                Some(&self.text[start..self.pos])
            }
            None => {
                self.fail("malformed number");
                None
            }
        }
    }

    /// Moves past the plain characters of a string: stops on `"`, `\`, a
    /// control character or the end. Eight bytes at a time where it can.
    #[inline]
    fn scan_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let bytes = self.bytes;
        while let Some(chunk) = bytes.get(self.pos..self.pos + 8) {
            let word =
                u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
            // A byte is special when it is '"', '\\' or below 0x20.
            let quote = word ^ (ONES * u64::from(b'"'));
            let backslash = word ^ (ONES * u64::from(b'\\'));
            let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
            let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
            let special = has_zero(quote) | has_zero(backslash) | control;
            if special != 0 {
                self.pos += (special.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
        while let Some(&b) = bytes.get(self.pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return;
            }
            self.pos += 1;
        }
    }

    /// Reads a string starting at the opening quote; borrows it when it has
    /// no escapes.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(super) fn string(&mut self) -> Option<Cow<'a, str>> {
        self.pos += 1; // '"'
        let start = self.pos;
        self.scan_plain();
        match self.peek() {
            Some(b'"') => {
                let s = &self.text[start..self.pos];
                self.pos += 1;
                return Some(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            None => {
                self.fail("unterminated string");
                return None;
            }
            Some(_) => {
                self.fail("control character in string must be escaped");
                return None;
            }
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(&self.text[start..self.pos]);
        loop {
            match self.peek() {
                None => {
                    self.fail("unterminated string");
                    return None;
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Some(Cow::Owned(out));
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(b) if b < 0x20 => {
                    self.fail("control character in string must be escaped");
                    return None;
                }
                Some(_) => {
                    let run_start = self.pos;
                    self.scan_plain();
                    out.push_str(&self.text[run_start..self.pos]);
                }
            }
        }
    }

    /// Checks a string starting at the opening quote without keeping it.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(super) fn skip_string(&mut self) -> bool {
        self.pos += 1; // '"'
        loop {
            self.scan_plain();
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return true;
                }
                Some(b'\\') => {
                    if self.escape().is_none() {
                        return false;
                    }
                }
                None => {
                    self.fail("unterminated string");
                    return false;
                }
                Some(_) => {
                    self.fail("control character in string must be escaped");
                    return false;
                }
            }
        }
    }

    /// Reads one escape starting at its backslash.
    fn escape(&mut self) -> Option<char> {
        self.pos += 1; // '\\'
        let escaped = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => {
                self.fail("invalid escape in string");
                return None;
            }
        };
        self.pos += 1;
        Some(escaped)
    }

    /// Reads the four hex digits after `\u` (and a second escape for a
    /// surrogate pair); lone surrogates are errors, not replacement characters.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    self.fail("unpaired surrogate in \\u escape");
                    return None;
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    self.fail("unpaired surrogate in \\u escape");
                    return None;
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                self.fail("unpaired surrogate in \\u escape");
                return None;
            }
            code => code,
        };
        match char::from_u32(code) {
            Some(c) => Some(c),
            None => {
                self.fail("invalid \\u escape");
                None
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            self.fail("truncated \\u escape");
            return None;
        };
        let mut code = 0u32;
        for &d in digits {
            match (d as char).to_digit(16) {
                Some(v) => code = code * 16 + v,
                None => {
                    self.fail("invalid \\u escape");
                    return None;
                }
            }
        }
        self.pos += 4;
        Some(code)
    }

    /// Skips the value at the current position (whitespace already
    /// skipped), checking it in full.
    pub(super) fn skip_value(&mut self) {
        if let Some(source) = &mut self.source {
            return source.skip();
        }
        match self.peek() {
            None => self.fail("unexpected end of input, expected a value"),
            Some(b'"') => {
                self.skip_string();
            }
            Some(b'{') => {
                if self.enter() {
                    let mut entries = Entries::new(self);
                    while let Some((_, value)) = entries.next_entry(false) {
                        value.skip();
                    }
                }
            }
            Some(b'[') => {
                if self.enter() {
                    let mut elements = Elements::new(self);
                    while let Some(value) = elements.next() {
                        value.skip();
                    }
                }
            }
            Some(b't') => {
                self.literal("true");
            }
            Some(b'f') => {
                self.literal("false");
            }
            Some(b'n') => {
                self.literal("null");
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number();
            }
            Some(_) => self.fail("expected a JSON value"),
        }
    }
}

/// How strings are escaped when a value is written back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// As `serde_json` writes (`\b`, `\f`; `-0` as `0`): unknown members
    /// go out in the wire form as the serializer would write them.
    Serde,
    /// As [`Value::to_json_string`] writes: numbers exactly as given.
    Plain,
}

impl Style {
    pub(super) fn write_string(self, s: &str, out: &mut String) {
        match self {
            Style::Serde => write_serde_string(s, out),
            Style::Plain => super::value::write_json_string(s, out),
        }
    }
}

/// Appends `s` as a JSON string escaped exactly as `serde_json` escapes.
pub(crate) fn write_serde_string(s: &str, out: &mut String) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// Calls `f` with each member's name and value text of a JSON object
/// already written compact (what [`crate::decode::Extra`] keeps).
pub(crate) fn for_each_member_text(object: &str, mut f: impl FnMut(&str, &str)) {
    let mut reader = Reader::new(object);
    if reader.peek() != Some(b'{') || !reader.enter() {
        return;
    }
    let mut started = false;
    while reader.next_member(&mut started, b'}', "expected ',' or '}' in object") {
        let Some(name) = reader.string() else { return };
        reader.skip_whitespace();
        reader.pos += 1; // ':'
        reader.skip_whitespace();
        let start = reader.pos;
        reader.skip_value();
        if reader.failed() {
            return;
        }
        f(&name, &object[start..reader.pos]);
    }
}

/// A JSON value kept as compact text (a member a model does not know):
/// it costs no more memory than the input it came from, and is written
/// back as given.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawJson(String);

impl RawJson {
    /// Text written compact by the reader.
    pub(super) fn from_compact(text: String) -> Self {
        RawJson(text)
    }

    /// The compact JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Keeps JSON text, written compact; `None` if it is not one JSON value.
    pub fn parse(text: &str) -> Option<Self> {
        let mut reader = Reader::new(text);
        let mut out = String::with_capacity(text.len());
        reader.root().write_raw(&mut out);
        reader.finish().ok()?;
        Some(RawJson(out))
    }

    /// The value as a tree.
    pub fn to_value(&self) -> Value<'static> {
        // The text was written by the reader, so it parses.
        super::parse(&self.0).map(Value::into_owned).unwrap_or_default()
    }

    /// Keeps a tree's value as text.
    pub fn from_value(value: &Value<'_>) -> Self {
        let text = value.to_json_string();
        let mut reader = Reader::new(&text);
        let mut out = String::with_capacity(text.len());
        reader.root().write_raw(&mut out);
        RawJson(out)
    }
}

impl std::fmt::Debug for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}
