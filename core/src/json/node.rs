//! One value of a document being read, and the elements and members of
//! the arrays and objects in it. A document is read from JSON text by the
//! [`Reader`], or from a binding's own objects (a Python dict) by a
//! [`Source`] the reader carries: decoders see the same [`Node`] either
//! way, so every model, code table and rule reads both alike, and a binding
//! that holds a document as objects need not write it out as text first.
//!
//! A node is one pointer to the reader, which asks its source first. An
//! enum of the two cursors made every node, member reader and value being
//! read three times as large, and reading text 4.5% slower. The reader's
//! steps are marked for inlining across codegen units, except in the
//! WebAssembly build (one unit, and bytes count there).

use std::borrow::Cow;

use super::reader::{Reader, Style};
use super::source::Token;
use super::value::{Number, Value};
use super::{HasKind, Kind, RawJson};

/// One value of the document, not yet read. Reading it consumes it; a
/// node dropped unread is skipped (and checked).
pub struct Node<'r, 'a> {
    /// `None` once read.
    reader: Option<&'r mut Reader<'a>>,
}

impl<'r, 'a> Node<'r, 'a> {
    pub(super) fn new(reader: &'r mut Reader<'a>) -> Self {
        Node { reader: Some(reader) }
    }

    fn take(&mut self) -> &'r mut Reader<'a> {
        // Every consuming method takes the reader once, first.
        match self.reader.take() {
            Some(reader) => reader,
            None => unreachable!("a node is read once"),
        }
    }

    /// The value's JSON type, without reading it. A malformed value looks
    /// like null: reading it records the error.
    #[inline]
    pub fn kind(&self) -> Kind {
        let Some(reader) = &self.reader else { return Kind::Null };
        if let Some(source) = &reader.source {
            return source.kind();
        }
        match reader.peek() {
            Some(b'"') => Kind::String,
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'-' | b'0'..=b'9') => Kind::Number,
            _ => Kind::Null,
        }
    }

    /// Whether the value is `null` (or unreadable, which ends the reading).
    #[inline]
    pub fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// The value as a whole number of `10^-scale` units, when the
    /// document's source holds it exactly so (see
    /// [`Source::read_units`](super::Source::read_units)): the node is then
    /// consumed. `None` leaves it to be read as usual (always for text).
    #[inline]
    pub fn read_units(&mut self, scale: u32) -> Option<i64> {
        let units = self.reader.as_mut()?.source.as_mut()?.read_units(scale)?;
        self.reader = None;
        Some(units)
    }

    /// The value as an integer, when the document's source holds it as one
    /// (see [`Source::read_integer`](super::Source::read_integer)): the
    /// node is then consumed. `None` leaves it to be read as usual.
    #[inline]
    pub fn read_integer(&mut self) -> Option<i64> {
        let integer = self.reader.as_mut()?.source.as_mut()?.read_integer()?;
        self.reader = None;
        Some(integer)
    }

    /// Reads the value: scalars whole, arrays and objects as readers of
    /// their elements and members.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn read(mut self) -> Json<'r, 'a> {
        let reader = self.take();
        let Some(source) = &mut reader.source else { return read_text(reader) };
        match source.read() {
            Token::Null => Json::Null,
            Token::Bool(b) => Json::Bool(b),
            Token::Number(text) => {
                // Checking each number again cost a fifth of reading it.
                debug_assert!(Number::parse(&text).is_some(), "a source gave a number that is not JSON: {text}");
                Json::Number(Number::from_checked(text))
            }
            Token::String(s) => Json::String(s),
            Token::Array => Json::Array(Elements::new(reader)),
            Token::Object => Json::Object(Entries::new(reader)),
        }
    }

    /// Skips the value, checking it.
    pub fn skip(mut self) {
        self.take().skip_value();
    }

    /// The value as compact JSON text, strings escaped as `serde_json`
    /// writes them and numbers exactly as given: how unknown members are
    /// kept, at no more memory than their own text.
    pub fn into_raw(self) -> RawJson {
        let mut out = String::new();
        self.write_compact(&mut out, Style::Serde);
        RawJson::from_compact(out)
    }

    /// Appends the value as compact JSON text in `style` (text that
    /// turns out malformed writes `null` there, and the reading fails).
    pub fn write_compact(self, out: &mut String, style: Style) {
        self.read().write_compact(out, style);
    }

    /// Appends the value as compact JSON text (see [`Node::into_raw`]).
    pub(crate) fn write_raw(self, out: &mut String) {
        self.write_compact(out, Style::Serde);
    }

    /// The value as an owned tree. Only for values kept whole from a
    /// server's answer (an unknown code); requests never build trees.
    pub fn into_value(self) -> Value<'static> {
        self.read().into_value()
    }

    /// The value as a tree borrowing from the input where it can.
    pub fn into_tree(self) -> Value<'a> {
        self.read().into_tree()
    }
}

