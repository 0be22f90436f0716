//! JavaScript values into JSON text for the core's exact reader.
//!
//! A JS value is walked directly into JSON text, no tree (never through
//! `JSON.stringify`, which turns `NaN` into `null` and drops what it cannot
//! write): `null`/`undefined` → null, booleans, numbers as the shortest text
//! that reads back as the same double (what `JSON.stringify` writes), strings,
//! arrays, and objects by their own enumerable string keys in order. So
//! `0.1 + 0.2` arrives as `0.30000000000000004` and the core itself reports
//! that it is not a kopeck amount, at its path. A string argument is JSON
//! text and goes to the core's exact parser.

use std::sync::atomic::{AtomicUsize, Ordering};

use js_sys::{Array, Object, Reflect};
use ofdkit::context::{write_index, write_key};
use ofdkit::json::{Input, JsonError, Number, DEFAULT_MAX_INPUT_BYTES, MAX_DEPTH};
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

static MAX_INPUT_BYTES: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the largest document read, in bytes of JSON (0 restores the
/// default, 4 MiB): larger JSON text, or an object whose JSON would be
/// larger, is refused with `INPUT_TOO_LARGE` before anything is checked.
#[wasm_bindgen(js_name = setMaxInputBytes)]
pub fn set_max_input_bytes(max_bytes: usize) {
    let max = if max_bytes == 0 { DEFAULT_MAX_INPUT_BYTES } else { max_bytes };
    MAX_INPUT_BYTES.store(max, Ordering::Relaxed);
}

/// The largest document read, in bytes of JSON.
#[wasm_bindgen(js_name = maxInputBytes)]
pub fn max_input_bytes() -> usize {
    MAX_INPUT_BYTES.load(Ordering::Relaxed)
}

/// Runs `f` on the argument as JSON text with the size limit: a string is
/// JSON text already, any other value is walked into it.
pub fn with_text<R>(input: &JsValue, f: impl FnOnce(Input<'_>) -> R) -> Result<R, Fail> {
    let max = max_input_bytes();
    let text = match input.as_string() {
        Some(text) => text.into_bytes(),
        None => to_json(input, max)?,
    };
    let input = Input::new(&text).max_bytes(max);
    input.check_size()?;
    Ok(f(input))
}

/// Characters of a path shown in an error's message; `path` has it whole.
const MAX_SHOWN_PATH: usize = 120;

/// Walks a JS value into JSON text of at most `max` bytes.
pub fn to_json(value: &JsValue, max: usize) -> Result<Vec<u8>, Fail> {
    let mut out = Vec::with_capacity(1024);
    match walk(value, 0, &mut out, max) {
        Ok(()) if out.len() <= max => Ok(out),
        Ok(()) => Err(JsonError::too_large(out.len(), max).into()),
        Err(bad) if bad.too_large => Err(JsonError::too_large(out.len(), max).into()),
        Err(bad) => Err(refusal(bad)),
    }
}

fn refusal(bad: Unrepresentable) -> Fail {
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
}

/// A value with no JSON form, and the way down to it (innermost last once reversed).
struct Unrepresentable {
    reason: String,
    segments_reversed: Vec<Segment>,
    /// Not a refusal: the text passed the size limit.
    too_large: bool,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl Unrepresentable {
    fn new(reason: impl Into<String>) -> Self {
        Unrepresentable { reason: reason.into(), segments_reversed: Vec::new(), too_large: false }
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

fn walk(value: &JsValue, depth: usize, out: &mut Vec<u8>, max: usize) -> Result<(), Unrepresentable> {
    if out.len() > max {
        let mut stop = Unrepresentable::new("");
        stop.too_large = true;
        return Err(stop);
    }
    match kind_of(value) {
        KIND_NULL => out.extend_from_slice(b"null"),
        KIND_FALSE => out.extend_from_slice(b"false"),
        KIND_TRUE => out.extend_from_slice(b"true"),
        KIND_NUMBER => out.extend_from_slice(number(value.as_f64().unwrap_or(f64::NAN))?.as_str().as_bytes()),
        KIND_STRING => {
            // Writing a str into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &value.as_string().unwrap_or_default());
        }
        KIND_ARRAY | KIND_OBJECT if depth >= MAX_DEPTH => {
            return Err(Unrepresentable::new(format!(
                "is nested deeper than {MAX_DEPTH} levels (does the object contain itself?)"
            )))
        }
        KIND_ARRAY => {
            let array: &Array = value.unchecked_ref();
            out.push(b'[');
            for i in 0..array.length() {
                if i > 0 {
                    out.push(b',');
                }
                walk(&array.get(i), depth + 1, out, max).map_err(|bad| bad.under(Segment::Index(i as usize)))?;
            }
            out.push(b']');
        }
        KIND_OBJECT => {
            let object: &Object = value.unchecked_ref();
            let keys = Object::keys(object);
            out.push(b'{');
            for (i, key) in keys.iter().enumerate() {
                let name = key.as_string().unwrap_or_default();
                if i > 0 {
                    out.push(b',');
                }
                let _ = serde_json::to_writer(&mut *out, &name);
                out.push(b':');
                let member = Reflect::get(object, &key)
                    .map_err(|_| Unrepresentable::new("could not be read (a getter threw)"))
                    .and_then(|member| walk(&member, depth + 1, out, max));
                if let Err(bad) = member {
                    return Err(bad.under(Segment::Key(name)));
                }
            }
            out.push(b'}');
        }
        _ => {
            return Err(Unrepresentable::new(format!(
                "a {} has no JSON form; give strings, numbers, booleans, arrays and plain objects",
                describe(value)
            )))
        }
    }
    Ok(())
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
