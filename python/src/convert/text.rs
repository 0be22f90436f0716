//! Pieces of JSON text written from Python objects: strings (escaped, read
//! where Python keeps them), member names (cached by identity) and integers.

use pyo3::prelude::*;
use pyo3::types::PyString;

#[cfg(not(windows))]
use super::borrowed_utf8;

/// Strings up to this many characters are read into a buffer on the stack
/// rather than through a UTF-8 copy Python allocates (most names, codes
/// and amounts are short).
pub(super) const SHORT_STRING: usize = 64;
/// The same for Python's C API.
pub(super) const SHORT_STRING_SSIZE: pyo3::ffi::Py_ssize_t = 64;

/// The characters of `text` if it is short, copied into `buffer`. The
/// limited API of Python 3.9 (the wheel's floor) cannot borrow a str's
/// UTF-8; it can copy its code points into a buffer of ours.
pub(super) fn short_chars<'b>(text: &Bound<'_, PyString>, buffer: &'b mut [u32; SHORT_STRING]) -> Option<&'b [u32]> {
    // SAFETY: the GIL is held (`text` is bound to it); PyUnicode_AsUCS4
    // writes at most `SHORT_STRING` code points into `buffer`.
    let len = unsafe { pyo3::ffi::PyUnicode_GetLength(text.as_ptr()) };
    let len = usize::try_from(len).ok().filter(|&len| len <= SHORT_STRING)?;
    let copied = unsafe { pyo3::ffi::PyUnicode_AsUCS4(text.as_ptr(), buffer.as_mut_ptr(), SHORT_STRING_SSIZE, 0) };
    if copied.is_null() {
        // Cannot fail for a str of known length; take the long way if it does.
        let _ = PyErr::take(text.py());
        return None;
    }
    Some(&buffer[..len])
}

/// Writes `text` as a JSON string; `false` (with nothing written) for a
/// string with a lone surrogate.
pub(super) fn write_json_string(out: &mut Vec<u8>, text: &Bound<'_, PyString>) -> bool {
    #[cfg(not(windows))]
    if let Some(utf8) = borrowed_utf8(text) {
        write_escaped(out, utf8);
        return true;
    }
    let mut buffer = [0u32; SHORT_STRING];
    let Some(chars) = short_chars(text, &mut buffer) else {
        return with_utf8(text, |s| write_escaped(out, s)).is_some();
    };
    let start = out.len();
    out.push(b'"');
    for &code in chars {
        // A lone surrogate is no char.
        let Some(c) = char::from_u32(code) else {
            out.truncate(start);
            return false;
        };
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{0}'..='\u{1f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(code >> 4) as usize]);
                out.push(HEX[(code & 0xf) as usize]);
            }
            c if c.is_ascii() => out.push(c as u8),
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out.push(b'"');
    true
}

/// `text` as a JSON string: quotes, backslashes and control characters
/// escaped, the rest copied in runs.
pub(super) fn write_escaped(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut run = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]),
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// Whether any byte of `bytes` is a quote, a backslash or a control
/// character, eight bytes at a time (most text has none). The last
/// bytes are read as one word too: names are mostly 4 to 20 bytes, and a
/// byte-by-byte tail was most of the work.
pub(super) fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A high bit set where a byte of `x` is below `n` (`n` at most 0x80).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let special =
        |x: u64| below(x, 0x20) | below(x ^ (ONES * u64::from(b'"')), 1) | below(x ^ (ONES * u64::from(b'\\')), 1) != 0;
    let word = |chunk: &[u8]| {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        u64::from_le_bytes(word)
    };
    let half = |chunk: &[u8]| {
        let mut half = [0; 4];
        half.copy_from_slice(chunk);
        u64::from(u32::from_le_bytes(half))
    };
    let len = bytes.len();
    if len >= 8 {
        let mut chunks = bytes.chunks_exact(8);
        if chunks.any(|chunk| special(word(chunk))) {
            return true;
        }
        // The last eight bytes, overlapping what was read.
        return len % 8 != 0 && special(word(&bytes[len - 8..]));
    }
    if len >= 4 {
        // The first four and the last four, overlapping.
        return special(half(&bytes[..4]) | (half(&bytes[len - 4..]) << 32));
    }
    bytes.iter().any(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
}

