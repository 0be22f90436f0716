//! A strict RFC 8259 parser into [`Value`]. It keeps numbers as text, borrows
//! strings that need no unescaping, limits nesting so that hostile input
//! cannot exhaust the stack, and reports the line and column of the first
//! error. It never panics, whatever the bytes.

use std::borrow::Cow;

use super::value::{Number, Value};
use super::JsonError;

/// Deepest nesting of arrays and objects accepted. Real receipts nest five
/// levels; the limit only guards the stack against hostile input.
pub const MAX_DEPTH: usize = 128;

/// Parses a whole JSON document from bytes, which must be UTF-8.
pub fn parse_bytes(input: &[u8]) -> Result<Value<'_>, JsonError> {
    match std::str::from_utf8(input) {
        Ok(text) => parse(text),
        Err(e) => {
            let valid = &input[..e.valid_up_to()];
            // `valid` is UTF-8 by construction; the fallback is unreachable.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            Err(JsonError::at(prefix, "invalid UTF-8 byte sequence"))
        }
    }
}

/// Parses a whole JSON document: one value, surrounded by optional whitespace.
pub fn parse(text: &str) -> Result<Value<'_>, JsonError> {
    let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0 };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos != parser.bytes.len() {
        return Err(parser.error("unexpected characters after the JSON value"));
    }
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

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> JsonError {
        // `pos` always sits on a character boundary: the parser only stops
        // on ASCII bytes or after whole characters.
        let prefix = self.text.get(..self.pos).unwrap_or(self.text);
        JsonError::at(prefix, message)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        match self.bytes.get(self.pos) {
            None => Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Value<'a>, JsonError> {
        let start = self.pos;
        match number_len(&self.bytes[start..]) {
            Some(len) => {
                self.pos += len;
                Ok(Value::Number(Number::from_checked(Cow::Borrowed(&self.text[start..self.pos]))))
            }
            None => Err(self.error("malformed number")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            Err(self.error("nesting deeper than 128 levels"))
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        self.enter(depth)?;
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']' in array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        self.enter(depth)?;
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a member name in double quotes"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected ':' after the member name"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            members.push((name, value));
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}' in object")),
            }
        }
    }

    /// Reads a string starting at the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.pos += 1; // '"'
        let start = self.pos;
        // Fast path: no escapes, borrow the text as is.
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    let s = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => return Err(self.error("control character in string must be escaped")),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(&self.text[start..self.pos]);
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape in string")),
                    };
                    out.push(escaped);
                    self.pos += 1;
                }
                Some(&b) if b < 0x20 => return Err(self.error("control character in string must be escaped")),
                Some(_) => {
                    let run_start = self.pos;
                    while let Some(&b) = self.bytes.get(self.pos) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.text[run_start..self.pos]);
                }
            }
        }
    }

    /// Reads the four hex digits after `\u` (and a second escape for a
    /// surrogate pair); lone surrogates are errors, not replacement characters.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error("unpaired surrogate in \\u escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("unpaired surrogate in \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("unpaired surrogate in \\u escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error("truncated \\u escape"))?;
        let mut code = 0u32;
        for &d in digits {
            let v = (d as char).to_digit(16).ok_or_else(|| self.error("invalid \\u escape"))?;
            code = code * 16 + v;
        }
        self.pos += 4;
        Ok(code)
    }
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
