//! ofdkit's JSON reader itself, under every request and answer: what it
//! accepts is JSON to serde_json too, and its compact writing reads back
//! to the same text.

use ofdkit::json::{self, MAX_DEPTH};

use crate::support::depth;

pub fn json(data: &[u8]) {
    let Ok(value) = json::parse_bytes(data) else { return };
    let written = value.to_json_string();
    let again = json::parse(&written).unwrap_or_else(|e| panic!("its own writing does not read ({e}): {written}"));
    assert_eq!(again.to_json_string(), written, "writing what was read changes it");
    // serde_json stops at 128 levels as ofdkit does, and knows no byte
    // order mark: compare below that, on the text without it.
    let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if depth(&value) < MAX_DEPTH {
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(text) {
            panic!("ofdkit reads what serde_json refuses ({e}): {}", String::from_utf8_lossy(data));
        }
    }
}
