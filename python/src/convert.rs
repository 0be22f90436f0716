//! Python objects to JSON text for the core's reader, directly: no trip
//! through `json.dumps`, no tree, and no float on the way. A `Decimal` or
//! an `int` becomes the number it spells; a `float` becomes its shortest
//! round-trip decimal (`0.1` is `0.1`), and the core then judges whether
//! that fits in kopecks. Anything JSON cannot carry is refused with the
//! path of the value. An exception a user's object raises while it is read
//! (a `KeyboardInterrupt` in `Decimal.__str__` or `Mapping.items()`) goes on
//! as it is; a dict changed while it is read is Python's own RuntimeError.

use std::sync::atomic::{AtomicUsize, Ordering};

use ofdkit::context::{write_index, write_key};
use ofdkit::json::{self, Input, JsonError, Number, Value, DEFAULT_MAX_INPUT_BYTES};
use ofdkit::{Severity, Violation, ViolationCode};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::errors::Failure;

static MAX_INPUT_BYTES: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the largest document read, in bytes of JSON (0 restores the
/// default, 4 MiB): larger JSON text, or an object whose JSON would be
/// larger, raises InputTooLargeError before anything is checked.
#[pyfunction]
pub fn set_max_input_bytes(max_bytes: usize) {
    let max = if max_bytes == 0 { DEFAULT_MAX_INPUT_BYTES } else { max_bytes };
    MAX_INPUT_BYTES.store(max, Ordering::Relaxed);
}

/// The largest document read, in bytes of JSON.
#[pyfunction]
pub fn max_input_bytes() -> usize {
    MAX_INPUT_BYTES.load(Ordering::Relaxed)
}

/// Where a value sits in the object being converted. A name stays a
/// Python string until a path must be written: most never are.
enum Segment<'py> {
    Key(Bound<'py, PyString>),
    Index(usize),
}

/// A value that cannot be sent: where, and why in both languages.
pub struct Unconvertible {
    pub path: String,
    pub message: String,
    pub message_ru: String,
}

impl Unconvertible {
    /// The refusal as the violation a caller sees in `ValidationError`.
    pub fn into_violation(self) -> Violation {
        Violation {
            path: self.path,
            code: ViolationCode::BadType,
            rule: ofdkit::catalog::RuleRef(ofdkit::catalog::BAD_TYPE),
            severity: Severity::Error,
            message: self.message,
            message_ru: self.message_ru,
        }
    }
}

/// Why an object could not be written as JSON.
enum Stop {
    /// A value JSON cannot carry, at its path.
    Refused(Unconvertible),
    /// The JSON would be larger than the limit.
    TooLarge,
    /// The user's object raised: it goes on as it is.
    Raised(PyErr),
}

impl From<PyErr> for Stop {
    fn from(error: PyErr) -> Self {
        Stop::Raised(error)
    }
}

struct Writer<'py> {
    py: Python<'py>,
    path: Vec<Segment<'py>>,
    out: Vec<u8>,
    max: usize,
}

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

/// `object` (dict, list, str, int, Decimal, float, bool, None, and their
/// subclasses such as the code enums, or any Mapping) as JSON text of at
/// most `max` bytes.
pub fn to_json(object: &Bound<'_, PyAny>, max: usize) -> Result<Vec<u8>, Failure> {
    let mut writer = Writer { py: object.py(), path: Vec::new(), out: Vec::with_capacity(1024), max };
    match writer.value(object, 0) {
        Ok(()) if writer.out.len() <= max => Ok(writer.out),
        Ok(()) | Err(Stop::TooLarge) => Err(JsonError::too_large(writer.out.len(), max).into()),
        Err(Stop::Refused(refusal)) => Err(refusal.into()),
        Err(Stop::Raised(error)) => Err(error.into()),
    }
}

