//! Reading typed models straight from the JSON [`Reader`] while collecting
//! every violation. Decoding never stops at the first problem: a value that
//! cannot be read is reported, its path is tainted, and decoding goes on
//! with the rest of the document. No tree of the document is built.

use rust_decimal::prelude::ToPrimitive;

use crate::catalog;
use crate::context::{Context, Expected, Mode};
use crate::json::{self, Entries, Input, Json, JsonError, Node, Number, RawJson, Reader, Source, TreeSource, Value};

/// Reads a typed value from one JSON value. On failure the implementation
/// reports at the current path and returns `None`; the caller taints the
/// path. Whatever of `value` is left unread is skipped.
///
/// Structs derive this with `#[derive(Model)]`, which reads member names
/// from the same `#[json(rename)]`/`#[json(alias)]` attributes that
/// serialization uses, so a wire name is written once.
pub trait FromJson: Sized {
    /// Reads `value`, or reports why it cannot and returns `None`.
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self>;
}

/// A stand-in for a required value that could not be read, so that decoding
/// can go on and rules can still check the value's siblings. Models holding
/// placeholders never leave the crate: entry points return errors for them.
pub trait Placeholder {
    /// The stand-in.
    fn placeholder() -> Self;
}

/// What a decoder found for one member of an object.
#[derive(Debug, Default)]
pub enum Slot<T> {
    /// The member is not there.
    #[default]
    Absent,
    /// The member is `null`.
    Null,
    /// The member is there but could not be read (reported).
    Invalid,
    /// The member's value.
    Present(T),
}

// Inlined into each derived decoder where instructions count; not in the
// WebAssembly build, which weighs bytes (its budget is 250 KB gzipped):
// there the copies cost 5 KiB.
impl<T: FromJson> Slot<T> {
    /// Decodes `value` found under the member `key`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn fill(&mut self, key: &'static str, value: Node<'_, '_>, cx: &mut Context) {
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
            // Each arm writes the slot itself, so that a large model is
            // moved into it once, not first into a temporary slot.
            match T::from_json(value, cx) {
                Some(v) => *self = Slot::Present(v),
                None => {
                    cx.taint();
                    *self = Slot::Invalid;
                }
            }
        }
        cx.pop();
    }

    /// An optional member: absent and `null` both mean "not given".
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn optional(self) -> Option<T> {
        match self {
            Slot::Present(v) => Some(v),
            _ => None,
        }
    }

    /// A member with a default when absent.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn or_default(self) -> T
    where
        T: Default,
    {
        self.optional().unwrap_or_default()
    }

    /// A required member: reports `required` when it is absent or null.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
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
pub fn expect_object<'r, 'a>(value: Node<'r, 'a>, cx: &mut Context) -> Option<Entries<'r, 'a>> {
    match value.read() {
        Json::Object(entries) => Some(entries),
        other => {
            cx.bad_type(Expected::Object, &other);
            None
        }
    }
}

/// Members a model does not know. In a request they are reported as
/// warnings, kept, and written back as given, so nothing a user sends is
/// silently lost; in a response they are kept without a word. They are
/// kept together as one compact JSON object's text, which costs no more
/// than the input did (a list of names and values cost 50 bytes for each
/// six-byte `"a":0,`), and a model that has none pays one pointer.
#[derive(Clone, Default, PartialEq)]
pub struct Extra(Option<Box<ExtraMembers>>);

#[derive(Clone, PartialEq)]
struct ExtraMembers {
    /// `{"name":value,…}`, compact, strings escaped as serde_json does.
    text: String,
    len: usize,
}

impl Extra {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// How many members are kept (duplicates count each time).
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.len)
    }

    /// The length in characters of the members as written into their
    /// object: names and values as kept, with the commas between them
    /// (what [`Extra::serialize_members`] writes, without the braces).
    pub fn members_chars(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.text.chars().count() - 2)
    }

    /// Keeps a member.
    pub fn push(&mut self, name: &str, value: Node<'_, '_>) {
        let members = self.0.get_or_insert_with(|| Box::new(ExtraMembers { text: String::new(), len: 0 }));
        if members.text.is_empty() {
            members.text.push('{');
        } else {
            members.text.pop(); // '}'
            members.text.push(',');
        }
        json::write_serde_string(name, &mut members.text);
        members.text.push(':');
        value.write_raw(&mut members.text);
        members.text.push('}');
        members.len += 1;
    }

    /// Keeps a member given as a tree.
    pub fn push_value(&mut self, name: &str, value: &Value<'_>) {
        let text = value.to_json_string();
        let mut reader = Reader::new(&text);
        self.push(name, reader.root());
    }

    /// Calls `f` with each member's name and its compact JSON text, in order.
    pub fn for_each(&self, f: impl FnMut(&str, &str)) {
        if let Some(members) = &self.0 {
            json::for_each_member_text(&members.text, f);
        }
    }

    /// The first member called `name`.
    pub fn get(&self, name: &str) -> Option<RawJson> {
        let mut found = None;
        self.for_each(|k, v| {
            if found.is_none() && k == name {
                found = RawJson::parse(v);
            }
        });
        found
    }

    /// Writes every member into a map being serialized, as given.
    pub fn serialize_members<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let mut result = Ok(());
        self.for_each(|name, text| {
            if result.is_ok() {
                result = serde_json::value::RawValue::from_string(text.to_owned())
                    .map_err(serde::ser::Error::custom)
                    .and_then(|raw| map.serialize_entry(name, &raw));
            }
        });
        result
    }
}

