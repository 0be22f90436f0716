//! JavaScript values into JSON text for the core's exact reader.
//!
//! bridge.js's `stage` writes every document argument as UTF-8 JSON text
//! straight into [`staging_area`] (TextEncoder.encodeInto into this
//! module's memory), then the function is called with the number of bytes
//! written: one native copy, where passing a string through wasm-bindgen
//! cost a tenth of validating a receipt (a JS loop over the characters and
//! two reallocations). A string argument is JSON text already; any other
//! value is walked into JSON text by bridge.js's `toJson` in one call (one
//! call into JavaScript per value cost as much as validating), no tree,
//! never through plain `JSON.stringify`, which turns `NaN` into `null` and
//! drops what it cannot write: `null`/`undefined` → null, booleans, numbers as the shortest text
//! that reads back as the same double (what `JSON.stringify` writes), strings,
//! arrays, and objects by their own enumerable string keys in order. So
//! `0.1 + 0.2` arrives as `0.30000000000000004` and the core itself reports
//! that it is not a kopeck amount, at its path. A value with no JSON form,
//! or text over the limit, arrives as a refusal instead of a length.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use js_sys::{Array, Reflect};
use ofdkit::context::{write_index, write_key};
use ofdkit::json::{Input, JsonError, Number, DEFAULT_MAX_INPUT_BYTES};
use ofdkit::money::Amount;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::Fail;

thread_local! {
    /// Where bridge.js writes the JSON text of the document being checked.
    /// It keeps the size of the largest document so far (wasm memory never
    /// shrinks anyway), bounded by three bytes per character of the limit.
    static STAGED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The address of room for `capacity` bytes of JSON text, which bridge.js
/// fills before calling a function with the length it wrote.
#[wasm_bindgen(js_name = stagingArea)]
pub fn staging_area(capacity: usize) -> *mut u8 {
    STAGED.with_borrow_mut(|staged| {
        if staged.len() < capacity {
            staged.resize(capacity, 0);
        }
        staged.as_mut_ptr()
    })
}

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

/// Runs `f` on the argument as JSON text with the size limit: `staged` is
/// the number of bytes bridge.js's `stage` wrote into [`staging_area`], or
/// its refusal of the argument.
pub fn with_text<R>(staged: &JsValue, f: impl FnOnce(Input<'_>) -> R) -> Result<R, Fail> {
    let max = max_input_bytes();
    let Some(length) = staged.as_f64() else { return Err(refused(staged, max)) };
    // bridge.js writes a whole number of bytes, at most the room it asked for.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let length = length as usize;
    STAGED.with_borrow(|text| {
        let input = Input::new(text.get(..length).unwrap_or_default()).max_bytes(max);
        input.check_size()?;
        Ok(f(input))
    })
}

/// Characters of a path shown in an error's message; `path` has it whole.
const MAX_SHOWN_PATH: usize = 120;

/// Why bridge.js did not stage an argument: `{tooLarge: bytes}` for JSON
/// text over the limit (`true` for an object's, which it stops walking),
/// or `{reason, path}` for a value with no JSON form, whose path is written
/// here in the core's notation.
fn refused(walked: &JsValue, max: usize) -> Fail {
    let field = |name: &str| Reflect::get(walked, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let too_large = field("tooLarge");
    if too_large.is_truthy() {
        // A byte count of text is far below 2^53, where f64 stops being exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = too_large.as_f64().map_or(max.saturating_add(1), |bytes| bytes as usize);
        return JsonError::too_large(size, max).into();
    }
    let mut bad = Unrepresentable::new(field("reason").as_string().unwrap_or_default());
    let path: Array = field("path").dyn_into().unwrap_or_default();
    for segment in path.iter().collect::<Vec<_>>().into_iter().rev() {
        bad = bad.under(match segment.as_f64() {
            // The walker writes array indices: integers from 0 below 2^32.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(i) => Segment::Index(i as usize),
            None => Segment::Key(segment.as_string().unwrap_or_default()),
        });
    }
    refusal(bad)
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