/// Bytes of `text` as the contents of a JSON string as [`write_escaped`]
/// writes it (never fewer than `serde_json` writes).
#[cfg(not(windows))]
pub(super) fn escaped_len(text: &[u8]) -> usize {
    if !needs_escape(text) {
        return text.len();
    }
    text.iter()
        .map(|&b| match b {
            b'"' | b'\\' => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

/// Member names as JSON, kept by the identity of the `str` object: a
/// document's names are few and the same objects over and over (Python
/// interns literals, and `json.loads` reuses each name it reads), so most
/// are a pointer comparison and a copy. Holding each name keeps its address
/// from being reused by another string.
pub(super) struct KeyCache {
    /// A fixed array: a slot's index is in range by construction, so a
    /// lookup checks no bounds.
    slots: Box<[Option<CachedKey>; KEY_SLOTS]>,
}

/// A name and its JSON, kept inline so that a hit is one fixed-size copy
/// (a call to `memcpy` per name was a twentieth of a conversion).
pub(super) struct CachedKey {
    name: Py<PyString>,
    len: usize,
    json: [u8; KEY_JSON],
    /// The name's UTF-8 as CPython keeps it with the string (which `name`
    /// holds), for the walker (`super::walk`); null where it is not lent.
    #[cfg(not(windows))]
    utf8: NameUtf8,
}

/// Where a name's UTF-8 lives and how long it is.
#[cfg(not(windows))]
#[derive(Clone, Copy)]
pub(super) struct NameUtf8 {
    pub data: *const u8,
    pub len: usize,
}

// SAFETY: the pointer is into a str that the cache holds; it is read only
// with the GIL held, as the cache itself is used.
#[cfg(not(windows))]
unsafe impl Send for NameUtf8 {}

/// The longest name kept, as JSON (with its quotes, escaped).
pub(super) const KEY_JSON: usize = SHORT_STRING + 8;

pub(super) const KEY_SLOTS: usize = 512;
const _: () = assert!(KEY_SLOTS.is_power_of_two());

pub(super) static KEY_CACHE: std::sync::Mutex<Option<KeyCache>> = std::sync::Mutex::new(None);

impl KeyCache {
    /// The cache for one conversion, or `None` when it is in use.
    pub(super) fn take() -> Option<std::sync::MutexGuard<'static, Option<KeyCache>>> {
        let mut guard = match KEY_CACHE.try_lock() {
            Ok(guard) => guard,
            // Poisoned only by a panic while writing a slot: start afresh.
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                let mut guard = poisoned.into_inner();
                *guard = None;
                guard
            }
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        guard.get_or_insert_with(|| {
            let slots: Box<[Option<CachedKey>]> = (0..KEY_SLOTS).map(|_| None).collect();
            let Ok(slots) = slots.try_into() else { unreachable!("KEY_SLOTS slots were made") };
            KeyCache { slots }
        });
        Some(guard)
    }

    /// The two slots the name at `key` may sit in: one slot each thrashed
    /// whenever two of a document's names met in it (a few per document).
    fn slots_of(key: *mut pyo3::ffi::PyObject) -> [usize; 2] {
        // Objects are 16-byte aligned: the low bits say nothing. A
        // multiplicative hash spreads neighbours in memory.
        let hash = ((key as usize as u64) >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let first = (hash >> (64 - KEY_SLOTS.trailing_zeros())) as usize;
        [first, first ^ 1]
    }

    /// The cached name at `key`; pointer comparisons, nothing read from the object.
    #[inline]
    fn find(&self, key: *mut pyo3::ffi::PyObject) -> Option<&CachedKey> {
        let [first, second] = Self::slots_of(key);
        let hit = |slot: usize| self.slots[slot].as_ref().filter(|cached| cached.name.as_ptr() == key);
        hit(first).or_else(|| hit(second))
    }

    /// Writes the JSON of the name at `key` if it is cached.
    pub(super) fn write_cached(&self, out: &mut Vec<u8>, key: *mut pyo3::ffi::PyObject) -> bool {
        let Some(cached) = self.find(key) else {
            return false;
        };
        out.reserve(KEY_JSON);
        let end = out.len();
        // SAFETY: `reserve` made room for `KEY_JSON` bytes after `end`; the
        // first `len` of them are set from the cache.
        unsafe {
            std::ptr::copy_nonoverlapping(cached.json.as_ptr(), out.as_mut_ptr().add(end), KEY_JSON);
            out.set_len(end + cached.len);
        }
        true
    }

    pub(super) fn write(&mut self, out: &mut Vec<u8>, key: &Bound<'_, PyString>) -> bool {
        if self.write_cached(out, key.as_ptr()) {
            return true;
        }
        let start = out.len();
        if !write_json_string(out, key) {
            return false;
        }
        let written = &out[start..];
        if written.len() <= KEY_JSON {
            let mut json = [0; KEY_JSON];
            json[..written.len()].copy_from_slice(written);
            #[cfg(not(windows))]
            let utf8 = super::document::borrowed_utf8(key)
                .map_or(NameUtf8 { data: std::ptr::null(), len: 0 }, |s| NameUtf8 { data: s.as_ptr(), len: s.len() });
            // The newer name takes the first slot; the one there moves to
            // the second, whose name is let go.
            let [first, second] = Self::slots_of(key.as_ptr());
            if self.slots[first].is_some() {
                self.slots.swap(first, second);
            }
            self.slots[first] = Some(CachedKey {
                name: key.clone().unbind(),
                len: written.len(),
                json,
                #[cfg(not(windows))]
                utf8,
            });
        }
        true
    }

    /// The UTF-8 of the name at `key` and its length as JSON (quotes
    /// included), if it is cached; a pointer comparison.
    #[cfg(not(windows))]
    #[inline]
    pub(super) fn name(&self, key: *mut pyo3::ffi::PyObject) -> Option<(NameUtf8, usize)> {
        let cached = self.find(key)?;
        (!cached.utf8.data.is_null()).then_some((cached.utf8, cached.len))
    }
}

/// Runs `f` on the UTF-8 of `text`; `None` for a string with a lone
/// surrogate. The limited API of Python 3.9 (the wheel's floor) cannot
/// borrow a str's UTF-8: one encoded copy, read in place. (From 3.10 on,
/// PyUnicode_AsUTF8AndSize could borrow it.)
pub(super) fn with_utf8<R>(text: &Bound<'_, PyString>, f: impl FnOnce(&str) -> R) -> Option<R> {
    let bytes = text.encode_utf8().ok()?;
    std::str::from_utf8(bytes.as_bytes()).ok().map(f)
}

/// `n` in decimal.
pub(super) fn write_i64(out: &mut Vec<u8>, n: i64) {
    if let Ok(digit @ 0..=9) = u8::try_from(n) {
        // Quantities, codes and flags are mostly one digit.
        out.push(b'0' + digit);
        return;
    }
    let mut buffer = [0u8; 20];
    let mut i = buffer.len();
    let mut rest = n.unsigned_abs();
    loop {
        i -= 1;
        // The remainder is a digit.
        buffer[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        // i64::MIN has 19 digits, so the sign fits in front.
        i -= 1;
        buffer[i] = b'-';
    }
    out.extend_from_slice(&buffer[i..]);
}
