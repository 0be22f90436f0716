//! What the functions of the module take: a request as a dict or as JSON
//! text ([`Document`]), and the typed arguments beside it, each refused
//! with its name and the type given.

use ofdkit::json::{Input, JsonError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyString};

use super::{max_input_bytes, short_chars, to_json, Unconvertible, SHORT_STRING};
use crate::errors::Failure;

/// A request given as a dict (or any JSON-able object), or as JSON text in
/// a `str`, `bytes` or `bytearray`: always JSON text for the core's reader.
/// Text in a `str` or `bytes` is read where Python holds it (both are
/// immutable), not copied.
pub struct Document<'py> {
    text: DocumentText<'py>,
}

enum DocumentText<'py> {
    Python(Bound<'py, PyBytes>),
    #[cfg(not(windows))]
    Str(StrUtf8<'py>),
    Owned(Vec<u8>),
    /// What `to_json` wrote: UTF-8, as it writes only `str` text and ASCII.
    Written(Vec<u8>),
}

/// The UTF-8 of a `str`, borrowed from the object: CPython makes it once
/// and keeps it with the string (as `msgspec` and `orjson` read text), so
/// text validated again is not encoded again, and ASCII text is never
/// copied. `PyUnicode_AsUTF8AndSize` is in every CPython 3 but joined the
/// limited API only in 3.10; the wheel's floor is 3.9, whose Windows
/// `python3.dll` lacks it, so Windows encodes a copy instead.
#[cfg(not(windows))]
struct StrUtf8<'py> {
    /// Keeps the string, and so its UTF-8, alive.
    _text: Bound<'py, PyString>,
    data: *const u8,
    len: usize,
}

/// The UTF-8 of `text`, kept by CPython with the string (see [`StrUtf8`]);
/// `None` for a string with a lone surrogate.
#[cfg(not(windows))]
pub(super) fn borrowed_utf8<'a>(text: &'a Bound<'_, PyString>) -> Option<&'a str> {
    extern "C" {
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut pyo3::ffi::PyObject,
            size: *mut pyo3::ffi::Py_ssize_t,
        ) -> *const std::os::raw::c_char;
    }
    let mut len: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: the GIL is held (`text` is bound to it); the function returns
    // `len` bytes of UTF-8 that live as long as the string (borrowed here
    // for as long as `text`), or NULL with an exception set.
    let data = unsafe { PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut len) };
    if data.is_null() {
        let _ = PyErr::take(text.py());
        return None;
    }
    let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), usize::try_from(len).ok()?) };
    // CPython's UTF-8 encoder wrote it.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}

#[cfg(not(windows))]
impl<'py> StrUtf8<'py> {
    /// `None` for a string with a lone surrogate.
    fn of(text: &Bound<'py, PyString>) -> Option<Self> {
        let utf8 = borrowed_utf8(text)?;
        Some(StrUtf8 { _text: text.clone(), data: utf8.as_ptr(), len: utf8.len() })
    }

    fn text(&self) -> &str {
        // SAFETY: as for `bytes`; CPython's encoder wrote UTF-8.
        unsafe { std::str::from_utf8_unchecked(self.bytes()) }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `data` holds `len` bytes that live as long as the string,
        // which `_text` keeps; a str never changes.
        unsafe { std::slice::from_raw_parts(self.data, self.len) }
    }
}

