//! JavaScript values into the core's exact JSON tree.
//!
//! A JS value is walked directly into [`Value`] (never through
//! `JSON.stringify`, which turns `NaN` into `null` and drops what it cannot
//! write): `null`/`undefined` → null, booleans, numbers as the shortest text
//! that reads back as the same double (what `JSON.stringify` writes), strings,
//! arrays, and objects by their own enumerable string keys in order. So
//! `0.1 + 0.2` arrives as `0.30000000000000004` and the core itself reports
//! that it is not a kopeck amount, at its path. A string argument is JSON
//! text and goes to the core's exact parser.

use std::borrow::Cow;

use js_sys::{Array, Object, Reflect};
use ofdkit::context::{write_index, write_key};
use ofdkit::json::{self, Number, Value, MAX_DEPTH};
use ofdkit::money::Amount;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::Fail;

#[wasm_bindgen(raw_module = "./bridge.js")]
extern "C" {
    /// What kind of value `value` is, as one of the `KIND_*` numbers.
    #[wasm_bindgen(js_name = kindOf)]
    fn kind_of(value: &JsValue) -> u32;
}

// The numbers bridge.js's kindOf returns.
const KIND_NULL: u32 = 0;
const KIND_FALSE: u32 = 1;
const KIND_TRUE: u32 = 2;
const KIND_NUMBER: u32 = 3;
const KIND_STRING: u32 = 4;
const KIND_ARRAY: u32 = 5;
const KIND_OBJECT: u32 = 6;

/// Runs `f` on the argument as a JSON tree: JSON text is parsed exactly,
/// any other value is walked.
pub fn with_value<R>(input: &JsValue, f: impl FnOnce(&Value<'_>) -> R) -> Result<R, Fail> {
    match input.as_string() {
        Some(text) => Ok(f(&json::parse(&text)?)),
        None => Ok(f(&from_js(input)?)),
    }
}

/// Characters of a path shown in an error's message; `path` has it whole.
const MAX_SHOWN_PATH: usize = 120;

/// Walks a JS value into a JSON tree.
pub fn from_js(value: &JsValue) -> Result<Value<'static>, Fail> {
    walk(value, 0).map_err(|bad| {
        let path = bad.path();
        // A cycle makes a path 128 levels long: the message keeps its start.
        let shown = match path.char_indices().nth(MAX_SHOWN_PATH) {
            Some((cut, _)) => format!("{}…", &path[..cut]),
            None => path.clone(),
        };
        let at = if path.is_empty() { String::new() } else { format!("{shown}: ") };
        let mut fail = Fail::argument(format!("{at}{}", bad.reason));
        fail.path = Some(path);
        fail
    })
}

/// A value with no JSON form, and the way down to it (innermost last once reversed).
struct Unrepresentable {
    reason: String,
    segments_reversed: Vec<Segment>,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl Unrepresentable {
    fn new(reason: impl Into<String>) -> Self {
        Unrepresentable { reason: reason.into(), segments_reversed: Vec::new() }
    }

    fn under(mut self, segment: Segment) -> Self {
        self.segments_reversed.push(segment);
        self
    }

    /// The path in the core's notation (`receipt.items[2].price`), so it
    /// matches the paths of violations.
    fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.segments_reversed.iter().rev() {
            match segment {
                Segment::Index(i) => write_index(&mut path, *i),
                Segment::Key(key) => write_key(&mut path, key),
            }
        }
        path
    }
}

fn walk(value: &JsValue, depth: usize) -> Result<Value<'static>, Unrepresentable> {
    match kind_of(value) {
        KIND_NULL => Ok(Value::Null),
        KIND_FALSE => Ok(Value::Bool(false)),
        KIND_TRUE => Ok(Value::Bool(true)),
        KIND_NUMBER => number(value.as_f64().unwrap_or(f64::NAN)).map(Value::Number),
        KIND_STRING => Ok(Value::String(Cow::Owned(value.as_string().unwrap_or_default()))),
        KIND_ARRAY | KIND_OBJECT if depth >= MAX_DEPTH => Err(Unrepresentable::new(format!(
            "is nested deeper than {MAX_DEPTH} levels (does the object contain itself?)"
        ))),
        KIND_ARRAY => {
            let array: &Array = value.unchecked_ref();
            (0..array.length())
                .map(|i| walk(&array.get(i), depth + 1).map_err(|bad| bad.under(Segment::Index(i as usize))))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        KIND_OBJECT => {
            let object: &Object = value.unchecked_ref();
            let keys = Object::keys(object);
            let mut members = Vec::with_capacity(keys.length() as usize);
            for key in keys.iter() {
                let name = key.as_string().unwrap_or_default();
                let member = Reflect::get(object, &key)
                    .map_err(|_| Unrepresentable::new("could not be read (a getter threw)"))
                    .and_then(|member| walk(&member, depth + 1));
                match member {
                    Ok(member) => members.push((Cow::Owned(name), member)),
                    Err(bad) => return Err(bad.under(Segment::Key(name))),
                }
            }
            Ok(Value::Object(members))
        }
        _ => Err(Unrepresentable::new(format!(
            "a {} has no JSON form; give strings, numbers, booleans, arrays and plain objects",
            describe(value)
        ))),
    }
}

fn describe(value: &JsValue) -> String {
    let type_of = value.js_typeof().as_string().unwrap_or_default();
    if type_of != "object" {
        return type_of;
    }
    // A Date, Map, class with toJSON…: name its constructor.
    Reflect::get(value, &JsValue::from_str("constructor"))
        .ok()
        .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")).ok())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "object".to_owned())
}

fn number(n: f64) -> Result<Number<'static>, Unrepresentable> {
    Number::from_f64(n).ok_or_else(|| Unrepresentable::new(format!("{n} is not a JSON number")))
}

/// The decimal a finite double stands for (the core's rule, the same in
/// every binding); `None` for NaN and the infinities.
pub fn number_text(n: f64) -> Option<String> {
    Number::from_f64(n).map(|number| number.as_str().to_owned())
}

/// A money argument given as a string (`"249.90"`) or a number (`249.9`),
/// read exactly: a number that is not a kopeck amount is refused, never rounded.
pub fn amount(value: &JsValue, what: &str) -> Result<Amount, Fail> {
    let text = match (value.as_string(), value.as_f64()) {
        (Some(text), _) => text,
        (None, Some(n)) => number_text(n).ok_or_else(|| Fail::argument(format!("{what}: {n} is not a number")))?,
        _ => return Err(Fail::argument(format!("{what} must be a string such as \"249.90\" or a number"))),
    };
    text.parse().map_err(|e| Fail::argument(format!("{what} {text:?}: {e}")))
}

/// A quantity argument, read as exactly as [`amount`].
pub fn quantity(value: &JsValue, what: &str) -> Result<ofdkit::money::Quantity, Fail> {
    let text = match (value.as_string(), value.as_f64()) {
        (Some(text), _) => text,
        (None, Some(n)) => number_text(n).ok_or_else(|| Fail::argument(format!("{what}: {n} is not a number")))?,
        _ => return Err(Fail::argument(format!("{what} must be a string such as \"1.5\" or a number"))),
    };
    text.parse().map_err(|e| Fail::argument(format!("{what} {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_the_core_notation() {
        let bad = Unrepresentable::new("x")
            .under(Segment::Key("price".into()))
            .under(Segment::Index(2))
            .under(Segment::Key("items".into()))
            .under(Segment::Key("odd key".into()));
        assert_eq!(bad.path(), r#"["odd key"].items[2].price"#);
    }
}