impl std::fmt::Debug for Extra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_ref().map_or("{}", |m| m.text.as_str()))
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
pub fn unknown_member(key: &str, value: Node<'_, '_>, extra: Option<&mut Extra>, cx: &mut Context) {
    let kept = extra.is_some();
    match extra {
        Some(extra) => extra.push(key, value),
        None => value.skip(),
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

impl serde::Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.len()))?;
        self.serialize_members(&mut map)?;
        map.end()
    }
}

impl FromJson for String {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        match value.read() {
            Json::String(s) => {
                // A NUL ends a string in the cash register's and many
                // clients' C code, so the document would differ from the request.
                // A fold with no early exit: the compiler turns it into
                // vector compares, where `contains` sets up a word-at-a-time
                // search that costs more than these short strings take.
                if cx.mode() == Mode::Request && s.bytes().fold(false, |nul, b| nul | (b == 0)) {
                    cx.violate(
                        catalog::NUL_CHARACTER,
                        "contains the NUL character (\\u0000), which cuts a fiscal string short",
                        "содержит символ NUL (\\u0000), который обрезает строку фискального документа",
                    );
                }
                Some(s.into_owned())
            }
            // A server may send an identifier as a number where the spec says string.
            Json::Number(n) if cx.mode() == Mode::Response => Some(n.as_str().to_owned()),
            other => {
                cx.bad_type(Expected::String, &other);
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
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        match value.read() {
            Json::Bool(b) => Some(b),
            Json::String(s) if cx.mode() == Mode::Response && s == "true" => Some(true),
            Json::String(s) if cx.mode() == Mode::Response && s == "false" => Some(false),
            other => {
                cx.bad_type(Expected::Boolean, &other);
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
pub(crate) fn integer(mut value: Node<'_, '_>, cx: &mut Context) -> Option<i128> {
    // A binding's integer, with no text in between.
    if let Some(integer) = value.read_integer() {
        return Some(i128::from(integer));
    }
    let read = value.read();
    let text: &str = match &read {
        Json::Number(n) => n.as_str(),
        Json::String(s) if cx.mode() == Mode::Response && Number::parse(s.trim()).is_some() => s.trim(),
        other => {
            cx.bad_type(Expected::Integer, other);
            return None;
        }
    };
    match exact_integer(text) {
        ExactInteger::Integer(i) => Some(i),
        ExactInteger::Fraction => {
            cx.bad_type(Expected::Integer, &read);
            None
        }
        ExactInteger::TooLarge => {
            out_of_range(cx);
            None
        }
    }
}

/// What a JSON number's text is as an integer.
pub(crate) enum ExactInteger {
    Integer(i128),
    Fraction,
    TooLarge,
}

/// The JSON number `text` as an integer, exactly: `7`, `7.0`, `-0` and
/// `0.7e1` are integers (JSON and JSON Schema do not tell them apart).
pub(crate) fn exact_integer(text: &str) -> ExactInteger {
    // Plain digits, the usual case, need no decimal arithmetic.
    if text.len() <= 18 && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // 18 digits fit an i64 without overflow, and are checked digits
        // already: no need for `parse`'s checks.
        let value = text.bytes().fold(0i64, |value, b| value * 10 + i64::from(b - b'0'));
        return ExactInteger::Integer(i128::from(value));
    }
    match crate::decimal::parse_decimal(text) {
        Ok(d) if d.fract().is_zero() => d.to_i128().map_or(ExactInteger::TooLarge, ExactInteger::Integer),
        Ok(_) => ExactInteger::Fraction,
        Err(_) => ExactInteger::TooLarge,
    }
}

fn out_of_range(cx: &mut Context) {
    cx.violate(catalog::INTEGER_RANGE, "is too large", "слишком большое число");
}

macro_rules! integer_from_json {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
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
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        match value.read() {
            Json::Array(mut items) => {
                // A source that knows the length sizes the list at once (a
                // list of 200 items was copied about twenty times as it
                // grew), up to a bound, so that a hostile length costs
                // nothing before its elements do.
                const MOST_RESERVED: usize = 1024;
                let mut out: Vec<T> = Vec::with_capacity(items.len_hint().unwrap_or(0).min(MOST_RESERVED));
                let mut i = 0;
                while let Some(item) = items.next() {
                    if cx.gave_up() {
                        // The rest is only checked for syntax (as `items` drops).
                        break;
                    }
                    if out.len() == out.capacity() {
                        // Grow by a quarter, not double: the slack of a list
                        // of large models is memory the input never paid for.
                        out.reserve_exact((out.capacity() / 4).max(4));
                    }
                    cx.push_index(i);
                    let decoded = if item.is_null() {
                        item.skip();
                        cx.required();
                        None
                    } else {
                        T::from_json(item, cx)
                    };
                    // Pushed from where it was decoded: one copy of a large
                    // model, not two.
                    match decoded {
                        Some(decoded) => out.push(decoded),
                        None => {
                            cx.taint();
                            out.push(T::placeholder());
                        }
                    }
                    cx.pop();
                    i += 1;
                }
                Some(out)
            }
            other => {
                cx.bad_type(Expected::Array, &other);
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
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        T::from_json(value, cx).map(Box::new)
    }
}

impl<T: Placeholder> Placeholder for Box<T> {
    fn placeholder() -> Self {
        Box::new(T::placeholder())
    }
}

impl FromJson for Value<'static> {
    fn from_json(value: Node<'_, '_>, _cx: &mut Context) -> Option<Self> {
        Some(value.into_value())
    }
}

impl Placeholder for Value<'static> {
    fn placeholder() -> Self {
        Value::Null
    }
}

impl FromJson for RawJson {
    fn from_json(value: Node<'_, '_>, _cx: &mut Context) -> Option<Self> {
        Some(value.into_raw())
    }
}

/// Decodes a whole document of type `T` in `mode` from JSON text: the
/// size is checked before anything is read, a leading byte order mark is
/// skipped (with a warning in a request), and malformed JSON anywhere is
/// the error, whatever was decoded before it. Returns the model (which may
/// hold placeholders where values were unreadable) and the context with the
/// decoding violations.
pub fn decode_json<'a, T: FromJson + Placeholder>(
    input: impl Into<Input<'a>>,
    mode: Mode,
) -> Result<(T, Context), JsonError> {
    let (text, bom) = input.into().text()?;
    let mut cx = context_for_text(mode, bom);
    let model = decode_text(text, &mut cx)?;
    Ok((model, cx))
}

/// [`decode_json`], with the model handed to `check` where it was decoded:
/// a model a kilobyte large (a receipt request) was copied from call to
/// call a dozen times on its way to being checked and dropped.
pub fn decode_json_in_place<'a, T: FromJson + Placeholder, R>(
    input: impl Into<Input<'a>>,
    mode: Mode,
    check: impl FnOnce(&T, Context) -> R,
) -> Result<R, JsonError> {
    let (text, bom) = input.into().text()?;
    let mut cx = context_for_text(mode, bom);
    let mut reader = Reader::new(text);
    let decoded = T::from_json(reader.root(), &mut cx);
    reader.finish()?;
    Ok(match &decoded {
        Some(model) => check(model, cx),
        None => {
            cx.taint();
            check(&T::placeholder(), cx)
        }
    })
}

fn context_for_text(mode: Mode, bom: bool) -> Context {
    let mut cx = Context::new(mode);
    if bom && mode == Mode::Request {
        // RFC 8259 §8.1: JSON text must not start with a BOM, and a reader
        // may ignore it. Windows and 1C editors write one; what ofdkit
        // sends is written anew, without it.
        cx.violate(
            catalog::BYTE_ORDER_MARK,
            "the text starts with a UTF-8 byte order mark (BOM), which JSON must not have (RFC 8259 §8.1); it is ignored, and what ofdkit sends has none",
            "текст начинается с метки порядка байтов UTF-8 (BOM), которой в JSON быть не должно (RFC 8259 §8.1); она пропущена, и ofdkit отправит запрос без неё",
        );
    }
    cx
}

fn decode_text<T: FromJson + Placeholder>(text: &str, cx: &mut Context) -> Result<T, JsonError> {
    let mut reader = Reader::new(text);
    let decoded = T::from_json(reader.root(), cx);
    reader.finish()?;
    Ok(match decoded {
        Some(model) => model,
        None => {
            cx.taint();
            T::placeholder()
        }
    })
}

/// Decodes a whole document of type `T` in `mode` from a binding's own
/// objects, read by `source`, and hands it to `check` where it was decoded
/// (see [`decode_json_in_place`]), with the source's extent. If the source
/// stops (a value it cannot hand over), what was decoded means nothing:
/// the binding reports why instead.
pub fn decode_source_in_place<'a, T: FromJson + Placeholder, R>(
    source: &'a mut (dyn Source<'a> + 'a),
    mode: Mode,
    check: impl FnOnce(&T, Context, json::Extent) -> R,
) -> R {
    let mut reader = Reader::of_source(source);
    let mut cx = Context::new(mode);
    let decoded = T::from_json(reader.root(), &mut cx);
    let extent = reader.source_extent().unwrap_or_default();
    match &decoded {
        Some(model) => check(model, cx, extent),
        None => {
            cx.taint();
            check(&T::placeholder(), cx, extent)
        }
    }
}

