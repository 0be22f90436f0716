//! The length in characters of a value's compact JSON, as
//! `serde_json::to_string(value)` writes it, without writing it, for any
//! `Serialize` value: what [`super::WireLength`] falls back on for the few
//! values that write themselves in their own way (dates, raw JSON), and
//! what its tests check the models' counts against.
//!
//! Every rule of `serde_json`'s compact writer is mirrored here: strings
//! with its escapes (`\"`, `\\`, the short escapes of `\b \f \n \r \t`,
//! `\u00XX` for the other control characters), floats as it formats them
//! (by asking it, for the few there are), `null` for `None`, units and
//! non-finite floats, variants as `{"name":value}`, map keys quoted, and
//! its raw values (`RawValue`) verbatim. A test checks the count against
//! `serde_json` on every shape the models use.

use serde::ser::{self, Serialize};

use super::text_chars::{decimal_digits, integer_chars, string_chars};

/// `serde_json::to_string(value)?.chars().count()`, or `None` where it
/// cannot tell: where `serde_json` would fail (a map key it cannot write),
/// and for a float map key, which no model has.
pub fn compact_chars<T: Serialize + ?Sized>(value: &T) -> Option<usize> {
    let mut counter = Counter { chars: 0 };
    value.serialize(&mut counter).ok()?;
    Some(counter.chars)
}

/// `serde_json`'s name for a raw value's struct (`RawValue`).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

struct Counter {
    chars: usize,
}

#[derive(Debug)]
struct CountError;

impl std::fmt::Display for CountError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("serde_json cannot write this value")
    }
}

impl std::error::Error for CountError {}

impl ser::Error for CountError {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        CountError
    }
}

/// A float as `serde_json` writes it: asked of `serde_json` itself, so
/// the shortest round-trip digits are the same ones.
fn float_chars(value: f64) -> usize {
    if !value.is_finite() {
        return 4; // null
    }
    if let Some(chars) = kopeck_float_chars(value) {
        return chars;
    }
    let mut buffer = [0u8; 40];
    let mut free: &mut [u8] = &mut buffer;
    let before = free.len();
    // A finite f64 takes at most 24 bytes.
    let _ = serde_json::to_writer(&mut free, &value);
    before - free.len()
}

/// Money is written as the float of whole kopecks over 100. For those,
/// the shortest digits that read back as the same float are the kopecks'
/// own decimal digits (any two decimals of at most 15 significant digits
/// are different floats), so the length follows from the kopecks: `249.9`,
/// `0.05`, and `300.0` for a whole amount. Elsewhere `None`.
fn kopeck_float_chars(value: f64) -> Option<usize> {
    // Never NaN: `value` is finite, so this is finite or infinite.
    let scaled = value * 100.0;
    // Below 10^13 rubles: at most 15 digits, and no exponent is written.
    if scaled.abs() >= 1e15 {
        return None;
    }
    // `scaled.round()` without the call into libm: below 2^53 the part
    // after the point is exact, so rounding half away from zero is the
    // truncation moved one step where that part is at least a half.
    #[allow(clippy::cast_possible_truncation)] // below 10^15, checked above: exact in i64
    let truncated = scaled as i64;
    #[allow(clippy::cast_precision_loss)] // below 2^53: exact
    let fraction = scaled - truncated as f64;
    let kopecks = if fraction >= 0.5 {
        truncated + 1
    } else if fraction <= -0.5 {
        truncated - 1
    } else {
        truncated
    };
    #[allow(clippy::cast_precision_loss)] // below 2^53: exact
    if kopecks == 0 || kopecks.unsigned_abs() >= 1_000_000_000_000_000 || kopecks as f64 / 100.0 != value {
        return None;
    }
    let magnitude = kopecks.unsigned_abs();
    let rubles = decimal_digits(magnitude / 100);
    let fraction = match magnitude % 100 {
        0 => 2,                        // ".0"
        cents if cents % 10 == 0 => 2, // ".5"
        _ => 3,                        // ".05", ".25"
    };
    Some(usize::from(kopecks < 0) + rubles + fraction)
}

impl Counter {
    fn add(&mut self, chars: usize) {
        self.chars += chars;
    }
}

/// A sequence, map or struct being counted (its brackets already are).
struct Compound<'a> {
    counter: &'a mut Counter,
    /// No element yet, so no comma before the next.
    first: bool,
    /// `serde_json`'s raw value: its one field is JSON text, written as is.
    raw: bool,
}

impl Compound<'_> {
    fn element(&mut self) {
        if !self.first {
            self.counter.add(1);
        }
        self.first = false;
    }
}

