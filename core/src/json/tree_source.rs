//! A [`Value`] tree read as a [`Source`]: how a document a caller already
//! holds as a tree is decoded without being written out as text, and the
//! reference every other source is tested against.

use std::borrow::Cow;

use super::source::{Extent, Source, Token};
use super::value::Value;
use super::{Kind, MAX_DEPTH};

/// Reads a tree value by value.
pub struct TreeSource<'a> {
    pending: Option<&'a Value<'a>>,
    frames: Vec<Frame<'a>>,
    extent: Extent,
    stopped: bool,
}

enum Frame<'a> {
    Array { items: std::slice::Iter<'a, Value<'a>>, first: bool },
    Object { members: std::slice::Iter<'a, (Cow<'a, str>, Value<'a>)>, first: bool },
}

impl<'a> TreeSource<'a> {
    /// A source whose document is `value`.
    pub fn new(value: &'a Value<'a>) -> Self {
        TreeSource {
            pending: Some(value),
            frames: Vec::new(),
            extent: Extent { json_bytes: 0, values: 1 },
            stopped: false,
        }
    }

    /// Whether the tree nests deeper than [`MAX_DEPTH`], which stops it as
    /// it stops the text reader.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    fn string_bytes(text: &str) -> usize {
        let mut written = String::new();
        if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            super::write_serde_string(text, &mut written);
            return written.len();
        }
        text.len() + 2
    }

    fn enter(&mut self, frame: Frame<'a>) -> bool {
        if self.frames.len() >= MAX_DEPTH {
            self.stopped = true;
            self.pending = None;
            return false;
        }
        self.frames.push(frame);
        self.extent.json_bytes += 2;
        true
    }
}

/// Lent for any shorter time than the tree is: what is read is borrowed
/// from the tree.
impl<'s, 'a: 's> Source<'s> for TreeSource<'a> {
    fn kind(&self) -> Kind {
        match self.pending {
            None | Some(Value::Null) => Kind::Null,
            Some(Value::Bool(_)) => Kind::Bool,
            Some(Value::Number(_)) => Kind::Number,
            Some(Value::String(_)) => Kind::String,
            Some(Value::Array(_)) => Kind::Array,
            Some(Value::Object(_)) => Kind::Object,
        }
    }

    fn read(&mut self) -> Token<'s> {
        let Some(value) = self.pending.take() else { return Token::Null };
        match value {
            Value::Null => {
                self.extent.json_bytes += 4;
                Token::Null
            }
            Value::Bool(b) => {
                self.extent.json_bytes += if *b { 4 } else { 5 };
                Token::Bool(*b)
            }
            Value::Number(n) => {
                self.extent.json_bytes += n.as_str().len();
                Token::Number(Cow::Borrowed(n.as_str()))
            }
            Value::String(s) => {
                self.extent.json_bytes += Self::string_bytes(s);
                Token::String(Cow::Borrowed(s))
            }
            Value::Array(items) => match self.enter(Frame::Array { items: items.iter(), first: true }) {
                true => Token::Array,
                false => Token::Null,
            },
            Value::Object(members) => match self.enter(Frame::Object { members: members.iter(), first: true }) {
                true => Token::Object,
                false => Token::Null,
            },
        }
    }

    fn array_len(&self) -> Option<usize> {
        match self.frames.last() {
            Some(Frame::Array { items, first: true }) => Some(items.len()),
            _ => None,
        }
    }

    fn next_element(&mut self) -> bool {
        if self.stopped {
            return false;
        }
        let Some(Frame::Array { items, first }) = self.frames.last_mut() else { return false };
        let Some(item) = items.next() else {
            self.frames.pop();
            return false;
        };
        self.extent.json_bytes += usize::from(!*first);
        *first = false;
        self.extent.values += 1;
        self.pending = Some(item);
        true
    }

    fn next_member(&mut self) -> Option<&'s str> {
        if self.stopped {
            return None;
        }
        let Some(Frame::Object { members, first }) = self.frames.last_mut() else { return None };
        let Some((name, value)) = members.next() else {
            self.frames.pop();
            return None;
        };
        let comma = usize::from(!*first);
        *first = false;
        self.extent.json_bytes += comma + Self::string_bytes(name) + 1;
        self.extent.values += 1;
        self.pending = Some(value);
        Some(name)
    }

    fn extent(&self) -> Extent {
        self.extent
    }
}
