//! A document held as a binding's own objects (a Python dict of lists,
//! strings and `Decimal`s), read by the same decoders as JSON text.
//!
//! Writing such a document out as JSON text for the [`super::Reader`] took
//! a third of validating it; a [`Source`] hands the decoders its values
//! one at a time instead, strings borrowed where the objects hold them, so
//! nothing is written or parsed. It reads like the text reader: a cursor
//! on one pending value, which is read (an array or object is entered),
//! or skipped.

use std::borrow::Cow;

use super::Kind;

/// A pending value as a source reads it.
#[derive(Debug)]
pub enum Token<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number as JSON text (RFC 8259 §6), exact: an amount is never
    /// handed over as a float. A source vouches for the grammar, as the
    /// number may be written back as it is (an unknown member); debug
    /// builds check it.
    Number(Cow<'a, str>),
    /// A string.
    String(Cow<'a, str>),
    /// An array, now entered: its elements follow through
    /// [`Source::next_element`].
    Array,
    /// An object, now entered: its members follow through
    /// [`Source::next_member`].
    Object,
}

/// How large a document read from a source is as JSON text, for what the
/// core bounds by the text's size (the split rule, §3.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extent {
    /// At least the bytes of the document written as compact JSON, each
    /// string escaped as `serde_json` escapes it (the split rule's bound
    /// needs no less). A source may count a string at its most rather than
    /// scan it.
    pub json_bytes: usize,
    /// Members and elements, the document itself included.
    pub values: usize,
}

/// A document read value by value, as the text [`super::Reader`] reads
/// text. The source starts on the document itself as its pending value.
///
/// A source that meets something it cannot hand over (a value JSON cannot
/// carry, a document over its size limit) stops: from then on its pending
/// value is `null`, arrays and objects end, and the binding that made it
/// reports why instead of what was decoded (as malformed text is reported
/// instead of its violations).
pub trait Source<'a> {
    /// The pending value's JSON type (`Null` once stopped).
    fn kind(&self) -> Kind;

    /// Reads the pending value. An array or object is entered.
    fn read(&mut self) -> Token<'a>;

    /// How many elements the array just entered has, if the source knows
    /// (a list does): decoders size what they fill by it.
    fn array_len(&self) -> Option<usize> {
        None
    }

    /// The pending value as a whole number of `10^-scale` units, when the
    /// source holds it as an exact number (a Python `Decimal` or `int`):
    /// `249.90` at scale 2 is 24 990. Money is read so, with no digits
    /// written out only to be parsed again. `Some` consumes the value and
    /// must be exactly what its text would read as; `None` (the default)
    /// whenever that is not certain — more fraction digits than `scale`,
    /// units beyond `i64`, a value that is not such a number — leaves it
    /// pending, to be read as usual.
    fn read_units(&mut self, scale: u32) -> Option<i64> {
        let _ = scale;
        None
    }

    /// The pending value as an integer, when the source holds it as one
    /// whose JSON text is exactly its decimal digits (a Python `int`):
    /// codes are read so, and a code not in its table is reported with
    /// those digits. `Some` consumes the value; `None` (the default)
    /// leaves it pending, to be read as usual.
    fn read_integer(&mut self) -> Option<i64> {
        None
    }

    /// Moves to the next element of the array being read; `false` after
    /// the last one, leaving the array (or once stopped).
    fn next_element(&mut self) -> bool;

    /// Moves to the next member of the object being read and gives its
    /// name; `None` after the last one, leaving the object (or once
    /// stopped).
    fn next_member(&mut self) -> Option<&'a str>;

    /// Skips the pending value, checking it as reading would: by reading
    /// it, unless a source knows a cheaper way.
    fn skip(&mut self) {
        match self.read() {
            Token::Array => {
                while self.next_element() {
                    self.skip();
                }
            }
            Token::Object => {
                while self.next_member().is_some() {
                    self.skip();
                }
            }
            _ => {}
        }
    }

    /// The size of everything read or skipped so far: of the whole
    /// document once it has been read.
    fn extent(&self) -> Extent;
}
