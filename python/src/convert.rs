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
use ofdkit::json::{self, JsonError, Number, Value, DEFAULT_MAX_INPUT_BYTES};
use ofdkit::{Severity, Violation, ViolationCode};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::errors::Failure;

mod decimal_text;
mod document;
mod text;
#[cfg(not(windows))]
mod walk;

#[cfg(not(windows))]
use document::borrowed_utf8;
pub use document::{integer_arg, number_arg, optional_text_arg, parse_text_arg, text_arg, Document};
use text::{short_chars, write_i64, write_json_string, KeyCache, SHORT_STRING};
#[cfg(not(windows))]
pub use walk::{kind_by_member_names, Walker};

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

/// Why a value cannot be sent, in both languages; its path is gathered
/// as the refusal returns through the dicts and lists that hold it, so a
/// document that converts keeps no path at all.
struct Refusal {
    message: String,
    message_ru: String,
}

/// Why an object could not be written as JSON.
enum Stop {
    /// A value JSON cannot carry; its path is in `Writer::path`.
    Refused(Refusal),
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
    /// The path of a refused value, innermost segment first: filled only
    /// as a refusal returns.
    path: Vec<Segment<'py>>,
    out: Vec<u8>,
    max: usize,
    /// The shared cache of names, unless another conversion holds it
    /// (another thread, or a user's `__str__` converting inside ours).
    keys: Option<std::sync::MutexGuard<'static, Option<KeyCache>>>,
    /// `decimal.Decimal` itself, for the exact-type fast path.
    decimal: Option<*mut pyo3::ffi::PyTypeObject>,
    /// Whether an exact Decimal's digits can be read without `str()`.
    decimal_layout: bool,
    /// How many times code that could change a dict being read (a user's
    /// `__str__`, `items()`) has run: a dict's size is checked again only
    /// after that.
    foreign_calls: u64,
}

/// The length of the last JSON written, to size the next buffer: the
/// documents a program converts are mostly alike, and growing a buffer
/// step by step copies it again each time. Capped below glibc's mmap
/// threshold, so that one huge document does not make every later buffer
/// a fresh mapping.
static LAST_LEN: AtomicUsize = AtomicUsize::new(0);
const MAX_INITIAL_BUFFER: usize = 64 * 1024;

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