/// `object` as a JSON tree (small values: a money argument, a fault).
pub fn to_value(object: &Bound<'_, PyAny>) -> Result<Value<'static>, Failure> {
    let text = to_json(object, max_input_bytes())?;
    // The writer writes JSON, so it parses.
    Ok(json::parse_bytes(&text).map(Value::into_owned)?)
}

impl<'py> Writer<'py> {
    fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(k) => write_key(&mut out, &k.to_cow().unwrap_or_default()),
                Segment::Index(i) => write_index(&mut out, *i),
            }
        }
        out
    }

    fn refuse(&self, message: String, message_ru: String) -> Stop {
        Stop::Refused(Unconvertible { path: self.path(), message, message_ru })
    }

    fn type_name(object: &Bound<'_, PyAny>) -> String {
        object.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
    }

    fn value(&mut self, object: &Bound<'py, PyAny>, depth: usize) -> Result<(), Stop> {
        if self.out.len() > self.max {
            return Err(Stop::TooLarge);
        }
        if depth > json::MAX_DEPTH {
            return Err(self.refuse(
                format!("nested deeper than {} levels (a cycle?)", json::MAX_DEPTH),
                format!("вложенность глубже {} уровней (цикл?)", json::MAX_DEPTH),
            ));
        }
        if object.is_none() {
            self.out.extend_from_slice(b"null");
            return Ok(());
        }
        if let Ok(text) = object.cast::<PyString>() {
            return self.string(text);
        }
        if let Ok(flag) = object.cast::<PyBool>() {
            self.out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
            return Ok(());
        }
        if let Ok(integer) = object.cast::<PyInt>() {
            return self.integer(integer);
        }
        if let Ok(float) = object.cast::<PyFloat>() {
            return self.float(float.value());
        }
        if let Ok(dict) = object.cast::<PyDict>() {
            return self.dict(dict, depth);
        }
        if let Ok(list) = object.cast::<PyList>() {
            return self.array(list.iter(), depth);
        }
        if let Ok(tuple) = object.cast::<PyTuple>() {
            return self.array(tuple.iter(), depth);
        }
        if decimal_type(self.py).is_ok_and(|decimal| object.is_instance(decimal).unwrap_or(false)) {
            return self.decimal(object);
        }
        if let Ok(mapping) = object.cast::<PyMapping>() {
            // `items()` is the user's code: what it raises goes on as it is.
            let items = mapping.items()?;
            self.out.push(b'{');
            for (i, pair) in items.iter().enumerate() {
                let (key, value) = pair.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>()?;
                if i > 0 {
                    self.out.push(b',');
                }
                self.member(&key, &value, depth)?;
            }
            self.out.push(b'}');
            return Ok(());
        }
        let kind = Self::type_name(object);
        let hint = if object.cast::<PyBytes>().is_ok() || object.cast::<PyByteArray>().is_ok() {
            "; decode bytes to str first"
        } else if matches!(kind.as_str(), "datetime" | "date" | "time") {
            "; write dates as strings in the format the spec gives for the field"
        } else {
            ""
        };
        Err(self.refuse(
            format!("a value of type {kind} cannot be sent as JSON; expected dict, list, str, int, Decimal, float, bool or None{hint}"),
            format!("значение типа {kind} нельзя передать в JSON; ожидается dict, list, str, int, Decimal, float, bool или None"),
        ))
    }

    fn string(&mut self, text: &Bound<'py, PyString>) -> Result<(), Stop> {
        let written = with_utf8(text, |s| {
            // Writing a str into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.out, s);
        });
        written.ok_or_else(|| {
            self.refuse(
                "the string is not valid Unicode (it holds a lone surrogate)".to_owned(),
                "строка не является корректным Unicode (одиночный суррогат)".to_owned(),
            )
        })
    }

    /// A dict's items by `PyDict_Next`, which, unlike an iterator that
    /// panics, lets a dict changed while it is read (by a `__str__` of one
    /// of its values) end in Python's own RuntimeError.
    fn dict(&mut self, dict: &Bound<'py, PyDict>, depth: usize) -> Result<(), Stop> {
        let len = dict.len();
        let mut position: pyo3::ffi::Py_ssize_t = 0;
        let mut key_ptr = std::ptr::null_mut();
        let mut value_ptr = std::ptr::null_mut();
        self.out.push(b'{');
        let mut first = true;
        // SAFETY: the GIL is held (`dict` is bound to it); PyDict_Next reads
        // borrowed references, which become owned ones at once, before any
        // code that could change the dict runs.
        while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut position, &mut key_ptr, &mut value_ptr) } != 0 {
            let key = unsafe { Bound::from_borrowed_ptr(self.py, key_ptr) };
            let value = unsafe { Bound::from_borrowed_ptr(self.py, value_ptr) };
            if !first {
                self.out.push(b',');
            }
            first = false;
            self.member(&key, &value, depth)?;
            if dict.len() != len {
                return Err(PyRuntimeError::new_err("dictionary changed size during iteration").into());
            }
        }
        self.out.push(b'}');
        Ok(())
    }

    fn member(&mut self, key: &Bound<'py, PyAny>, value: &Bound<'py, PyAny>, depth: usize) -> Result<(), Stop> {
        let Ok(key) = key.cast::<PyString>() else {
            let kind = Self::type_name(key);
            return Err(self.refuse(
                format!("a member name must be a str, not {kind}"),
                format!("имя поля должно быть строкой (str), а не {kind}"),
            ));
        };
        let out = &mut self.out;
        if with_utf8(key, |name| {
            let _ = serde_json::to_writer(&mut *out, name);
        })
        .is_none()
        {
            return Err(self.refuse(
                "a member name is not valid Unicode".to_owned(),
                "имя поля не является корректным Unicode".to_owned(),
            ));
        }
        self.out.push(b':');
        self.path.push(Segment::Key(key.clone()));
        self.value(value, depth + 1)?;
        self.path.pop();
        Ok(())
    }

    fn array(&mut self, items: impl Iterator<Item = Bound<'py, PyAny>>, depth: usize) -> Result<(), Stop> {
        self.out.push(b'[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.path.push(Segment::Index(i));
            self.value(&item, depth + 1)?;
            self.path.pop();
        }
        self.out.push(b']');
        Ok(())
    }

    fn number(&mut self, text: &str, shown: impl FnOnce() -> String) -> Result<(), Stop> {
        if Number::parse(text).is_none() {
            let shown = shown();
            return Err(self.refuse(
                format!("{shown} is not a finite number JSON can carry"),
                format!("{shown} — не конечное число, которое можно передать в JSON"),
            ));
        }
        self.out.extend_from_slice(text.as_bytes());
        Ok(())
    }

    fn integer(&mut self, integer: &Bound<'py, PyInt>) -> Result<(), Stop> {
        if let Ok(small) = integer.extract::<i64>() {
            let mut buffer = itoa_buffer();
            let text = format_i64(small, &mut buffer);
            self.out.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        // An int subclass (an IntEnum) prints its name on Python < 3.11:
        // take the plain int's digits. Python refuses ints over 4300 digits.
        let digits = self.py.get_type::<PyInt>().call1((integer,)).and_then(|plain| plain.str()).map_err(|_| {
            self.refuse(
                "the integer is too large to be written in decimal".to_owned(),
                "целое число слишком велико для записи в десятичном виде".to_owned(),
            )
        })?;
        self.number(&digits.to_cow()?, || "the integer".to_owned())
    }

    /// The core reads a float as its shortest round-trip decimal, as
    /// Python's repr prints it: 0.1 is 0.1, not 0.1000000000000000055…
    fn float(&mut self, value: f64) -> Result<(), Stop> {
        match Number::from_f64(value) {
            Some(number) => {
                self.out.extend_from_slice(number.as_str().as_bytes());
                Ok(())
            }
            None => Err(self.refuse(
                format!("the float {value} is not a number JSON can carry"),
                format!("число {value} нельзя передать в JSON"),
            )),
        }
    }

    fn decimal(&mut self, object: &Bound<'py, PyAny>) -> Result<(), Stop> {
        // `str()` runs the user's code: what it raises goes on as it is.
        let text = object.str()?;
        let text = text.to_cow()?;
        self.number(&text, || format!("Decimal({text:?})"))
    }
}

