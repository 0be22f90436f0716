//! Turning a [`Value`] tree into typed models while collecting every
//! violation. Decoding never stops at the first problem: a value that cannot
//! be read is reported, its path is tainted, and decoding goes on with the
//! rest of the document.

use std::borrow::Cow;

use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::context::{Context, Expected, Mode};
use crate::json::{Number, Value};

/// Reads a typed value from JSON. On failure the implementation reports at
/// the current path and returns `None`; the caller taints the path.
///
/// Structs derive this with `#[derive(FromJson)]`, which reads member names
/// from the same `#[serde(rename)]`/`#[serde(alias)]` attributes that
/// serialization uses, so a wire name is written once.
pub trait FromJson: Sized {
    fn from_json(value: &Value<'_>, cx: &mut Context) -> Option<Self>;
}

/// A stand-in for a required value that could not be read, so that decoding
/// can go on and rules can still check the value's siblings. Models holding
/// placeholders never leave the crate: entry points return errors for them.
pub trait Placeholder {
    fn placeholder() -> Self;
}

/// What a decoder found for one member of an object.
#[derive(Debug, Default)]
pub enum Slot<T> {
    #[default]
    Absent,
    Null,
    Invalid,
    Present(T),
}

impl<T: FromJson> Slot<T> {
    /// Decodes `value` found under the member `key`.
    pub fn fill(&mut self, key: &'static str, value: &Value<'_>, cx: &mut Context) {
        cx.push_key(key);
        if !matches!(self, Slot::Absent) {
            cx.violate(
                catalog::DUPLICATE_MEMBER,
                "appears more than once in the object; ofdkit does not guess which value was meant",
                "встречается в объекте несколько раз; ofdkit не угадывает, какое значение имелось в виду",
            );
        } else if value.is_null() {
            *self = Slot::Null;
        } else {
            *self = match T::from_json(value, cx) {
                Some(v) => Slot::Present(v),
                None => {
                    cx.taint();
                    Slot::Invalid
                }
            };
        }
        cx.pop();
    }

    /// An optional member: absent and `null` both mean "not given".
    pub fn optional(self) -> Option<T> {
        match self {
            Slot::Present(v) => Some(v),
            _ => None,
        }
    }

    /// A member with a default when absent.
    pub fn or_default(self) -> T
    where
        T: Default,
    {
        self.optional().unwrap_or_default()
    }

    /// A required member: reports `required` when it is absent or null.
    pub fn required(self, key: &'static str, cx: &mut Context) -> T
    where
        T: Placeholder,
    {
        match self {
            Slot::Present(v) => v,
            Slot::Invalid => T::placeholder(),
            Slot::Absent | Slot::Null => {
                cx.at(key, |cx| {
                    cx.required();
                    cx.taint();
                });
                T::placeholder()
            }
        }
    }
}

/// Reads `value` as an object, reporting `bad_type` otherwise.
pub fn expect_object<'v, 'a>(value: &'v Value<'a>, cx: &mut Context) -> Option<&'v [(Cow<'a, str>, Value<'a>)]> {
    match value {
        Value::Object(members) => Some(members),
        other => {
            cx.bad_type(Expected::Object, other);
            None
        }
    }
}

/// Members a model does not know. In a request they are reported as
/// warnings, kept, and written back as given, so nothing a user sends is
/// silently lost; in a response they are kept without a word.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra(pub Vec<(String, Value<'static>)>);

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Value<'static>> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// Reports that a request spelt a member `alias` where its table says
/// `wire`; the value was read as `wire` and is sent under that name.
pub fn warned_alias(alias: &str, wire: &str, rule: &'static catalog::Rule, cx: &mut Context) {
    if cx.mode() == Mode::Request {
        cx.push_member(alias);
        cx.violate(
            rule,
            format!("is read as {wire}, the name its table gives, and sent as {wire}"),
            format!("прочитано как {wire} — так поле названо в таблице — и будет отправлено как {wire}"),
        );
        cx.pop();
    }
}

/// Handles a member the model does not know.
pub fn unknown_member(key: &str, value: &Value<'_>, extra: Option<&mut Extra>, cx: &mut Context) {
    let kept = extra.is_some();
    if let Some(extra) = extra {
        extra.0.push((key.to_owned(), value.clone().into_owned()));
    }
    if cx.mode() == Mode::Request {
        let hint = crate::ferma::atol::member_hint(&cx.path(), key);
        cx.push_member(key);
        let (mut en, mut ru) = if kept {
            (
                "is not a field of the API spec; it is kept and sent as given".to_owned(),
                "не описано в спецификации API; поле сохранено и будет отправлено как есть".to_owned(),
            )
        } else {
            (
                "is not a field of the API spec and is ignored".to_owned(),
                "не описано в спецификации API и будет проигнорировано".to_owned(),
            )
        };
        if let Some(hint) = hint {
            en = format!("{en}. {}", hint.en);
            ru = format!("{ru}. {}", hint.ru);
        }
        cx.violate(catalog::UNKNOWN_FIELD, en, ru);
        cx.pop();
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(members) => Ok(Extra(members.into_iter().map(|(k, v)| (k.into_owned(), v)).collect())),
            _ => Ok(Extra::default()),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Value<'_>, cx: &mut Context) -> Option<Self> {
        match value {
            Value::String(s) => {
                // A NUL ends a string in the cash register's and many
                // clients' C code, so the document would differ from the request.
                if cx.mode() == Mode::Request && s.contains('\0') {
                    cx.violate(
                        catalog::NUL_CHARACTER,
                        "contains the NUL character (\\u0000), which cuts a fiscal string short",
                        "содержит символ NUL (\\u0000), который обрезает строку фискального документа",
                    );
                }
                Some(s.as_ref().to_owned())
            }
            // A server may send an identifier as a number where the spec says string.
            Value::Number(n) if cx.mode() == Mode::Response => Some(n.as_str().to_owned()),
            other => {
                cx.bad_type(Expected::String, other);
                None
            }
        }
    }
}

impl Placeholder for String {
    fn placeholder() -> Self {
        String::new()
    }
}

impl FromJson for bool {
    fn from_json(value: &Value<'_>, cx: &mut Context) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if cx.mode() == Mode::Response && s == "true" => Some(true),
            Value::String(s) if cx.mode() == Mode::Response && s == "false" => Some(false),
            other => {
                cx.bad_type(Expected::Boolean, other);
                None
            }
        }
    }
}