/// `object` (dict, list, str, int, Decimal, float, bool, None, and their
/// subclasses such as the code enums, or any Mapping) as JSON text of at
/// most `max` bytes.
pub fn to_json(object: &Bound<'_, PyAny>, max: usize) -> Result<Vec<u8>, Failure> {
    let py = object.py();
    let decimal = decimal_type(py).ok();
    let capacity = LAST_LEN.load(Ordering::Relaxed).clamp(256, MAX_INITIAL_BUFFER) + 256;
    let mut writer = Writer {
        py,
        path: Vec::new(),
        out: Vec::with_capacity(capacity),
        max,
        keys: KeyCache::take(),
        decimal: decimal.map(|decimal| decimal.as_type_ptr()),
        decimal_layout: decimal.is_some_and(|decimal| decimal_text::layout_holds(py, decimal)),
        foreign_calls: 0,
    };
    match writer.value(object, 0) {
        Ok(()) if writer.out.len() <= max => {
            LAST_LEN.store(writer.out.len(), Ordering::Relaxed);
            Ok(writer.out)
        }
        Ok(()) | Err(Stop::TooLarge) => Err(JsonError::too_large(writer.out.len(), max).into()),
        Err(Stop::Refused(Refusal { message, message_ru })) => {
            Err(Unconvertible { path: writer.path(), message, message_ru }.into())
        }
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
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) => write_key(&mut out, &k.to_cow().unwrap_or_default()),
                Segment::Index(i) => write_index(&mut out, *i),
            }
        }
        out
    }

    fn refuse(&self, message: String, message_ru: String) -> Stop {
        Stop::Refused(Refusal { message, message_ru })
    }

    /// Adds where a refused value sat as the refusal passes `segment`.
    fn at(&mut self, segment: impl FnOnce() -> Segment<'py>, result: Result<(), Stop>) -> Result<(), Stop> {
        if let Err(Stop::Refused(_)) = &result {
            self.path.push(segment());
        }
        result
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
        // The exact built-in types first, by one pointer comparison each:
        // almost every value of a document is one of them.
        let kind = object.get_type_ptr();
        // SAFETY: each cast is to the object's exact type.
        unsafe {
            if kind == std::ptr::addr_of_mut!(pyo3::ffi::PyUnicode_Type) {
                return self.string(object.cast_unchecked::<PyString>());
            }
            if kind == std::ptr::addr_of_mut!(pyo3::ffi::PyDict_Type) {
                return self.dict(object.cast_unchecked::<PyDict>(), depth);
            }
            if kind == std::ptr::addr_of_mut!(pyo3::ffi::PyLong_Type) {
                return self.integer(object.cast_unchecked::<PyInt>());
            }
            if kind == std::ptr::addr_of_mut!(pyo3::ffi::PyList_Type) {
                return self.array(object.cast_unchecked::<PyList>().iter(), depth);
            }
            if kind == std::ptr::addr_of_mut!(pyo3::ffi::PyFloat_Type) {
                return self.float(object.cast_unchecked::<PyFloat>().value());
            }
        }
        if self.decimal.is_some_and(|decimal| decimal == kind) {
            return self.exact_decimal(object);
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
        // From here on a user's class may run code (`__instancecheck__`,
        // `__class__`, `items()`, `__str__`).
        self.foreign_calls += 1;
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
        if write_json_string(&mut self.out, text) {
            return Ok(());
        }
        Err(self.refuse(
            "the string is not valid Unicode (it holds a lone surrogate)".to_owned(),
            "строка не является корректным Unicode (одиночный суррогат)".to_owned(),
        ))
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
        // borrowed references, which are used as they are only by
        // `plain_member` (no Python code runs in it), else become owned
        // ones at once, before any code that could change the dict runs.
        while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut position, &mut key_ptr, &mut value_ptr) } != 0 {
            if !first {
                self.out.push(b',');
            }
            first = false;
            if unsafe { self.plain_member(key_ptr, value_ptr, depth) } {
                continue;
            }
            let key = unsafe { Bound::from_borrowed_ptr(self.py, key_ptr) };
            let value = unsafe { Bound::from_borrowed_ptr(self.py, value_ptr) };
            let foreign_calls = self.foreign_calls;
            self.member(&key, &value, depth)?;
            if self.foreign_calls != foreign_calls && dict.len() != len {
                return Err(PyRuntimeError::new_err("dictionary changed size during iteration").into());
            }
        }
        self.out.push(b'}');
        Ok(())
    }

    /// Writes a member whose name is a cached `str` and whose value is an
    /// exact int that fits in 64 bits, a finite float, None, a bool or a
    /// Decimal read in place, and says `true`; otherwise writes nothing and
    /// says `false`. Nothing here calls Python code, raises or makes a
    /// Python object (so no collection, no finaliser), so the dict's own
    /// references stay valid without the incref and decref of each
    /// (four calls into Python per member, a tenth of a conversion).
    ///
    /// # Safety
    /// The GIL is held and both pointers are live references.
    unsafe fn plain_member(
        &mut self,
        key: *mut pyo3::ffi::PyObject,
        value: *mut pyo3::ffi::PyObject,
        depth: usize,
    ) -> bool {
        use pyo3::ffi;
        if depth + 1 > json::MAX_DEPTH || self.out.len() > self.max {
            return false;
        }
        let Some(keys) = self.keys.as_mut().and_then(|guard| guard.as_mut()) else {
            return false;
        };
        let start = self.out.len();
        if !keys.write_cached(&mut self.out, key) {
            return false;
        }
        self.out.push(b':');
        // SAFETY: the caller's; each read is for the object's exact type.
        let written = unsafe {
            let kind = ffi::Py_TYPE(value);
            if kind == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
                let mut overflow = 0;
                let small = ffi::PyLong_AsLongLongAndOverflow(value, &mut overflow);
                // An exact int sets no error; -1 is then -1.
                let fits = overflow == 0 && (small != -1 || ffi::PyErr_Occurred().is_null());
                if fits {
                    write_i64(&mut self.out, small);
                }
                fits
            } else if self.decimal == Some(kind) && self.decimal_layout {
                let number = Borrowed::from_ptr(self.py, value);
                decimal_text::write_exact(&mut self.out, &number)
            } else if kind == std::ptr::addr_of_mut!(ffi::PyFloat_Type) {
                match Number::from_f64(ffi::PyFloat_AsDouble(value)) {
                    Some(number) => {
                        self.out.extend_from_slice(number.as_str().as_bytes());
                        true
                    }
                    None => false,
                }
            } else if value == ffi::Py_None() {
                self.out.extend_from_slice(b"null");
                true
            } else if value == ffi::Py_True() {
                self.out.extend_from_slice(b"true");
                true
            } else if value == ffi::Py_False() {
                self.out.extend_from_slice(b"false");
                true
            } else {
                false
            }
        };
        if !written {
            self.out.truncate(start);
        }
        written
    }

    fn member(&mut self, key: &Bound<'py, PyAny>, value: &Bound<'py, PyAny>, depth: usize) -> Result<(), Stop> {
        let key = if key.get_type_ptr() == std::ptr::addr_of_mut!(pyo3::ffi::PyUnicode_Type) {
            // SAFETY: the key is exactly a str.
            unsafe { key.cast_unchecked::<PyString>() }
        } else if let Ok(key) = key.cast::<PyString>() {
            key
        } else {
            let kind = Self::type_name(key);
            return Err(self.refuse(
                format!("a member name must be a str, not {kind}"),
                format!("имя поля должно быть строкой (str), а не {kind}"),
            ));
        };
        let written = match self.keys.as_mut().and_then(|guard| guard.as_mut()) {
            Some(keys) => keys.write(&mut self.out, key),
            None => write_json_string(&mut self.out, key),
        };
        if !written {
            return Err(self.refuse(
                "a member name is not valid Unicode".to_owned(),
                "имя поля не является корректным Unicode".to_owned(),
            ));
        }
        self.out.push(b':');
        let written = self.value(value, depth + 1);
        self.at(|| Segment::Key(key.clone()), written)
    }

    fn array(&mut self, items: impl Iterator<Item = Bound<'py, PyAny>>, depth: usize) -> Result<(), Stop> {
        self.out.push(b'[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            let written = self.value(&item, depth + 1);
            self.at(|| Segment::Index(i), written)?;
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
        let mut overflow = 0;
        // SAFETY: the GIL is held; `integer` is an int, so no error is set.
        let small = unsafe { pyo3::ffi::PyLong_AsLongLongAndOverflow(integer.as_ptr(), &mut overflow) };
        if overflow == 0 && !(small == -1 && PyErr::take(self.py).is_some()) {
            write_i64(&mut self.out, small);
            return Ok(());
        }
        // An int subclass (an IntEnum) prints its name on Python < 3.11:
        // take the plain int's digits. Python refuses ints over 4300 digits.
        self.foreign_calls += 1;
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

    /// An exact Decimal's digits, read in place when its layout is known.
    fn exact_decimal(&mut self, object: &Bound<'py, PyAny>) -> Result<(), Stop> {
        // SAFETY: `object` is exactly `decimal.Decimal`, whose layout was checked.
        if self.decimal_layout && unsafe { decimal_text::write_exact(&mut self.out, object) } {
            return Ok(());
        }
        self.decimal(object)
    }

    fn decimal(&mut self, object: &Bound<'py, PyAny>) -> Result<(), Stop> {
        // `str()` runs the user's code: what it raises goes on as it is.
        self.foreign_calls += 1;
        let text = object.str()?;
        #[cfg(not(windows))]
        if let Some(utf8) = borrowed_utf8(&text) {
            return self.number(utf8, || format!("Decimal({utf8:?})"));
        }
        let mut buffer = [0u32; SHORT_STRING];
        if let Some(chars) = short_chars(&text, &mut buffer) {
            if chars.iter().all(|&c| c < 0x80) {
                let mut ascii = [0u8; SHORT_STRING];
                for (to, &c) in ascii.iter_mut().zip(chars) {
                    *to = u8::try_from(c).unwrap_or(b'?');
                }
                // All ASCII, so UTF-8.
                let ascii = std::str::from_utf8(&ascii[..chars.len()]).unwrap_or("");
                return self.number(ascii, || format!("Decimal({ascii:?})"));
            }
        }
        let text = text.to_cow()?;
        self.number(&text, || format!("Decimal({text:?})"))
    }
}
