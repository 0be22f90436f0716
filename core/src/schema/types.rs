//! The schemas of the leaf types: strings, integers, booleans, money and
//! quantities, the specs' date formats, code tables, and any JSON.

use serde_json::{json, Value};

use super::{portable_pattern, Describe, SchemaGenerator};
use crate::codes::{Code, WireKind};
use crate::json::Value as JsonValue;

impl Describe for String {
    fn schema(_: &mut SchemaGenerator) -> Value {
        json!({ "type": "string" })
    }
}

impl Describe for bool {
    fn schema(_: &mut SchemaGenerator) -> Value {
        json!({ "type": "boolean" })
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Describe for $t {
            fn schema(_: &mut SchemaGenerator) -> Value {
                // JSON Schema's integer is any number without a fraction
                // (7.0 too), as the core reads integers.
                json!({ "type": "integer", "minimum": <$t>::MIN, "maximum": <$t>::MAX })
            }
        }
    )*};
}

integers!(u8, u16, u32, u64, i32, i64);

impl<T: Describe> Describe for Vec<T> {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        json!({ "type": "array", "items": T::schema(gen) })
    }
}

impl<T: Describe> Describe for Option<T> {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        T::schema(gen)
    }
}

impl<T: Describe> Describe for Box<T> {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        T::schema(gen)
    }
}

impl Describe for JsonValue<'static> {
    fn schema(_: &mut SchemaGenerator) -> Value {
        json!({})
    }
}

/// The text of a decimal the core reads as money: digits, a fraction and
/// an exponent, spaces around allowed; a minus only for zero.
const DECIMAL_TEXT: &str = r"^\s*(\+?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|-0+(\.0+)?([eE][+-]?[0-9]+)?)\s*$";

/// Money or a quantity: a JSON number in range with at most `scale`
/// decimals, or a decimal string.
pub fn decimal_schema(max: &str, scale: u32, what: &str) -> Value {
    let step = format!("0.{}1", "0".repeat(scale as usize - 1));
    json!({
        "description": what,
        "anyOf": [
            { "type": "number", "minimum": 0, "maximum": decimal_number(max), "multipleOf": decimal_number(&step) },
            { "type": "string", "pattern": portable_pattern(DECIMAL_TEXT) }
        ]
    })
}

/// A decimal literal as a JSON number, exactly as written.
pub fn decimal_number(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl Describe for crate::money::Amount {
    fn schema(_: &mut SchemaGenerator) -> Value {
        decimal_schema(
            "99999999.99",
            2,
            "Rubles: at most 8 integer and 2 fraction digits, never negative; a JSON number or a decimal string.",
        )
    }
}

impl Describe for crate::money::Quantity {
    fn schema(_: &mut SchemaGenerator) -> Value {
        decimal_schema(
            "99999.999",
            3,
            "A quantity or weight: at most 5 integer and 3 fraction digits, never negative; a JSON number or a decimal string.",
        )
    }
}

/// A date type's accepted text: the documented form and the lenient ones
/// the core reads with a warning.
macro_rules! date_schemas {
    ($($t:ty => $pattern:literal, $format:literal;)*) => {$(
        impl Describe for $t {
            fn schema(_: &mut SchemaGenerator) -> Value {
                json!({
                    "type": "string",
                    "pattern": portable_pattern($pattern),
                    "description": concat!("Written ", $format, "."),
                })
            }
        }
    )*};
}

date_schemas! {
    crate::datetime::DateTime => r"^\s*[0-9]{2}[.-][0-9]{2}[.-]([0-9]{2}|[0-9]{4}) [0-9]{2}:[0-9]{2}:[0-9]{2}\s*$", "dd.mm.yyyy HH:MM:SS";
    crate::datetime::Date => r"^\s*[0-9]{2}\.[0-9]{2}\.([0-9]{2}|[0-9]{4})( [0-9]{2}:[0-9]{2}:[0-9]{2})?\s*$", "dd.mm.yyyy";
    crate::datetime::ShortDate => r"^\s*[0-9]{2}\.[0-9]{2}\.([0-9]{2}|[0-9]{4})\s*$", "dd.mm.yy";
    crate::datetime::IsoDate => r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$", "yyyy-mm-dd";
    crate::datetime::IsoDateTime => r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?\s*$", "yyyy-mm-ddTHH:MM:SS[.fffffff]";
    crate::datetime::DateTimeMinutes => r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}\s*$", "yyyy-mm-dd HH:MM";
    crate::datetime::TimeSpan => r"^\s*([0-9]+\.)?[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?\s*$", "[d.]hh:mm:ss[.fffffff]";
}

/// A code table: every spelling the core accepts (the wire form, the
/// documented aliases, the number as a JSON integer and as text), with the
/// spec's Russian description of each, which editors show.
pub fn code_schema<C: Code>() -> Value {
    let table = C::TABLE;
    let mut values: Vec<Value> = Vec::new();
    let mut descriptions: Vec<Value> = Vec::new();
    let mut push = |value: Value, description: &str| {
        if !values.contains(&value) {
            values.push(value);
            descriptions.push(Value::String(description.to_owned()));
        }
    };
    for entry in table.entries {
        let wire = match table.wire_kind {
            WireKind::String => Value::String(entry.wire.to_owned()),
            WireKind::Integer => decimal_number(entry.wire),
        };
        push(wire, entry.description_ru);
        if let Some(n) = entry.number {
            push(json!(n), entry.description_ru);
            push(json!(n.to_string()), entry.description_ru);
        }
        for alias in entry.aliases {
            push(json!(alias), entry.description_ru);
        }
    }
    json!({
        "description": format!("A value of the {} table ({}).", table.name, table.source),
        "enum": values,
        "enumDescriptions": descriptions,
        "x-ofdkit-code-table": table.name,
    })
}