impl<'py> Document<'py> {
    /// Reads `object`; JSON text over the limit is refused before it is
    /// copied, an object once its JSON passes the limit.
    pub fn read(object: &Bound<'py, PyAny>) -> Result<Document<'py>, Failure> {
        let max = max_input_bytes();
        let too_large = |len: usize| -> Failure { JsonError::too_large(len, max).into() };
        if let Ok(text) = object.cast::<PyString>() {
            // UTF-8 encoding fails only on a lone surrogate.
            let not_unicode = || {
                Failure::from(Unconvertible {
                    path: String::new(),
                    message: "the JSON text is not valid Unicode".to_owned(),
                    message_ru: "текст JSON не является корректным Unicode".to_owned(),
                })
            };
            #[cfg(not(windows))]
            {
                let utf8 = StrUtf8::of(text).ok_or_else(not_unicode)?;
                if utf8.bytes().len() > max {
                    return Err(too_large(utf8.bytes().len()));
                }
                return Ok(Document { text: DocumentText::Str(utf8) });
            }
            #[cfg(windows)]
            {
                let utf8 = text.encode_utf8().map_err(|_| not_unicode())?;
                if utf8.as_bytes().len() > max {
                    return Err(too_large(utf8.as_bytes().len()));
                }
                return Ok(Document { text: DocumentText::Python(utf8) });
            }
        }
        if let Ok(bytes) = object.cast::<PyBytes>() {
            if bytes.as_bytes().len() > max {
                return Err(too_large(bytes.as_bytes().len()));
            }
            return Ok(Document { text: DocumentText::Python(bytes.clone()) });
        }
        if let Ok(bytes) = object.cast::<PyByteArray>() {
            if bytes.len() > max {
                return Err(too_large(bytes.len()));
            }
            // A bytearray can change while it is read: copy it.
            return Ok(Document { text: DocumentText::Owned(bytes.to_vec()) });
        }
        Ok(Document { text: DocumentText::Written(to_json(object, max)?) })
    }

    pub fn bytes(&self) -> &[u8] {
        match &self.text {
            DocumentText::Python(bytes) => bytes.as_bytes(),
            #[cfg(not(windows))]
            DocumentText::Str(text) => text.bytes(),
            DocumentText::Owned(text) | DocumentText::Written(text) => text,
        }
    }

    /// The text as bytes of its own, to keep once the GIL is released.
    pub fn into_bytes(self) -> Vec<u8> {
        match self.text {
            DocumentText::Python(bytes) => bytes.as_bytes().to_vec(),
            #[cfg(not(windows))]
            DocumentText::Str(text) => text.bytes().to_vec(),
            DocumentText::Owned(text) | DocumentText::Written(text) => text,
        }
    }

    /// The text for the core, with the limit.
    /// The text for the core, with the limit; text known to be UTF-8 is
    /// handed over as such, so the core does not check it again.
    pub fn input(&self) -> Input<'_> {
        let input = match &self.text {
            #[cfg(not(windows))]
            DocumentText::Str(text) => Input::text_of(text.text()),
            DocumentText::Written(json) => {
                debug_assert!(std::str::from_utf8(json).is_ok());
                // SAFETY: `to_json` writes only the UTF-8 of `&str`s and ASCII.
                Input::text_of(unsafe { std::str::from_utf8_unchecked(json) })
            }
            _ => Input::new(self.bytes()),
        };
        input.max_bytes(max_input_bytes())
    }
}

fn type_name(object: &Bound<'_, PyAny>) -> String {
    object.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
}

/// An argument that must be text (a `str`, or a `str` enum member).
pub fn text_arg(object: &Bound<'_, PyAny>, name: &str) -> Result<String, crate::errors::Failure> {
    let fail = || crate::errors::Failure::argument(format!("{name} must be a str, not {}", type_name(object)));
    let text = object.cast::<PyString>().map_err(|_| fail())?;
    let mut buffer = [0u32; SHORT_STRING];
    if let Some(chars) = short_chars(text, &mut buffer) {
        // A lone surrogate is no char.
        return chars.iter().map(|&c| char::from_u32(c)).collect::<Option<String>>().ok_or_else(fail);
    }
    text.to_cow().map(|s| s.into_owned()).map_err(|_| fail())
}

/// An argument that must be text, parsed by `parse` where Python keeps
/// its UTF-8 (no copy: the names every call passes, `"sell"`, `"draft"`).
pub fn parse_text_arg<T>(
    object: &Bound<'_, PyAny>,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, crate::errors::Failure>,
) -> Result<T, crate::errors::Failure> {
    #[cfg(not(windows))]
    if let Ok(text) = object.cast::<PyString>() {
        if let Some(utf8) = borrowed_utf8(text) {
            return parse(utf8);
        }
    }
    parse(&text_arg(object, name)?)
}

/// An optional text argument (`None` is absent).
pub fn optional_text_arg(object: &Bound<'_, PyAny>, name: &str) -> Result<Option<String>, crate::errors::Failure> {
    if object.is_none() {
        return Ok(None);
    }
    text_arg(object, name).map(Some)
}

/// An argument that must be a real number (an `int` or a `float`, not a `bool`).
pub fn number_arg(object: &Bound<'_, PyAny>, name: &str) -> Result<f64, crate::errors::Failure> {
    let fail = || crate::errors::Failure::argument(format!("{name} must be a number, not {}", type_name(object)));
    if object.cast::<PyBool>().is_ok() {
        return Err(fail());
    }
    if object.cast::<PyInt>().is_err() && object.cast::<PyFloat>().is_err() {
        return Err(fail());
    }
    object.extract::<f64>().map_err(|_| fail())
}

/// An argument that must be a whole number within `T`'s range.
pub fn integer_arg<'py, T: pyo3::conversion::FromPyObjectOwned<'py>>(
    object: &Bound<'py, PyAny>,
    name: &str,
) -> Result<T, crate::errors::Failure> {
    if object.cast::<PyBool>().is_err() && object.cast::<PyInt>().is_ok() {
        if let Ok(value) = object.extract::<T>() {
            return Ok(value);
        }
        return Err(crate::errors::Failure::argument(format!("{name} {object} is out of range")));
    }
    Err(crate::errors::Failure::argument(format!("{name} must be an int, not {}", type_name(object))))
}
