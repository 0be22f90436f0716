//! Python objects to the core's JSON value tree, directly: no trip through
//! `json.dumps`, and no float on the way. A `Decimal` or an `int` becomes
//! the number it spells; a `float` becomes its shortest round-trip decimal
//! (`0.1` is `0.1`), and the core then judges whether that fits in kopecks.
//! Anything JSON cannot carry is refused with the path of the value.

use std::borrow::Cow;

use ofdkit::context::{write_index, write_key};
use ofdkit::json::{self, Number, Value};
use ofdkit::{Severity, Violation, ViolationCode};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

/// Where a value sits in the object being converted.
enum Segment {
    Key(String),
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

struct Converter<'py> {
    py: Python<'py>,
    path: Vec<Segment>,
}

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

/// Converts `object` (dict, list, str, int, Decimal, float, bool, None, and
/// their subclasses such as the code enums) into a JSON value.
pub fn to_value(object: &Bound<'_, PyAny>) -> Result<Value<'static>, Unconvertible> {
    let mut converter = Converter { py: object.py(), path: Vec::new() };
    converter.convert(object, 0)
}

impl<'py> Converter<'py> {
    fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(k) => write_key(&mut out, k),
                Segment::Index(i) => write_index(&mut out, *i),
            }
        }
        out
    }

    fn refuse(&self, message: String, message_ru: String) -> Unconvertible {
        Unconvertible { path: self.path(), message, message_ru }
    }

    fn type_name(object: &Bound<'_, PyAny>) -> String {
        object.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
    }

    fn convert(&mut self, object: &Bound<'py, PyAny>, depth: usize) -> Result<Value<'static>, Unconvertible> {
        if depth > json::MAX_DEPTH {
            return Err(self.refuse(
                format!("nested deeper than {} levels (a cycle?)", json::MAX_DEPTH),
                format!("вложенность глубже {} уровней (цикл?)", json::MAX_DEPTH),
            ));
        }
        if object.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(text) = object.cast::<PyString>() {
            return match text.to_cow() {
                Ok(s) => Ok(Value::String(Cow::Owned(s.into_owned()))),
                Err(_) => Err(self.refuse(
                    "the string is not valid Unicode (it holds a lone surrogate)".to_owned(),
                    "строка не является корректным Unicode (одиночный суррогат)".to_owned(),
                )),
            };
        }
        if let Ok(flag) = object.cast::<PyBool>() {
            return Ok(Value::Bool(flag.is_true()));
        }
        if let Ok(integer) = object.cast::<PyInt>() {
            return self.integer(integer);
        }
        if let Ok(float) = object.cast::<PyFloat>() {
            return self.float(float.value());
        }
        if let Ok(dict) = object.cast::<PyDict>() {
            let mut members = Vec::with_capacity(dict.len());
            for (key, value) in dict.iter() {
                members.push(self.member(&key, &value, depth)?);
            }
            return Ok(Value::Object(members));
        }
        if let Ok(list) = object.cast::<PyList>() {
            return self.array(list.iter(), list.len(), depth);
        }
        if let Ok(tuple) = object.cast::<PyTuple>() {
            return self.array(tuple.iter(), tuple.len(), depth);
        }
        if decimal_type(self.py).is_ok_and(|decimal| object.is_instance(decimal).unwrap_or(false)) {
            return self.decimal(object);
        }
        if let Ok(mapping) = object.cast::<PyMapping>() {
            let items = mapping.items().map_err(|e| self.python_failure("mapping", &e))?;
            let mut members = Vec::new();
            for pair in items.iter() {
                let (key, value) = match pair.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>() {
                    Ok(kv) => kv,
                    Err(e) => return Err(self.python_failure("mapping", &e)),
                };
                members.push(self.member(&key, &value, depth)?);
            }
            return Ok(Value::Object(members));
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

    fn member(
        &mut self,
        key: &Bound<'py, PyAny>,
        value: &Bound<'py, PyAny>,
        depth: usize,
    ) -> Result<(Cow<'static, str>, Value<'static>), Unconvertible> {
        let Ok(key) = key.cast::<PyString>() else {
            let kind = Self::type_name(key);
            return Err(self.refuse(
                format!("a member name must be a str, not {kind}"),
                format!("имя поля должно быть строкой (str), а не {kind}"),
            ));
        };
        let Ok(key) = key.to_cow() else {
            return Err(self.refuse(
                "a member name is not valid Unicode".to_owned(),
                "имя поля не является корректным Unicode".to_owned(),
            ));
        };
        let key = key.into_owned();
        self.path.push(Segment::Key(key.clone()));
        let value = self.convert(value, depth + 1)?;
        self.path.pop();
        Ok((Cow::Owned(key), value))
    }

    fn array(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        len: usize,
        depth: usize,
    ) -> Result<Value<'static>, Unconvertible> {
        let mut out = Vec::with_capacity(len);
        for (i, item) in items.enumerate() {
            self.path.push(Segment::Index(i));
            out.push(self.convert(&item, depth + 1)?);
            self.path.pop();
        }
        Ok(Value::Array(out))
    }

    fn number(&self, text: String, shown: &str) -> Result<Value<'static>, Unconvertible> {
        match Number::parse(&text) {
            Some(number) => Ok(Value::Number(number.into_owned())),
            None => Err(self.refuse(
                format!("{shown} is not a finite number JSON can carry"),
                format!("{shown} — не конечное число, которое можно передать в JSON"),
            )),
        }
    }

    fn integer(&self, integer: &Bound<'py, PyInt>) -> Result<Value<'static>, Unconvertible> {
        if let Ok(small) = integer.extract::<i64>() {
            return self.number(small.to_string(), "the integer");
        }
        // An int subclass (an IntEnum) prints its name on Python < 3.11:
        // take the plain int's digits. Python refuses ints over 4300 digits.
        let digits = self.py.get_type::<PyInt>().call1((integer,)).and_then(|plain| plain.str()).map_err(|_| {
            self.refuse(
                "the integer is too large to be written in decimal".to_owned(),
                "целое число слишком велико для записи в десятичном виде".to_owned(),
            )
        })?;
        self.number(digits.to_string(), "the integer")
    }

    /// The core reads a float as its shortest round-trip decimal, as
    /// Python's repr prints it: 0.1 is 0.1, not 0.1000000000000000055…
    fn float(&self, value: f64) -> Result<Value<'static>, Unconvertible> {
        Number::from_f64(value).map(Value::Number).ok_or_else(|| {
            self.refuse(
                format!("the float {value} is not a number JSON can carry"),
                format!("число {value} нельзя передать в JSON"),
            )
        })
    }

    fn decimal(&self, object: &Bound<'py, PyAny>) -> Result<Value<'static>, Unconvertible> {
        let text = object.str().map(|s| s.to_string()).unwrap_or_default();
        self.number(text.clone(), &format!("Decimal({text:?})"))
    }

    fn python_failure(&self, what: &str, error: &PyErr) -> Unconvertible {
        self.refuse(format!("reading the {what} failed: {error}"), format!("не удалось прочитать {what}: {error}"))
    }
}

/// A request given as a dict (or any JSON-able object), or as JSON text in
/// a `str`, `bytes` or `bytearray`.
pub enum Input {
    Tree(Value<'static>),
    Text(Vec<u8>),
}

impl Input {
    pub fn read(object: &Bound<'_, PyAny>) -> Result<Input, Unconvertible> {
        if let Ok(text) = object.cast::<PyString>() {
            return match text.to_cow() {
                Ok(s) => Ok(Input::Text(s.into_owned().into_bytes())),
                Err(_) => Err(Unconvertible {
                    path: String::new(),
                    message: "the JSON text is not valid Unicode".to_owned(),
                    message_ru: "текст JSON не является корректным Unicode".to_owned(),
                }),
            };
        }
        if let Ok(bytes) = object.cast::<PyBytes>() {
            return Ok(Input::Text(bytes.as_bytes().to_vec()));
        }
        if let Ok(bytes) = object.cast::<PyByteArray>() {
            return Ok(Input::Text(bytes.to_vec()));
        }
        to_value(object).map(Input::Tree)
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