/// Runs `f` on the UTF-8 of `text`; `None` for a string with a lone
/// surrogate. The limited API of Python 3.9 (the wheel's floor) cannot
/// borrow a str's UTF-8: one encoded copy, read in place. (From 3.10 on,
/// PyUnicode_AsUTF8AndSize could borrow it.)
fn with_utf8<R>(text: &Bound<'_, PyString>, f: impl FnOnce(&str) -> R) -> Option<R> {
    let bytes = text.encode_utf8().ok()?;
    std::str::from_utf8(bytes.as_bytes()).ok().map(f)
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

/// `n` in decimal, written into `buffer`.
fn format_i64(n: i64, buffer: &mut [u8; 20]) -> &str {
    let mut i = buffer.len();
    let mut rest = n.unsigned_abs();
    loop {
        i -= 1;
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
    std::str::from_utf8(&buffer[i..]).unwrap_or("0")
}

/// A request given as a dict (or any JSON-able object), or as JSON text in
/// a `str`, `bytes` or `bytearray`: always JSON text for the core's reader.
pub struct Document {
    pub text: Vec<u8>,
}

impl Document {
    /// Reads `object`; JSON text over the limit is refused before it is
    /// copied, an object once its JSON passes the limit.
    pub fn read(object: &Bound<'_, PyAny>) -> Result<Document, Failure> {
        let max = max_input_bytes();
        let too_large = |len: usize| -> Failure { JsonError::too_large(len, max).into() };
        if let Ok(text) = object.cast::<PyString>() {
            let text = text.to_cow().map_err(|_| {
                Failure::from(Unconvertible {
                    path: String::new(),
                    message: "the JSON text is not valid Unicode".to_owned(),
                    message_ru: "текст JSON не является корректным Unicode".to_owned(),
                })
            })?;
            if text.len() > max {
                return Err(too_large(text.len()));
            }
            return Ok(Document { text: text.into_owned().into_bytes() });
        }
        if let Ok(bytes) = object.cast::<PyBytes>() {
            let bytes = bytes.as_bytes();
            if bytes.len() > max {
                return Err(too_large(bytes.len()));
            }
            return Ok(Document { text: bytes.to_vec() });
        }
        if let Ok(bytes) = object.cast::<PyByteArray>() {
            if bytes.len() > max {
                return Err(too_large(bytes.len()));
            }
            return Ok(Document { text: bytes.to_vec() });
        }
        Ok(Document { text: to_json(object, max)? })
    }

    /// The text for the core, with the limit.
    pub fn input(&self) -> Input<'_> {
        Input::new(&self.text).max_bytes(max_input_bytes())
    }
}

fn type_name(object: &Bound<'_, PyAny>) -> String {
    object.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
}

/// An argument that must be text (a `str`, or a `str` enum member).
pub fn text_arg(object: &Bound<'_, PyAny>, name: &str) -> Result<String, crate::errors::Failure> {
    let fail = || crate::errors::Failure::argument(format!("{name} must be a str, not {}", type_name(object)));
    let text = object.cast::<PyString>().map_err(|_| fail())?;
    text.to_cow().map(|s| s.into_owned()).map_err(|_| fail())
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
