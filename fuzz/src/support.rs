//! What the targets share: choosing an option from the input without
//! spending its bytes, and the checks every output gets.

use ofdkit::json::Value;
use ofdkit::Violations;

/// One of `options`, chosen by the input's length, so that a plain JSON
/// file stays a plain JSON file: trailing spaces choose another option
/// (`scripts/fuzz` pads the seeds this way to reach the option a test
/// vector was written for).
pub fn pick<T: Copy>(options: &[T], data: &[u8]) -> T {
    options[data.len() % options.len()]
}

/// A verdict to compare: every violation's path, code, rule, severity and
/// messages, in the order given.
pub fn verdict(violations: &Violations) -> Vec<String> {
    violations
        .iter()
        .map(|v| {
            format!(
                "{} {} {} {} | {} | {}",
                v.path,
                v.code.as_str(),
                v.rule.id(),
                v.severity.as_str(),
                v.message,
                v.message_ru
            )
        })
        .collect()
}

/// `text` is JSON that ofdkit's own reader and serde_json both accept:
/// what one binding writes, another (or the user's JSON library) reads.
pub fn assert_json(text: &str, what: &str) {
    if let Err(e) = ofdkit::json::parse(text) {
        panic!("{what} is not JSON to ofdkit's reader ({e}): {text}");
    }
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        panic!("{what} is not JSON to serde_json ({e}): {text}");
    }
}

/// How deeply arrays and objects nest in `value` (a scalar is 0).
pub fn depth(value: &Value<'_>) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}