impl<'a> ser::Serializer for &'a mut Counter {
    type Ok = ();
    type Error = CountError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), CountError> {
        self.add(if v { 4 } else { 5 });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), CountError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), CountError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), CountError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), CountError> {
        self.add(integer_chars(v < 0, v.unsigned_abs().into()));
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), CountError> {
        self.add(integer_chars(v < 0, v.unsigned_abs()));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), CountError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), CountError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), CountError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), CountError> {
        self.add(integer_chars(false, v.into()));
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), CountError> {
        self.add(integer_chars(false, v));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), CountError> {
        if !v.is_finite() {
            self.add(4);
            return Ok(());
        }
        let mut buffer = [0u8; 40];
        let mut free: &mut [u8] = &mut buffer;
        let before = free.len();
        let _ = serde_json::to_writer(&mut free, &v);
        self.add(before - free.len());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), CountError> {
        self.add(float_chars(v));
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), CountError> {
        self.add(string_chars(v.encode_utf8(&mut [0; 4])));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CountError> {
        self.add(string_chars(v));
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CountError> {
        // An array of numbers.
        let digits: usize = v.iter().map(|&b| integer_chars(false, b.into())).sum();
        self.add(2 + digits + v.len().saturating_sub(1));
        Ok(())
    }
    fn serialize_none(self) -> Result<(), CountError> {
        self.add(4);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), CountError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CountError> {
        self.add(4);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CountError> {
        self.add(4);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CountError> {
        self.add(string_chars(variant));
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), CountError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), CountError> {
        // {"variant":value}
        self.add(string_chars(variant) + 3);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, CountError> {
        self.add(2);
        Ok(Compound { counter: self, first: true, raw: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, CountError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, CountError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, CountError> {
        // {"variant":[...]}
        self.add(string_chars(variant) + 3 + 2);
        Ok(Compound { counter: self, first: true, raw: false })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, CountError> {
        self.add(2);
        Ok(Compound { counter: self, first: true, raw: false })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'a>, CountError> {
        if name == RAW_VALUE_TOKEN {
            return Ok(Compound { counter: self, first: true, raw: true });
        }
        self.add(2);
        Ok(Compound { counter: self, first: true, raw: false })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, CountError> {
        // {"variant":{...}}
        self.add(string_chars(variant) + 3 + 2);
        Ok(Compound { counter: self, first: true, raw: false })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CountError> {
        self.element();
        value.serialize(&mut *self.counter)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CountError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CountError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CountError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CountError> {
        self.element();
        key.serialize(KeyCounter { counter: &mut *self.counter })?;
        self.counter.add(1); // ':'
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CountError> {
        value.serialize(&mut *self.counter)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), CountError> {
        if self.raw {
            // The raw JSON text, as it is.
            return value.serialize(RawCounter { counter: &mut *self.counter });
        }
        self.element();
        self.counter.add(string_chars(key) + 1);
        value.serialize(&mut *self.counter)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = CountError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), CountError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), CountError> {
        Ok(())
    }
}

/// A map key: `serde_json` writes strings as they are and numbers, bools
/// and chars in quotes; anything else it refuses.
struct KeyCounter<'a> {
    counter: &'a mut Counter,
}

/// A raw value's text, counted as it is.
struct RawCounter<'a> {
    counter: &'a mut Counter,
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), CountError> {
            Err(CountError)
        })*
    };
}

macro_rules! refuse_compounds {
    () => {
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), CountError> {
            Err(CountError)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), CountError> {
            Err(CountError)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
        fn serialize_tuple(self, _: usize) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<ser::Impossible<(), CountError>, CountError> {
            Err(CountError)
        }
    };
}

impl ser::Serializer for KeyCounter<'_> {
    type Ok = ();
    type Error = CountError;
    type SerializeSeq = ser::Impossible<(), CountError>;
    type SerializeTuple = ser::Impossible<(), CountError>;
    type SerializeTupleStruct = ser::Impossible<(), CountError>;
    type SerializeTupleVariant = ser::Impossible<(), CountError>;
    type SerializeMap = ser::Impossible<(), CountError>;
    type SerializeStruct = ser::Impossible<(), CountError>;
    type SerializeStructVariant = ser::Impossible<(), CountError>;

    fn serialize_str(self, v: &str) -> Result<(), CountError> {
        self.counter.add(string_chars(v));
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), CountError> {
        self.counter.add(string_chars(v.encode_utf8(&mut [0; 4])));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), CountError> {
        self.counter.add(2 + if v { 4 } else { 5 });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), CountError> {
        self.serialize_i128(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), CountError> {
        self.serialize_i128(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), CountError> {
        self.serialize_i128(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), CountError> {
        self.serialize_i128(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<(), CountError> {
        self.counter.add(2 + integer_chars(v < 0, v.unsigned_abs()));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), CountError> {
        self.serialize_u128(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), CountError> {
        self.serialize_u128(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), CountError> {
        self.serialize_u128(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), CountError> {
        self.serialize_u128(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<(), CountError> {
        self.counter.add(2 + integer_chars(false, v));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), CountError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, _: f64) -> Result<(), CountError> {
        // Rare enough (no model has float keys) to be left to serde_json.
        Err(CountError)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CountError> {
        self.counter.add(string_chars(variant));
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), CountError> {
        value.serialize(self)
    }
    refuse!(serialize_bytes(&[u8]), serialize_none(), serialize_unit(), serialize_unit_struct(&'static str));
    refuse_compounds!();
}

impl ser::Serializer for RawCounter<'_> {
    type Ok = ();
    type Error = CountError;
    type SerializeSeq = ser::Impossible<(), CountError>;
    type SerializeTuple = ser::Impossible<(), CountError>;
    type SerializeTupleStruct = ser::Impossible<(), CountError>;
    type SerializeTupleVariant = ser::Impossible<(), CountError>;
    type SerializeMap = ser::Impossible<(), CountError>;
    type SerializeStruct = ser::Impossible<(), CountError>;
    type SerializeStructVariant = ser::Impossible<(), CountError>;

    fn serialize_str(self, v: &str) -> Result<(), CountError> {
        self.counter.add(v.chars().count());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), CountError> {
        value.serialize(self)
    }
    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), CountError> {
        Err(CountError)
    }
    refuse_compounds!();
}

#[cfg(test)]
mod tests {
    use super::compact_chars;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn agrees<T: Serialize + ?Sized>(value: &T) {
        let written = serde_json::to_string(value).unwrap();
        assert_eq!(compact_chars(value), Some(written.chars().count()), "{written}");
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        New(u8),
        Tuple(i32, String),
        Struct { a: Option<f64>, b: Vec<bool> },
    }

    #[derive(Serialize)]
    struct Document {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        shapes: Vec<Shape>,
        unit: (),
        empty: Vec<u8>,
        raw: Box<serde_json::value::RawValue>,
        keys: BTreeMap<i64, char>,
        bytes: serde_bytes_like::Bytes,
    }

    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    #[test]
    fn counts_what_serde_json_writes() {
        for text in ["", "plain", "Чай зелёный, 100 г", "q\"b\\s/", "\u{0}\u{8}\u{c}\n\r\t\u{1f}\u{7f}", "😀 é"]
        {
            agrees(text);
        }
        for number in [0.0, -0.0, 0.1, 249.9, 1e16, 1.5e-7, f64::MAX, f64::MIN_POSITIVE, f64::NAN, f64::INFINITY] {
            agrees(&number);
        }
        for number in [0i64, 9, 10, -1, -10, i64::MIN, i64::MAX] {
            agrees(&number);
        }
        agrees(&u64::MAX);
        agrees(&i128::MIN);
        agrees(&1.5f32);
        agrees(&'"');
        agrees(&Document {
            name: "x\ty".to_owned(),
            skipped: None,
            none: None,
            shapes: vec![
                Shape::Unit,
                Shape::New(7),
                Shape::Tuple(-3, "т".to_owned()),
                Shape::Struct { a: Some(0.3), b: vec![true, false] },
                Shape::Struct { a: None, b: vec![] },
            ],
            unit: (),
            empty: vec![],
            raw: serde_json::value::RawValue::from_string(r#"{"a": [1, "ё"]}"#.to_owned()).unwrap(),
            keys: [(-12, 'ж'), (3, '\n')].into_iter().collect(),
            bytes: serde_bytes_like::Bytes(vec![0, 10, 255]),
        });
        agrees(&BTreeMap::from([(true, 1)]));
        agrees(&BTreeMap::from([("k\"", vec![(); 2])]));
    }

    #[test]
    fn counts_money_floats_as_serde_json_writes_them() {
        let mut kopecks: Vec<i64> = (-2_000..=20_000).collect();
        for power in 3..=15 {
            let edge = 10i64.pow(power);
            kopecks.extend([edge - 1, edge, edge + 1, edge + 5, edge + 10, edge + 99]);
        }
        for k in (1..1_000_000_000_000i64).step_by(9_999_999_937) {
            kopecks.push(k);
        }
        for k in kopecks {
            #[allow(clippy::cast_precision_loss)] // below 2^53: exact
            let value = k as f64 / 100.0;
            agrees(&value);
            agrees(&-value);
        }
        for odd in [0.001, 0.125, 1.0 / 3.0, 0.1 + 0.2, 1e-7, 123456.789, 9.999999999999999e14] {
            agrees(&odd);
        }
    }

    #[test]
    fn refuses_where_serde_json_does() {
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert!(serde_json::to_string(&map).is_err());
        assert_eq!(compact_chars(&map), None);
    }
}