impl Drop for Node<'_, '_> {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.skip_value();
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), inline)]
fn read_text<'r, 'a>(reader: &'r mut Reader<'a>) -> Json<'r, 'a> {
    match reader.peek() {
        Some(b'"') => match reader.string() {
            Some(s) => Json::String(s),
            None => Json::Null,
        },
        Some(b'{') => {
            if reader.enter() {
                Json::Object(Entries::new(reader))
            } else {
                Json::Null
            }
        }
        Some(b'[') => {
            if reader.enter() {
                Json::Array(Elements::new(reader))
            } else {
                Json::Null
            }
        }
        Some(b'-' | b'0'..=b'9') => match reader.number() {
            Some(n) => Json::Number(Number::from_checked(Cow::Borrowed(n))),
            None => Json::Null,
        },
        Some(b't') => {
            reader.literal("true");
            Json::Bool(true)
        }
        Some(b'f') => {
            reader.literal("false");
            Json::Bool(false)
        }
        Some(b'n') => {
            reader.literal("null");
            Json::Null
        }
        None => {
            reader.fail("unexpected end of input, expected a value");
            Json::Null
        }
        Some(_) => {
            reader.fail("expected a JSON value");
            Json::Null
        }
    }
}

/// A value being read: scalars already read, arrays and objects as
/// readers of their contents (dropping one skips the rest of it).
pub enum Json<'r, 'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, with its text.
    Number(Number<'a>),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array, to read element by element.
    Array(Elements<'r, 'a>),
    /// An object, to read member by member.
    Object(Entries<'r, 'a>),
}

impl HasKind for Json<'_, '_> {
    fn json_kind(&self) -> Kind {
        match self {
            Json::Null => Kind::Null,
            Json::Bool(_) => Kind::Bool,
            Json::Number(_) => Kind::Number,
            Json::String(_) => Kind::String,
            Json::Array(_) => Kind::Array,
            Json::Object(_) => Kind::Object,
        }
    }
}

impl<'a> Json<'_, 'a> {
    /// Writes the value, read so far or not at all, as compact JSON in
    /// `style`: what a source's values are kept as (a text reader copies
    /// its own text instead), and how the C library hands out a value.
    pub fn write_compact(self, out: &mut String, style: Style) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(if n.as_str() == "-0" && style == Style::Serde { "0" } else { n.as_str() }),
            Json::String(s) => style.write_string(&s, out),
            Json::Array(mut elements) => {
                out.push('[');
                let mut first = true;
                while let Some(element) = elements.next() {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    element.write_compact(out, style);
                }
                out.push(']');
            }
            Json::Object(mut entries) => {
                out.push('{');
                let mut first = true;
                while let Some((name, member)) = entries.next() {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    style.write_string(&name, out);
                    out.push(':');
                    member.write_compact(out, style);
                }
                out.push('}');
            }
        }
    }

    /// The value as an owned tree (see [`Node::into_value`]).
    pub fn into_value(self) -> Value<'static> {
        self.into_tree().into_owned()
    }

    /// The value as a tree borrowing from the input where it can.
    pub fn into_tree(self) -> Value<'a> {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => Value::Number(n),
            Json::String(s) => Value::String(s),
            Json::Array(mut elements) => {
                let mut items = Vec::new();
                while let Some(item) = elements.next() {
                    items.push(item.into_tree());
                }
                Value::Array(items)
            }
            Json::Object(mut entries) => {
                let mut members = Vec::new();
                while let Some((key, value)) = entries.next() {
                    members.push((key, value.into_tree()));
                }
                Value::Object(members)
            }
        }
    }

    /// A scalar as the JSON text a message shows (`"abc"`, `12`); arrays
    /// and objects as `[…]` and `{…}`.
    pub fn to_json_string(&self) -> String {
        match self {
            Json::Null => "null".to_owned(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.as_str().to_owned(),
            Json::String(s) => {
                let mut out = String::with_capacity(s.len() + 2);
                super::value::write_json_string(s, &mut out);
                out
            }
            Json::Array(_) => "[…]".to_owned(),
            Json::Object(_) => "{…}".to_owned(),
        }
    }
}