/// Decodes a `T` from a small value tree in `cx`'s mode: the serde bridges
/// of codes and other leaves, which get a tree from serde.
pub fn from_value<T: FromJson>(value: &Value<'_>, cx: &mut Context) -> Option<T> {
    let text = value.to_json_string();
    let mut reader = Reader::new(&text);
    let decoded = T::from_json(reader.root(), cx);
    // A tree always writes valid JSON; only one nested too deeply fails.
    reader.finish().ok()?;
    decoded
}

/// Decodes a whole document of type `T` in `mode` from a value tree (a
/// binding's object, a document already parsed), read in place.
pub fn decode_document<T: FromJson + Placeholder>(value: &Value<'_>, mode: Mode) -> (T, Context) {
    let mut source = TreeSource::new(value);
    let mut reader = Reader::of_source(&mut source);
    let mut cx = Context::new(mode);
    let decoded = T::from_json(reader.root(), &mut cx);
    drop(reader);
    if !source.stopped() {
        return match decoded {
            Some(model) => (model, cx),
            None => {
                cx.taint();
                (T::placeholder(), cx)
            }
        };
    }
    // Only a tree nested deeper than the reader allows gets here.
    cx = Context::new(mode);
    cx.violate(
        catalog::BAD_TYPE,
        format!("cannot be read: nesting deeper than {} levels", json::MAX_DEPTH),
        format!("не удаётся прочитать: вложенность глубже {} уровней", json::MAX_DEPTH),
    );
    cx.taint();
    (T::placeholder(), cx)
}

