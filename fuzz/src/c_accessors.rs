//! The C library's JSON accessors, `ofdkit_json_get` and
//! `ofdkit_json_length`, called as a C program calls them: a buffer that
//! is not NUL-terminated, a NUL-terminated JSON pointer, NULL where the
//! input says so, and every returned string freed.
//!
//! The input is the JSON, a NUL byte and the pointer (no NUL: the pointer
//! is the empty one, the whole document). What they return agrees with a
//! plain RFC 6901 lookup in ofdkit's own parse of the document.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;

use ofdkit::json::{self, Value};
use ofdkit_ffi::{
    ofdkit_json_get, ofdkit_json_length, ofdkit_last_error_code, ofdkit_last_error_message, ofdkit_string_free,
    OFDKIT_E_INTERNAL, OFDKIT_E_PANIC, OFDKIT_OK,
};

/// What an RFC 6901 pointer finds, or why the answer is not clear-cut.
enum Found<'v, 'a> {
    Value(&'v Value<'a>),
    Missing,
    /// A member named twice, or an array index with a sign or leading zero:
    /// RFC 6901 leaves the first open and forbids the second, so the
    /// accessors may answer either way.
    Unclear,
}

fn lookup<'v, 'a>(document: &'v Value<'a>, pointer: &str) -> Found<'v, 'a> {
    if pointer.is_empty() {
        return Found::Value(document);
    }
    let Some(rest) = pointer.strip_prefix('/') else { return Found::Missing };
    let mut current = document;
    for token in rest.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Object(members) => {
                let mut named = members.iter().filter(|(k, _)| *k == token);
                match (named.next(), named.next()) {
                    (Some((_, v)), None) => v,
                    (None, _) => return Found::Missing,
                    (Some(_), Some(_)) => return Found::Unclear,
                }
            }
            Value::Array(items) => {
                let canonical = token == "0" || (!token.starts_with('0') && token.bytes().all(|b| b.is_ascii_digit()));
                if !canonical || token.is_empty() {
                    return Found::Unclear;
                }
                match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(v) => v,
                    None => return Found::Missing,
                }
            }
            _ => return Found::Missing,
        };
    }
    Found::Value(current)
}

/// A status that is not a bug, and when it is a failure, a message.
fn assert_failure_explained(status: i32, call: &str) {
    assert!(status != OFDKIT_E_PANIC && status != OFDKIT_E_INTERNAL, "{call} hit a bug: status {status}");
    if status != OFDKIT_OK {
        assert_eq!(ofdkit_last_error_code(), status, "{call}: the last error is another");
        let message = unsafe { CStr::from_ptr(ofdkit_last_error_message()) };
        assert!(!message.to_bytes().is_empty(), "{call} failed with {status} and no message");
    }
}

/// The text `ofdkit_json_get` gives, or its status.
fn get(json: *const c_char, json_len: usize, pointer: *const c_char) -> Result<String, i32> {
    let mut out: *mut c_char = ptr::null_mut();
    let status = unsafe { ofdkit_json_get(json, json_len, pointer, &mut out) };
    assert_failure_explained(status, "ofdkit_json_get");
    if status != OFDKIT_OK {
        assert!(out.is_null(), "ofdkit_json_get failed with {status} and gave a string");
        return Err(status);
    }
    assert!(!out.is_null(), "ofdkit_json_get succeeded without a string");
    let text = unsafe { CStr::from_ptr(out) }.to_str().map(str::to_owned);
    unsafe { ofdkit_string_free(out) };
    Ok(text.expect("ofdkit_json_get gave text that is not UTF-8"))
}

fn length(json: *const c_char, json_len: usize, pointer: *const c_char) -> Result<usize, i32> {
    let mut out = usize::MAX;
    let status = unsafe { ofdkit_json_length(json, json_len, pointer, &mut out) };
    assert_failure_explained(status, "ofdkit_json_length");
    if status == OFDKIT_OK {
        Ok(out)
    } else {
        Err(status)
    }
}

pub fn json_accessors(data: &[u8]) {
    let (document, pointer) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &b""[..]),
    };
    // The pointer has no NUL: it ends at the next one or at the input's end.
    let pointer_end = pointer.iter().position(|&b| b == 0).unwrap_or(pointer.len());
    let pointer = CString::new(&pointer[..pointer_end]).expect("no NUL inside");
    // A copy of exactly the document's bytes, so that a read past its
    // length is one AddressSanitizer sees.
    let json = document.to_vec().into_boxed_slice();
    let (json_ptr, json_len) = (json.as_ptr().cast::<c_char>(), json.len());

    let got = get(json_ptr, json_len, pointer.as_ptr());
    let counted = length(json_ptr, json_len, pointer.as_ptr());
    let parsed = json::parse_bytes(&json);
    let Ok(tree) = &parsed else {
        assert!(got.is_err() && counted.is_err(), "malformed JSON read: {got:?} {counted:?}");
        return null_arguments(json_ptr, json_len, &pointer);
    };
    let Ok(pointer_text) = pointer.to_str() else {
        assert!(got.is_err() && counted.is_err(), "a pointer that is not UTF-8 was followed");
        return null_arguments(json_ptr, json_len, &pointer);
    };
    match lookup(tree, pointer_text) {
        Found::Value(value) => {
            let text = got.unwrap_or_else(|s| panic!("{pointer_text:?} exists, ofdkit_json_get says {s}"));
            match value {
                // A string comes back as its text, up to a NUL it may hold.
                Value::String(s) => assert_eq!(text, s.split('\0').next().unwrap_or_default()),
                other => {
                    let again = json::parse(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
                    assert_eq!(again.to_json_string(), other.to_json_string(), "another value at {pointer_text:?}");
                }
            }
            let expected = match value {
                Value::Array(items) => Some(items.len()),
                Value::Object(members) => Some(members.len()),
                _ => None,
            };
            assert_eq!(counted.ok(), expected, "ofdkit_json_length at {pointer_text:?}");
        }
        Found::Missing => assert!(got.is_err() && counted.is_err(), "{pointer_text:?} found nothing, yet {got:?}"),
        Found::Unclear => {}
    }
    null_arguments(json_ptr, json_len, &pointer);
}

/// NULL in each argument is refused with a status, never followed.
fn null_arguments(json: *const c_char, json_len: usize, pointer: &CString) {
    let mut text: *mut c_char = ptr::null_mut();
    let mut count = 0usize;
    let (text_out, count_out): (*mut *mut c_char, *mut usize) = (&mut text, &mut count);
    let calls: [&dyn Fn() -> i32; 6] = unsafe {
        [
            &|| ofdkit_json_get(ptr::null(), json_len.max(1), pointer.as_ptr(), text_out),
            &|| ofdkit_json_get(json, json_len, ptr::null(), text_out),
            &|| ofdkit_json_get(json, json_len, pointer.as_ptr(), ptr::null_mut()),
            &|| ofdkit_json_length(ptr::null(), json_len.max(1), pointer.as_ptr(), count_out),
            &|| ofdkit_json_length(json, json_len, ptr::null(), count_out),
            &|| ofdkit_json_length(json, json_len, pointer.as_ptr(), ptr::null_mut()),
        ]
    };
    for call in calls {
        let status = call();
        assert_ne!(status, OFDKIT_OK, "a NULL argument was accepted");
        assert_failure_explained(status, "a call with NULL");
    }
    assert!(text.is_null(), "a failed call gave a string");
}