/// The elements of an array being read.
pub struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
    started: bool,
    done: bool,
}

impl<'r, 'a> Elements<'r, 'a> {
    pub(super) fn new(reader: &'r mut Reader<'a>) -> Self {
        Elements { reader, started: false, done: false }
    }

    /// How many elements there are, when the source of the document
    /// knows before they are read (text does not).
    pub fn len_hint(&self) -> Option<usize> {
        self.reader.source.as_ref().and_then(|source| source.array_len())
    }

    /// The next element, or `None` after the last one (or at an error).
    #[allow(clippy::should_implement_trait)] // a lending iterator: each node borrows the reader
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn next(&mut self) -> Option<Node<'_, 'a>> {
        if self.done {
            return None;
        }
        let more = match &mut self.reader.source {
            None => self.reader.next_member(&mut self.started, b']', "expected ',' or ']' in array"),
            Some(source) => source.next_element(),
        };
        if !more {
            self.done = true;
            return None;
        }
        Some(Node::new(&mut *self.reader))
    }
}

impl Drop for Elements<'_, '_> {
    fn drop(&mut self) {
        while let Some(node) = self.next() {
            node.skip();
        }
    }
}

/// The members of an object being read, in the order written; duplicate
/// names are all given, so decoders can report them.
pub struct Entries<'r, 'a> {
    reader: &'r mut Reader<'a>,
    started: bool,
    done: bool,
}

impl<'r, 'a> Entries<'r, 'a> {
    pub(super) fn new(reader: &'r mut Reader<'a>) -> Self {
        Entries { reader, started: false, done: false }
    }

    /// The next member's name and value, or `None` after the last one.
    #[allow(clippy::should_implement_trait)] // a lending iterator: each node borrows the reader
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn next(&mut self) -> Option<(Cow<'a, str>, Node<'_, 'a>)> {
        self.next_entry(true)
    }

    /// As `next`; with `keep_name` false the name is checked, not kept
    /// (a source's names cost nothing to keep).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn next_entry(&mut self, keep_name: bool) -> Option<(Cow<'a, str>, Node<'_, 'a>)> {
        if self.done {
            return None;
        }
        if let Some(source) = &mut self.reader.source {
            let Some(name) = source.next_member() else {
                self.done = true;
                return None;
            };
            return Some((Cow::Borrowed(name), Node::new(&mut *self.reader)));
        }
        let Some(name) = text_member(self.reader, &mut self.started, keep_name) else {
            self.done = true;
            return None;
        };
        Some((name, Node::new(&mut *self.reader)))
    }
}

/// Moves a text reader to the next member's value and reads its name.
#[inline]
fn text_member<'a>(reader: &mut Reader<'a>, started: &mut bool, keep_name: bool) -> Option<Cow<'a, str>> {
    if !reader.next_member(started, b'}', "expected ',' or '}' in object") {
        return None;
    }
    if reader.peek() != Some(b'"') {
        reader.fail("expected a member name in double quotes");
        return None;
    }
    let name = if keep_name { reader.string() } else { reader.skip_string().then_some(Cow::Borrowed("")) };
    let name = name?;
    reader.skip_whitespace();
    if reader.peek() != Some(b':') {
        reader.fail("expected ':' after the member name");
        return None;
    }
    reader.pos += 1;
    reader.skip_whitespace();
    Some(name)
}

impl Drop for Entries<'_, '_> {
    fn drop(&mut self) {
        while let Some((_, node)) = self.next_entry(false) {
            node.skip();
        }
    }
}
