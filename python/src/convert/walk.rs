//! A dict read by the core directly, as an [`ofdkit::json::Source`]: no
//! JSON text is written and parsed again. Writing it out took a quarter of
//! validating a dict (0.74 M of 2.72 M instructions on 200 items); reading
//! the objects costs about what parsing their text did, so a dict now
//! costs what its JSON text does (`python/bench`).
//!
//! The walker reads only what it can read without running a line of the
//! user's code: `dict`, `list`, `tuple`, `str`, `int`, `float`, `bool`,
//! `None`, an exact `Decimal` whose layout is known, and subclasses of the
//! built-ins (the code enums), by their C-level values. Since nothing else
//! runs, nothing can change or free the document while it is read, so its
//! strings and dicts are read where they are, without a reference taken.
//! Anything else — a `Mapping`, a `Decimal` subclass, a value JSON cannot
//! carry, a name that is not a `str`, a document that may be over the
//! size limit — stops the walk, and the caller reads the document the long
//! way ([`super::to_json`]), which accepts or refuses it with its path
//! exactly as before. So both ways agree by construction.

use std::borrow::Cow;

use ofdkit::json::{Extent, Kind, Number, Source, Token, MAX_DEPTH};
use ofdkit::RequestKind;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::document::borrowed_utf8;
use super::text::{escaped_len, write_i64, KeyCache};
use super::{decimal_text, decimal_type, max_input_bytes};

/// What a value is, told without running any of the user's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    None,
    True,
    False,
    Int,
    Float,
    Decimal,
    Str,
    Dict,
    List,
    Tuple,
}

/// An array or object being read.
enum Frame {
    Dict { dict: *mut ffi::PyObject, position: ffi::Py_ssize_t, first: bool },
    Sequence { items: *mut ffi::PyObject, tuple: bool, index: ffi::Py_ssize_t, len: ffi::Py_ssize_t },
}

/// Reads a document held as Python objects for the core. `'a` is how long
/// the document is borrowed: every string handed over lives that long.
pub struct Walker<'a> {
    py: Python<'a>,
    /// The value to be read next, borrowed from its container (or the
    /// caller); meaningless once stopped.
    pending: *mut ffi::PyObject,
    shape: Shape,
    frames: Vec<Frame>,
    extent: Extent,
    max_bytes: usize,
    /// `decimal.Decimal`, when its digits can be read in place.
    decimal: *mut ffi::PyTypeObject,
    stopped: bool,
    /// The shared cache of names (see [`KeyCache`]), unless another
    /// conversion holds it.
    keys: Option<std::sync::MutexGuard<'static, Option<KeyCache>>>,
    /// The cache the guard holds, or null: every use goes through this
    /// pointer, taken once, not through the guard and its option again
    /// for each name (a tenth of reading a member).
    cache: *mut KeyCache,
    /// Numbers written out (a Decimal's digits), lent to the core.
    numbers: Arena,
    scratch: Vec<u8>,
}

/// Text kept for as long as the walker, in chunks that never move once
/// written, so each piece can be lent while more are written.
///
/// What is lent outlives the `&mut self` of the call that lends it: that is
/// sound because the core borrows the walker for as long as it reads
/// anything of it (the `'s` of `Source<'s>`), and the chunks are freed
/// only with the walker.
struct Arena {
    chunks: Vec<Vec<u8>>,
}

impl Arena {
    /// Small enough for glibc's per-thread cache (up to 1032 bytes): a
    /// larger block made every walk sort malloc's free lists. A typical
    /// receipt's numbers take 50 bytes.
    const CHUNK: usize = 512;

    fn keep<'a>(&mut self, text: &str) -> &'a str {
        let fits = self.chunks.last().is_some_and(|chunk| chunk.capacity() - chunk.len() >= text.len());
        if !fits {
            self.chunks.push(Vec::with_capacity(Self::CHUNK.max(text.len())));
        }
        let Some(chunk) = self.chunks.last_mut() else { unreachable!("a chunk was just pushed") };
        let start = chunk.len();
        // Within capacity: the chunk's buffer does not move.
        chunk.extend_from_slice(text.as_bytes());
        // SAFETY: UTF-8 copied from `text`, in a buffer that stays put
        // until the arena is dropped (see the type's note on `'a`).
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(chunk.as_ptr().add(start), text.len())) }
    }
}

