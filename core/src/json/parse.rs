//! A strict RFC 8259 parse into a [`Value`] tree, through the pull
//! [`Reader`]: numbers kept as text, strings borrowed where they need no
//! unescaping, nesting limited so that hostile input cannot exhaust the
//! stack, the line and column of the first error. It never panics,
//! whatever the bytes. Requests are not read this way: their decoders pull
//! from the reader directly and build no tree.

use super::reader::Reader;
use super::value::Value;
use super::JsonError;

/// Parses a whole JSON document from bytes, which must be UTF-8. A
/// leading byte order mark is ignored (RFC 8259 §8.1 allows that).
pub fn parse_bytes(input: &[u8]) -> Result<Value<'_>, JsonError> {
    parse(utf8(strip_bom(input).0)?)
}

/// The input without a leading UTF-8 byte order mark, and whether it had one.
pub fn strip_bom(input: &[u8]) -> (&[u8], bool) {
    match input.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (input, false),
    }
}

/// The input as text, or the position of its first byte that is not UTF-8.
pub fn utf8(input: &[u8]) -> Result<&str, JsonError> {
    match std::str::from_utf8(input) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = &input[..e.valid_up_to()];
            // `valid` is UTF-8 by construction; the fallback is unreachable.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            Err(JsonError::at(prefix, "invalid UTF-8 byte sequence"))
        }
    }
}

/// Parses a whole JSON document into a tree: one value, surrounded by
/// optional whitespace. Strings without escapes borrow from `text`.
pub fn parse(text: &str) -> Result<Value<'_>, JsonError> {
    let mut reader = Reader::new(text);
    let value = reader.root().into_tree();
    reader.finish()?;
    Ok(value)
}

/// Length of the JSON number at the start of `bytes`, if one starts there.
pub(crate) fn number_len(bytes: &[u8]) -> Option<usize> {
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = 0;
    if bytes.first() == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return None,
    }
    if bytes.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return None;
        }
        i += n;
    }
    Some(i)
}

#[cfg(test)]
mod tests {

    #[test]
    fn doubles_become_their_shortest_decimal() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (100.0, "100"),
            (249.9, "249.9"),
            (0.1 + 0.2, "0.30000000000000004"),
            (42949672.95, "42949672.95"),
            (1e20, "100000000000000000000"),
            (1e21, "1e21"),
            (1e-7, "1e-7"),
            (-5.5, "-5.5"),
            (f64::MAX, "1.7976931348623157e308"),
        ];
        for (n, text) in cases {
            let number = Number::from_f64(n).unwrap();
            assert_eq!(number.as_str(), text, "{n}");
            assert!(Number::parse(text).is_some(), "{text} is JSON");
        }
        assert!(Number::from_f64(f64::NAN).is_none());
        assert!(Number::from_f64(f64::INFINITY).is_none());
        assert!(Number::from_f64(f64::NEG_INFINITY).is_none());
    }
    use super::*;
    use crate::json::{Number, MAX_DEPTH};
    use std::borrow::Cow;

    #[test]
    fn keeps_numbers_as_written() {
        let v = parse(r#"{"a": 0.1, "b": 1e2, "c": -0, "d": 42949672.95}"#).unwrap();
        let text = |k| {
            v.get(k).and_then(|n| match n {
                Value::Number(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
        };
        assert_eq!(text("a").as_deref(), Some("0.1"));
        assert_eq!(text("b").as_deref(), Some("1e2"));
        assert_eq!(text("c").as_deref(), Some("-0"));
        assert_eq!(text("d").as_deref(), Some("42949672.95"));
    }

    #[test]
    fn borrows_plain_strings_and_unescapes_others() {
        let v = parse(r#"["plain", "a\"b\u0416\ud83d\ude00\n"]"#).unwrap();
        let items = v.as_array().unwrap();
        assert!(matches!(&items[0], Value::String(Cow::Borrowed("plain"))));
        assert_eq!(items[1].as_str(), Some("a\"bЖ😀\n"));
    }

    #[test]
    fn reports_line_and_column() {
        let err = parse("{\n  \"a\": 1,\n  \"b\": tru\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 8));
        let err = parse("{\"имя\": }").unwrap_err();
        assert_eq!((err.line, err.column), (1, 9));
    }

    #[test]
    fn rejects_what_rfc_8259_rejects() {
        for bad in [
            "",
            " ",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "-",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "'a'",
            "\"\t\"",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "nul",
            "[1 2]",
            "{} {}",
            "\"abc",
            "NaN",
            "Infinity",
            "[",
            "{\"a\"",
            "{\"a\":",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn limits_nesting() {
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&deep).is_ok());
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&too_deep).unwrap_err().message.contains("nesting"));
        let hostile = "{\"a\":".repeat(100_000);
        assert!(parse(&hostile).is_err());
    }

    #[test]
    fn rejects_invalid_utf8_with_position() {
        let err = parse_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!((err.line, err.column), (1, 8));
    }

    #[test]
    fn keeps_duplicate_members() {
        let v = parse(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 2);
    }

    #[test]
    fn writes_back_what_it_read() {
        let text = r#"{"a":[1,2.50,-3e-2,true,false,null],"b":"\"q\"\n\u0001","c":{}}"#;
        let v = parse(text).unwrap();
        assert_eq!(parse(&v.to_json_string()).unwrap(), v);
        assert_eq!(v.to_json_string(), r#"{"a":[1,2.50,-3e-2,true,false,null],"b":"\"q\"\n\u0001","c":{}}"#);
    }
}
