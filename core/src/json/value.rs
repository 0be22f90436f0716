//! The JSON value tree every decoder reads: strings borrowed from the input
//! where they need no unescaping, numbers kept as their exact text.

use std::borrow::Cow;
use std::fmt;

/// A JSON number as the exact text it was written with (`0.1`, `1e2`,
/// `42949672.95`). It never passes through `f64`; money types read it
/// digit by digit.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number<'a>(Cow<'a, str>);

impl<'a> Number<'a> {
    /// Wraps text already known to follow the JSON number grammar.
    pub(crate) fn from_checked(text: Cow<'a, str>) -> Self {
        Number(text)
    }

    /// Wraps `text` if it follows the JSON number grammar (RFC 8259 §6).
    pub fn parse(text: &'a str) -> Option<Self> {
        (super::parse::number_len(text.as_bytes()) == Some(text.len())).then_some(Number(Cow::Borrowed(text)))
    }

    /// The text, given up.
    pub fn into_text(self) -> Cow<'a, str> {
        self.0
    }

    /// The number exactly as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number a binding's floating-point value stands for: its
    /// shortest decimal that reads back as the same double, as JavaScript
    /// and Python print it (`0.1` is `0.1`, not 0.1000000000000000055…).
    /// Whether that fits in kopecks is then the money rules' call, the same
    /// for every language. Negative zero is `0`: it must not read as
    /// negative money. `None` for NaN and the infinities, which JSON cannot
    /// carry.
    pub fn from_f64(value: f64) -> Option<Number<'static>> {
        if !value.is_finite() {
            return None;
        }
        if value == 0.0 {
            return Some(Number(Cow::Borrowed("0")));
        }
        // Display never uses an exponent (1e300 would be 301 digits);
        // Debug keeps the shortest digits with one for tiny and huge values.
        let text = if value.fract() == 0.0 && value.abs() < 1e21 { format!("{value}") } else { format!("{value:?}") };
        Some(Number(Cow::Owned(text)))
    }

    /// The number as a `u64` when it is a plain non-negative integer
    /// literal (`42`, not `4.2e1`).
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The number as an `i64` when it is a plain integer literal.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// Detaches the number from the input it was borrowed from.
    pub fn into_owned(self) -> Number<'static> {
        Number(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The members of a JSON object in the order they were written.
/// Duplicate names are kept so that decoders can report them.
pub type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

/// A parsed JSON document. `Value<'static>` owns all its data.
#[derive(Clone, PartialEq, Default)]
pub enum Value<'a> {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, with its text.
    Number(Number<'a>),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object's members, in the order read.
    Object(Members<'a>),
}

impl<'a> Value<'a> {
    /// The JSON type name used in error messages (`"string"`, `"object"`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The first member called `name`, if this is an object that has one.
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Members<'a>> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Detaches the value from the input it was borrowed from.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n.into_owned()),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(members) => {
                Value::Object(members.into_iter().map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())).collect())
            }
        }
    }

    /// Writes the value as compact JSON text, numbers exactly as read.
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(n) => out.push_str(n.as_str()),
            Value::String(s) => write_json_string(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// Appends `s` as a quoted JSON string.
pub(crate) fn write_json_string(s: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl super::HasKind for Value<'_> {
    fn json_kind(&self) -> super::Kind {
        use super::Kind;
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}