impl<'a> Walker<'a> {
    /// A walker on `document`, if it is a dict (anything else takes the
    /// long way: it is JSON text, or not a request).
    pub fn of(document: &'a Bound<'_, PyAny>) -> Option<Walker<'a>> {
        let dict = document.cast::<PyDict>().ok()?;
        let py = document.py();
        let decimal = decimal_type(py)
            .ok()
            .filter(|decimal| decimal_text::layout_holds(py, decimal))
            .map_or(std::ptr::null_mut(), |decimal| decimal.as_type_ptr());
        let mut walker = Walker {
            py,
            pending: std::ptr::null_mut(),
            shape: Shape::None,
            // Receipts nest five deep: one allocation per walk.
            frames: Vec::with_capacity(8),
            extent: Extent { json_bytes: 0, values: 1 },
            max_bytes: max_input_bytes(),
            decimal,
            stopped: false,
            keys: KeyCache::take(),
            cache: std::ptr::null_mut(),
            numbers: Arena { chunks: Vec::new() },
            scratch: Vec::new(),
        };
        if let Some(cache) = walker.keys.as_mut().and_then(|guard| guard.as_mut()) {
            walker.cache = cache;
        }
        walker.set_pending(dict.as_ptr());
        Some(walker)
    }

    /// Whether the walk stopped: the document must take the long way.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Stops the walk: from here on the pending value is `null` and every
    /// array and object ends, with no check needed on the way.
    #[cold]
    fn stop(&mut self) {
        self.stopped = true;
        self.pending = std::ptr::null_mut();
        self.shape = Shape::None;
        self.frames.clear();
    }

    #[inline]
    fn set_pending(&mut self, object: *mut ffi::PyObject) {
        match self.shape_of(object) {
            Some(shape) => {
                self.pending = object;
                self.shape = shape;
            }
            None => self.stop(),
        }
    }

    #[inline(always)]
    fn shape_of(&self, object: *mut ffi::PyObject) -> Option<Shape> {
        use std::ptr::addr_of_mut;
        // SAFETY: the GIL is held and `object` is a live reference (the
        // document's, which nothing can release while it is walked).
        unsafe {
            let kind = ffi::Py_TYPE(object);
            // The exact built-in types first, one comparison each.
            if kind == addr_of_mut!(ffi::PyUnicode_Type) {
                return Some(Shape::Str);
            }
            if kind == addr_of_mut!(ffi::PyLong_Type) {
                return Some(Shape::Int);
            }
            if kind == addr_of_mut!(ffi::PyDict_Type) {
                return Some(Shape::Dict);
            }
            if kind == addr_of_mut!(ffi::PyList_Type) {
                return Some(Shape::List);
            }
            if kind == self.decimal {
                return Some(Shape::Decimal);
            }
            if kind == addr_of_mut!(ffi::PyFloat_Type) {
                return Some(Shape::Float);
            }
            if object == ffi::Py_None() {
                return Some(Shape::None);
            }
            if object == ffi::Py_True() {
                return Some(Shape::True);
            }
            if object == ffi::Py_False() {
                return Some(Shape::False);
            }
            // Subclasses by their type's flags, as the long way tells them.
            if ffi::PyUnicode_Check(object) != 0 {
                return Some(Shape::Str);
            }
            if ffi::PyLong_Check(object) != 0 {
                return Some(Shape::Int);
            }
            if ffi::PyFloat_Check(object) != 0 {
                return Some(Shape::Float);
            }
            if ffi::PyDict_Check(object) != 0 {
                return Some(Shape::Dict);
            }
            if ffi::PyList_Check(object) != 0 {
                return Some(Shape::List);
            }
            if ffi::PyTuple_Check(object) != 0 {
                return Some(Shape::Tuple);
            }
        }
        None
    }

    /// Counts `bytes` more of JSON; stops over the limit.
    #[inline]
    fn grow(&mut self, bytes: usize) {
        self.extent.json_bytes += bytes;
        if self.extent.json_bytes > self.max_bytes {
            self.stop();
        }
    }

    /// A `str`'s UTF-8, borrowed; a lone surrogate stops the walk (the long
    /// way says so).
    fn utf8(&mut self, object: *mut ffi::PyObject) -> Option<&'a str> {
        // SAFETY: `object` is a live str (see `shape_of`), borrowed for 'a.
        let text = unsafe { Borrowed::from_ptr(self.py, object).cast_unchecked::<pyo3::types::PyString>() };
        let Some(utf8) = borrowed_utf8(&text) else {
            self.stop();
            return None;
        };
        // SAFETY: CPython keeps the UTF-8 with the string, which the
        // document holds for 'a and nothing can free while it is walked.
        Some(unsafe { std::mem::transmute::<&str, &'a str>(utf8) })
    }

    /// A `str` value's text, counted at the most its JSON can take: six
    /// bytes a byte (`\u00XX`). Scanning each value for what needs escaping
    /// cost a fiftieth of a check; the bound serves the split rule as well,
    /// and a document it puts over the size limit takes the long way, which
    /// measures its JSON exactly.
    fn text(&mut self, object: *mut ffi::PyObject) -> Option<&'a str> {
        let utf8 = self.utf8(object)?;
        self.grow(6 * utf8.len() + 2);
        (!self.stopped).then_some(utf8)
    }

    /// A member's name and its length as JSON, if the name is cached (by
    /// the identity of the `str`: most are).
    #[inline]
    fn cached_name(&self, key: *mut ffi::PyObject) -> Option<(&'a str, usize)> {
        // SAFETY: the cache lives in the locked static, held by `keys` for
        // as long as the walker; only this pointer reaches it meanwhile.
        let cache = unsafe { self.cache.as_ref()? };
        let (utf8, json_len) = cache.name(key)?;
        // SAFETY: the cache holds the str, and the document holds it too
        // for 'a; CPython keeps its UTF-8 with it.
        Some((unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(utf8.data, utf8.len)) }, json_len))
    }

    /// A name not cached yet: cached now if it is a `str` (a name that is
    /// not stops the walk: the long way names it).
    #[cold]
    fn uncached_name(&mut self, key: *mut ffi::PyObject) -> Option<(&'a str, usize)> {
        // SAFETY: `key` is a live reference.
        if unsafe { ffi::PyUnicode_Check(key) } == 0 {
            self.stop();
            return None;
        }
        // SAFETY: as in `cached_name`; no reference to the cache is alive.
        if let Some(keys) = unsafe { self.cache.as_mut() } {
            self.scratch.clear();
            // SAFETY: `key` is a live str (checked above).
            let text = unsafe { Borrowed::from_ptr(self.py, key).cast_unchecked::<pyo3::types::PyString>() };
            if keys.write(&mut self.scratch, &text) {
                if let Some(cached) = self.cached_name(key) {
                    return Some(cached);
                }
            }
        }
        // Not cached (another conversion holds the cache, or it is long).
        let name = self.utf8(key)?;
        Some((name, escaped_len(name.as_bytes()) + 2))
    }

    fn number(&mut self, text: Cow<'a, str>) -> Token<'a> {
        self.grow(text.len());
        if self.stopped {
            return Token::Null;
        }
        Token::Number(text)
    }

    /// The pending `int` (or subclass), if it fits 64 bits.
    #[inline]
    fn pending_i64(&self) -> Option<i64> {
        debug_assert_eq!(self.shape, Shape::Int);
        let mut overflow = 0;
        // SAFETY: an int, read at C level: no code runs, and an int sets no
        // error (past 64 bits it says so in `overflow`).
        let n = unsafe { ffi::PyLong_AsLongLongAndOverflow(self.pending, &mut overflow) };
        (overflow == 0).then_some(n)
    }

    #[inline]
    fn pending_kind(&self) -> Kind {
        match self.shape {
            Shape::None => Kind::Null,
            Shape::True | Shape::False => Kind::Bool,
            Shape::Int | Shape::Float | Shape::Decimal => Kind::Number,
            Shape::Str => Kind::String,
            Shape::Dict => Kind::Object,
            Shape::List | Shape::Tuple => Kind::Array,
        }
    }

    fn enter(&mut self, frame: Frame) {
        if self.frames.len() >= MAX_DEPTH {
            self.stop();
            return;
        }
        self.frames.push(frame);
        self.grow(2);
    }
}