impl Placeholder for bool {
    fn placeholder() -> Self {
        false
    }
}

/// Reads an integer exactly (`7`, `7.0` and `0.7e1` are all 7), reporting
/// `bad_type` for fractions and `out_of_range` outside `i128`.
pub(crate) fn integer(value: &Value<'_>, cx: &mut Context) -> Option<i128> {
    let number: Number<'_>;
    let number = match value {
        Value::Number(n) => n,
        Value::String(s) if cx.mode() == Mode::Response => match Number::parse(s.trim()) {
            Some(n) => {
                number = n;
                &number
            }
            None => {
                cx.bad_type(Expected::Integer, value);
                return None;
            }
        },
        other => {
            cx.bad_type(Expected::Integer, other);
            return None;
        }
    };
    match crate::decimal::parse_decimal(number.as_str()) {
        Ok(d) if d.fract().is_zero() => match d.to_i128() {
            Some(i) => Some(i),
            None => {
                out_of_range(cx);
                None
            }
        },
        Ok(_) => {
            cx.bad_type(Expected::Integer, value);
            None
        }
        Err(_) => {
            out_of_range(cx);
            None
        }
    }
}

fn out_of_range(cx: &mut Context) {
    cx.violate(catalog::INTEGER_RANGE, "is too large", "слишком большое число");
}

macro_rules! integer_from_json {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Value<'_>, cx: &mut Context) -> Option<Self> {
                let i = integer(value, cx)?;
                match <$t>::try_from(i) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        cx.violate(
                            catalog::INTEGER_RANGE,
                            format!("must be between {} and {}, got {i}", <$t>::MIN, <$t>::MAX),
                            format!("должно быть от {} до {}, передано {i}", <$t>::MIN, <$t>::MAX),
                        );
                        None
                    }
                }
            }
        }
        impl Placeholder for $t {
            fn placeholder() -> Self { 0 }
        }
    )*};
}

integer_from_json!(u8, u16, u32, u64, i32, i64);

impl<T: FromJson + Placeholder> FromJson for Vec<T> {
    fn from_json(value: &Value<'_>, cx: &mut Context) -> Option<Self> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    cx.push_index(i);
                    let decoded = if item.is_null() {
                        cx.required();
                        None
                    } else {
                        T::from_json(item, cx)
                    };
                    out.push(decoded.unwrap_or_else(|| {
                        cx.taint();
                        T::placeholder()
                    }));
                    cx.pop();
                }
                Some(out)
            }
            other => {
                cx.bad_type(Expected::Array, other);
                None
            }
        }
    }
}

impl<T> Placeholder for Vec<T> {
    fn placeholder() -> Self {
        Vec::new()
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value<'_>, cx: &mut Context) -> Option<Self> {
        T::from_json(value, cx).map(Box::new)
    }
}

impl<T: Placeholder> Placeholder for Box<T> {
    fn placeholder() -> Self {
        Box::new(T::placeholder())
    }
}

impl FromJson for Value<'static> {
    fn from_json(value: &Value<'_>, _cx: &mut Context) -> Option<Self> {
        Some(value.clone().into_owned())
    }
}

impl Placeholder for Value<'static> {
    fn placeholder() -> Self {
        Value::Null
    }
}

/// Decodes a whole document of type `T` in `mode`, returning the model (which
/// may hold placeholders where values were unreadable) and the context with
/// the decoding violations.
pub fn decode_document<T: FromJson + Placeholder>(value: &Value<'_>, mode: Mode) -> (T, Context) {
    let mut cx = Context::new(mode);
    let model = match T::from_json(value, &mut cx) {
        Some(m) => m,
        None => {
            cx.taint();
            T::placeholder()
        }
    };
    (model, cx)
}

/// Deserializes any model through [`FromJson`], so that `serde` users get
/// the same exact reading and accepted spellings as ofdkit's own parsers.
/// Numbers arriving from a serde format as `f64` are taken by their shortest
/// text, which is exact for every amount the specs allow.
pub fn deserialize_via_json<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromJson + Placeholder,
{
    let value = Value::deserialize(deserializer)?;
    let (model, cx) = decode_document::<T>(&value, Mode::Response);
    let errors: Vec<String> = cx.violations().iter().filter(|v| v.is_error()).map(|v| v.to_string()).collect();
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(serde::de::Error::custom(errors.join("; ")))
    }
}