/// Deserializes a model through [`FromJson`], so that `serde` users get the
/// same exact reading and accepted spellings as ofdkit's own readers. It
/// takes the JSON text itself (`serde_json`'s `RawValue`), never a number
/// through `f64`: `1.0000000000000001` as a price is `too_precise`, as it is
/// for [`crate::ferma::ReceiptRequest::from_json_str`]. Hence it works with
/// `serde_json` only (`from_str`, `from_slice`, `from_reader`); other serde
/// formats get an error. A `serde_json::Value` has already read its numbers
/// through `f64`: give the text instead.
pub fn deserialize_via_json<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromJson + Placeholder,
{
    use serde::Deserialize;
    let raw = <Box<serde_json::value::RawValue>>::deserialize(deserializer).map_err(|e| {
        serde::de::Error::custom(format_args!(
            "ofdkit models read JSON text through serde_json only, so that no number passes through f64 ({e})"
        ))
    })?;
    let mut cx = Context::new(Mode::Response);
    let model = decode_text::<T>(raw.get(), &mut cx).map_err(serde::de::Error::custom)?;
    let errors: Vec<String> = cx.violations().iter().filter(|v| v.is_error()).map(|v| v.to_string()).collect();
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(serde::de::Error::custom(errors.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_members_are_written_back_as_a_tree_was() {
        let text = r#"{ "x" : {"a": "\u0416\/\b\u0001\u007f\"", "b": [1, -0, 1.50, 1e2, true, null]}, "y\n": [] }"#;
        let mut reader = Reader::new(text);
        let mut extra = Extra::default();
        if let Json::Object(mut entries) = reader.root().read() {
            while let Some((name, value)) = entries.next() {
                extra.push(&name, value);
            }
        }
        assert!(reader.finish().is_ok());
        let tree = json::parse(text).unwrap();
        assert_eq!(serde_json::to_string(&extra).unwrap(), serde_json::to_string(&tree).unwrap());
        assert_eq!(extra.len(), 2);
        assert_eq!(extra.get("y\n").unwrap().as_str(), "[]");
        let written = serde_json::to_string(tree.get("x").unwrap()).unwrap();
        assert_eq!(extra.get("x").unwrap().as_str(), written);
    }

    #[test]
    fn an_unread_value_is_still_checked() {
        // `Vec<u8>` gives up nowhere here; the point is that the member a
        // model skips is read to its end, errors included.
        let result = decode_json::<Vec<u8>>(&br#"[1, 2, {"a": [1, 2,]}]"#[..], Mode::Request);
        assert!(result.is_err());
    }
}