/// What a dict is taken for when no kind is given, by the names of its
/// members ([`RequestKind::guess_names`]): walking it whole only to guess
/// cost as much as checking it. `None` for anything but a dict, or a name
/// that is not a `str` (or holds a lone surrogate): the long way says so.
pub fn kind_by_member_names(document: &Bound<'_, PyAny>) -> Option<RequestKind> {
    let dict = document.cast::<PyDict>().ok()?;
    let keys: Vec<Bound<'_, PyString>> =
        dict.keys().iter().map(|key| key.cast_into::<PyString>().ok()).collect::<Option<_>>()?;
    let names: Vec<&str> = keys.iter().map(borrowed_utf8).collect::<Option<_>>()?;
    Some(RequestKind::guess_names(names))
}

/// Lent to the core for any shorter time than the document is borrowed.
impl<'s, 'a: 's> Source<'s> for Walker<'a> {
    fn kind(&self) -> Kind {
        self.pending_kind()
    }

    fn read(&mut self) -> Token<'s> {
        let object = self.pending;
        match self.shape {
            Shape::None => {
                self.grow(4);
                Token::Null
            }
            Shape::True => {
                self.grow(4);
                Token::Bool(true)
            }
            Shape::False => {
                self.grow(5);
                Token::Bool(false)
            }
            Shape::Int => {
                // Past 64 bits the long way writes its digits.
                let Some(n) = self.pending_i64() else {
                    self.stop();
                    return Token::Null;
                };
                // One digit, as codes and quantities mostly are, needs no copy.
                if let Ok(digit @ 0..=9) = usize::try_from(n) {
                    const DIGITS: &str = "0123456789";
                    return self.number(Cow::Borrowed(&DIGITS[digit..=digit]));
                }
                self.scratch.clear();
                write_i64(&mut self.scratch, n);
                // SAFETY: digits and a sign: ASCII.
                let text = unsafe { std::str::from_utf8_unchecked(&self.scratch) };
                let text = self.numbers.keep(text);
                self.number(Cow::Borrowed(text))
            }
            Shape::Float => {
                // SAFETY: a float (or subclass), read at C level.
                let value = unsafe { ffi::PyFloat_AsDouble(object) };
                match Number::from_f64(value) {
                    Some(number) => self.number(number.into_text()),
                    None => {
                        self.stop();
                        Token::Null
                    }
                }
            }
            Shape::Decimal => {
                self.scratch.clear();
                // SAFETY: exactly `decimal.Decimal`, whose layout was checked.
                let written = unsafe {
                    let number = Borrowed::from_ptr(self.py, object);
                    decimal_text::write_exact(&mut self.scratch, &number)
                };
                // NaN, the infinities and very long numbers take `str()`: the long way.
                if written {
                    debug_assert!(self.scratch.is_ascii());
                    // SAFETY: `write_exact` writes digits, a sign, a point and an exponent: ASCII.
                    let text = unsafe { std::str::from_utf8_unchecked(&self.scratch) };
                    let text = self.numbers.keep(text);
                    self.number(Cow::Borrowed(text))
                } else {
                    self.stop();
                    Token::Null
                }
            }
            Shape::Str => match self.text(object) {
                Some(text) => Token::String(Cow::Borrowed(text)),
                None => Token::Null,
            },
            Shape::Dict => {
                self.enter(Frame::Dict { dict: object, position: 0, first: true });
                if self.stopped {
                    return Token::Null;
                }
                Token::Object
            }
            Shape::List | Shape::Tuple => {
                let tuple = self.shape == Shape::Tuple;
                // SAFETY: a list or tuple (or subclass); sizes at C level.
                let len = unsafe {
                    if tuple {
                        ffi::PyTuple_Size(object)
                    } else {
                        ffi::PyList_Size(object)
                    }
                };
                self.enter(Frame::Sequence { items: object, tuple, index: 0, len });
                if self.stopped {
                    return Token::Null;
                }
                Token::Array
            }
        }
    }

    fn read_units(&mut self, scale: u32) -> Option<i64> {
        let (units, text_len) = match self.shape {
            // Past 64 bits `read` stops the walk.
            Shape::Int => decimal_text::int_units(self.pending_i64()?, scale)?,
            // SAFETY: exactly `decimal.Decimal`, whose layout was checked.
            Shape::Decimal => unsafe { decimal_text::units(self.pending, scale)? },
            // SAFETY: a float (or subclass), read at C level. Writing its
            // shortest digits out cost ten times reading them so.
            Shape::Float => decimal_text::float_units(unsafe { ffi::PyFloat_AsDouble(self.pending) }, scale)?,
            _ => return None,
        };
        // Over the size limit this stops the walk, whose reading is then
        // thrown away: the units need no care.
        self.grow(text_len);
        Some(units)
    }

    fn read_integer(&mut self) -> Option<i64> {
        if self.shape != Shape::Int {
            return None;
        }
        // Past 64 bits `read` stops the walk.
        let n = self.pending_i64()?;
        let (_, text_len) = decimal_text::int_units(n, 0)?;
        self.grow(text_len);
        Some(n)
    }

    fn array_len(&self) -> Option<usize> {
        match self.frames.last() {
            Some(Frame::Sequence { index: 0, len, .. }) => usize::try_from(*len).ok(),
            _ => None,
        }
    }

    fn next_element(&mut self) -> bool {
        let Some(Frame::Sequence { items, tuple, index, len }) = self.frames.last_mut() else {
            // Stopped (or asked out of turn, which stops it).
            self.stop();
            return false;
        };
        if *index >= *len {
            self.frames.pop();
            return false;
        }
        // SAFETY: `index` is within the sequence, which nothing changes
        // while it is walked; the item is borrowed from it.
        let item = unsafe {
            if *tuple {
                ffi::PyTuple_GetItem(*items, *index)
            } else {
                ffi::PyList_GetItem(*items, *index)
            }
        };
        let comma = usize::from(*index > 0);
        *index += 1;
        if item.is_null() {
            drop(PyErr::take(self.py));
            self.stop();
            return false;
        }
        self.extent.values += 1;
        self.grow(comma);
        self.set_pending(item);
        !self.stopped
    }

    fn next_member(&mut self) -> Option<&'s str> {
        let Some(Frame::Dict { dict, position, first }) = self.frames.last_mut() else {
            self.stop();
            return None;
        };
        let mut key = std::ptr::null_mut();
        let mut value = std::ptr::null_mut();
        // SAFETY: the GIL is held; PyDict_Next hands out borrowed
        // references, which stay valid as no code runs during the walk.
        if unsafe { ffi::PyDict_Next(*dict, position, &mut key, &mut value) } == 0 {
            self.frames.pop();
            return None;
        }
        let comma = usize::from(!*first);
        *first = false;
        let (name, json_len) = match self.cached_name(key) {
            Some(cached) => cached,
            None => self.uncached_name(key)?,
        };
        self.extent.values += 1;
        // The name, the comma before it and the colon after it.
        self.grow(json_len + comma + 1);
        self.set_pending(value);
        (!self.stopped).then_some(name)
    }

    fn extent(&self) -> Extent {
        self.extent
    }
}
