//! The machinery every code table shares: the [`Code`] trait, the entry
//! metadata bindings iterate over, and the `code_table!` macro that writes
//! an enum and its table from one list, so that a value's wire form, number
//! and description cannot drift apart.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::context::{Context, Expected, Mode};
use crate::decode::{FromJson, Placeholder};
use crate::json::{Json, Node, Value};
use crate::validate::Validate;

/// How a table's values travel on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WireKind {
    /// As a JSON string (`"osn"`, `"RF_ID"`, `"001"`).
    String,
    /// As a JSON integer (`11`, `1070`).
    Integer,
}

/// One value of a code table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CodeEntry {
    /// The Rust variant name (`Kilogram`), also used by bindings.
    pub name: &'static str,
    /// The canonical wire form, as text (`"11"` for an integer table).
    pub wire: &'static str,
    /// The value's number where the spec gives one.
    pub number: Option<u32>,
    /// The fiscal data format (FFD) tag the spec gives for the value.
    pub tag: Option<u32>,
    /// Other spellings accepted when parsing.
    pub aliases: &'static [&'static str],
    /// The Russian description from the spec.
    pub description_ru: &'static str,
}

/// A whole code table, for bindings and the CLI to list.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CodeTable {
    /// The table's name (`measure`, `payment_object`, …).
    pub name: &'static str,
    /// Where the table comes from (`ferma-api §3.1.8`).
    pub source: &'static str,
    /// Whether values travel as JSON strings or numbers.
    pub wire_kind: WireKind,
    /// Every value, in the table's order.
    pub entries: &'static [CodeEntry],
}

impl CodeTable {
    /// The entry whose wire form, alias or number is `text`.
    pub fn lookup(&self, text: &str) -> Option<&'static CodeEntry> {
        self.entries.iter().find(|e| e.wire == text || e.aliases.contains(&text)).or_else(|| {
            let n: u32 = text.parse().ok()?;
            self.entries.iter().find(|e| e.number == Some(n))
        })
    }
}

/// A value of a code table.
pub trait Code: Copy + Eq + fmt::Debug + 'static {
    /// The table this value belongs to.
    const TABLE: &'static CodeTable;
    /// Every value, in the table's order.
    const ALL: &'static [Self];

    /// Position of this value in [`Code::ALL`] and the table's entries.
    fn index(self) -> usize;

    /// The value whose canonical wire form or documented alias is `text`.
    fn from_wire(text: &str) -> Option<Self>;

    /// This value's entry in the table.
    fn entry(self) -> &'static CodeEntry {
        &Self::TABLE.entries[self.index()]
    }

    /// The canonical wire form.
    fn wire(self) -> &'static str {
        self.entry().wire
    }

    /// The number the spec gives for this value, if any.
    fn number(self) -> Option<u32> {
        self.entry().number
    }

    /// The Russian description from the spec.
    fn description_ru(self) -> &'static str {
        self.entry().description_ru
    }

    /// The value with number `n`.
    fn from_number(n: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.number() == Some(n))
    }

    /// The value for any accepted spelling: wire form, alias or number.
    /// A number in text is its plain digits: the tables give `1`, never
    /// `01` or `+1`.
    fn parse_any(text: &str) -> Option<Self> {
        let plain_number =
            !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
        Self::from_wire(text)
            .or_else(|| plain_number.then(|| text.parse::<u32>().ok()).flatten().and_then(Self::from_number))
    }
}

/// The code a JSON number names, compared by value: 1, 1.0 and 1e0 are the
/// same JSON number, and the wire form sent is the table's own.
fn code_by_value<C: Code>(number: &str) -> Option<C> {
    match crate::decode::exact_integer(number) {
        crate::decode::ExactInteger::Integer(i) => u32::try_from(i).ok().and_then(C::from_number),
        crate::decode::ExactInteger::Fraction | crate::decode::ExactInteger::TooLarge => None,
    }
}

/// Decodes a code from a JSON string (wire form, alias or number in text)
/// or a JSON integer (its number).
pub fn decode_code<C: Code>(mut value: Node<'_, '_>, cx: &mut Context) -> Option<C> {
    // A binding's integer, with no text in between: its digits are its
    // text, for the message.
    if let Some(number) = value.read_integer() {
        let found = u32::try_from(number).ok().and_then(C::from_number);
        if found.is_none() {
            unknown_value::<C>(&number.to_string(), cx);
        }
        return found;
    }
    // Each arm takes its value: dropping the whole read value after a
    // match by reference was a call for every code.
    match value.read() {
        Json::String(s) => {
            let found = C::parse_any(&s);
            if found.is_none() {
                unknown_value::<C>(&Json::String(s).to_json_string(), cx);
            }
            found
        }
        Json::Number(n) => {
            let found = code_by_value(n.as_str());
            if found.is_none() {
                unknown_value::<C>(n.as_str(), cx);
            }
            found
        }
        other => {
            cx.bad_type(Expected::Code, &other);
            None
        }
    }
}

/// Reports a value (`got`, as JSON text) that is not in `C`'s table,
/// listing the allowed values when there are few enough to read.
pub fn unknown_value<C: Code>(got: &str, cx: &mut Context) {
    let table = C::TABLE;
    let (mut en, mut ru) = if table.entries.len() <= 12 {
        let allowed: Vec<&str> = table.entries.iter().map(|e| e.wire).collect();
        let allowed = allowed.join(", ");
        (
            format!("must be one of {allowed}; got {got}"),
            format!("должно быть одним из значений: {allowed}; передано {got}"),
        )
    } else {
        (
            format!("must be a value of the {} table ({}); got {got}", table.name, table.source),
            format!("должно быть значением справочника {} ({}); передано {got}", table.name, table.source),
        )
    };
    if let Some(hint) = crate::ferma::atol::value_hint(table.name, got) {
        en = format!("{en}. {}", hint.en);
        ru = format!("{ru}. {}", hint.ru);
    }
    cx.violate(crate::catalog::UNKNOWN_VALUE, en, ru);
}

/// A code read from a server's answer: a value the table knows, or one it
/// does not yet (the server is newer than the spec), kept as sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Lenient<C> {
    /// A value the table knows.
    Known(C),
    /// A value it does not know, as sent.
    Unknown(Value<'static>),
}

impl<C: Code> Lenient<C> {
    /// The value, if the table knows it.
    pub fn known(&self) -> Option<C> {
        match self {
            Lenient::Known(c) => Some(*c),
            Lenient::Unknown(_) => None,
        }
    }
}

impl<C: Code> FromJson for Lenient<C> {
    fn from_json(value: Node<'_, '_>, _cx: &mut Context) -> Option<Self> {
        let read = value.read();
        let known = match &read {
            Json::String(s) => C::parse_any(s),
            Json::Number(n) => code_by_value(n.as_str()),
            _ => None,
        };
        Some(known.map_or_else(|| Lenient::Unknown(read.into_value()), Lenient::Known))
    }
}

impl<C> Placeholder for Lenient<C> {
    fn placeholder() -> Self {
        Lenient::Unknown(Value::Null)
    }
}

impl<C> Validate for Lenient<C> {
    const LEAF: bool = true;
}

/// Counted through `serde`: an answer's code, never in a request.
impl<C: Serialize> crate::json::WireLength for Lenient<C> {
    fn wire_chars(&self) -> usize {
        // A code or a kept value: serde_json writes either.
        let chars = crate::json::compact_chars(self);
        debug_assert!(chars.is_some(), "serde_json cannot write a kept code");
        chars.unwrap_or_default()
    }
}

impl<C: Serialize> Serialize for Lenient<C> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Lenient::Known(c) => c.serialize(serializer),
            Lenient::Unknown(v) => v.serialize(serializer),
        }
    }
}

impl<'de, C: Code> Deserialize<'de> for Lenient<C> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let mut cx = Context::new(Mode::Response);
        Ok(crate::decode::from_value::<Lenient<C>>(&value, &mut cx).unwrap_or(Lenient::Unknown(value)))
    }
}

/// Writes a code table: the enum, its [`Code`] impl, its [`CodeTable`],
/// serde, `FromJson`, `Display` and `FromStr`.
///
/// ```ignore
/// code_table! {
///     /// Doc of the enum.
///     pub enum Sno: "sno", "ferma-api §3.1 table 3.2, tag 1055", string {
///         Osn = "osn" => "общая СН",
///         // optional: number = N, tag = N, aliases = ["…"]
///     }
/// }
/// code_table! {
///     pub enum Measure: "measure", "ferma-api §3.1.8", integer {
///         Piece = 0 => "…",
///     }
/// }
/// ```
macro_rules! code_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $table:literal, $source:literal, string {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal
                    $(, number = $number:literal)?
                    $(, tag = $tag:literal)?
                    $(, aliases = [$($alias:literal),* $(,)?])?
                    => $ru:literal
            ),+ $(,)?
        }
    ) => {
        $crate::codes::table::code_table!(@enum
            $(#[$meta])* $name, $table, $source, String,
            $( $(#[$vmeta])* $variant, $wire, [$($number)?], [$($tag)?], [$($($alias),*)?], $ru; )+
        );

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::codes::Code::wire(*self))
            }
        }

        impl $crate::json::WireLength for $name {
            fn wire_chars(&self) -> usize {
                // Each wire form's length, counted when compiled: no wire
                // form needs an escape (a test checks every table).
                match self {
                    $( $name::$variant => const { $crate::json::unescaped_string_chars($wire) }, )+
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $table:literal, $source:literal, integer {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $number:literal
                    $(, tag = $tag:literal)?
                    $(, aliases = [$($alias:literal),* $(,)?])?
                    => $ru:literal
            ),+ $(,)?
        }
    ) => {
        $crate::codes::table::code_table!(@enum
            $(#[$meta])* $name, $table, $source, Integer,
            $( $(#[$vmeta])* $variant, stringify!($number), [$number], [$($tag)?], [$($($alias),*)?], $ru; )+
        );

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                // Every value of an integer table has its number.
                s.serialize_u32($crate::codes::Code::number(*self).unwrap_or_default())
            }
        }

        impl $crate::json::WireLength for $name {
            fn wire_chars(&self) -> usize {
                $crate::json::WireLength::wire_chars(&$crate::codes::Code::number(*self).unwrap_or_default())
            }
        }
    };
    (@enum
        $(#[$meta:meta])* $name:ident, $table:literal, $source:literal, $kind:ident,
        $( $(#[$vmeta:meta])* $variant:ident, $wire:expr, [$($number:literal)?], [$($tag:literal)?], [$($alias:literal),*], $ru:literal; )+
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = $ru] $variant, )+
        }

        impl $crate::codes::Code for $name {
            // One static, so that the table is in the binary once: a
            // constant is copied into every crate that uses it (the
            // WebAssembly module carried each table twice).
            const TABLE: &'static $crate::codes::CodeTable = {
                static TABLE: $crate::codes::CodeTable = $crate::codes::CodeTable {
                name: $table,
                source: $source,
                wire_kind: $crate::codes::WireKind::$kind,
                entries: &[$(
                    $crate::codes::CodeEntry {
                        name: stringify!($variant),
                        wire: $wire,
                        number: $crate::codes::table::code_table!(@opt $($number)?),
                        tag: $crate::codes::table::code_table!(@opt $($tag)?),
                        aliases: &[$($alias),*],
                        description_ru: $ru,
                    },
                )+],
            };
                &TABLE
            };
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn index(self) -> usize {
                self as usize
            }

            fn from_wire(text: &str) -> Option<Self> {
                $( if text == $wire $(|| text == $alias)* { return Some($name::$variant); } )+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::codes::Code::wire(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::codes::Code>::parse_any(s)
                    .ok_or_else(|| $crate::codes::UnknownCode {
                        table: <$name as $crate::codes::Code>::TABLE,
                        value: s.to_owned(),
                    })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = $crate::json::Value::deserialize(d)?;
                let mut cx = $crate::context::Context::new($crate::context::Mode::Response);
                $crate::decode::from_value::<$name>(&value, &mut cx).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "{} is not a value of the {} table", value, $table
                    ))
                })
            }
        }

        impl $crate::decode::FromJson for $name {
            fn from_json(
                value: $crate::json::Node<'_, '_>,
                cx: &mut $crate::context::Context,
            ) -> Option<Self> {
                $crate::codes::table::decode_code(value, cx)
            }
        }

        impl $crate::decode::Placeholder for $name {
            fn placeholder() -> Self {
                <$name as $crate::codes::Code>::ALL[0]
            }
        }

        impl $crate::validate::Validate for $name {
            const LEAF: bool = true;
        }

        impl $crate::schema::Describe for $name {
            fn schema(_: &mut $crate::schema::SchemaGenerator) -> $crate::schema::SchemaValue {
                $crate::schema::code_schema::<$name>()
            }
        }
    };
    (@opt) => { None };
    (@opt $v:literal) => { Some($v) };
}

pub(crate) use code_table;

/// A value that is in none of a table's spellings; its message lists the
/// table's values (or names the table when it has many), so a binding
/// never writes its own list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode {
    /// The table the value was looked up in.
    pub table: &'static CodeTable,
    /// The value, as given.
    pub value: String,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a value of the {} table", self.value, self.table.name)?;
        if self.table.entries.len() <= 16 {
            let names: Vec<&str> = self.table.entries.iter().map(|e| e.wire).collect();
            write!(f, " ({})", names.join(", "))
        } else {
            write!(f, " ({})", self.table.source)
        }
    }
}

impl std::error::Error for UnknownCode {}

impl PartialEq for CodeTable {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for CodeTable {}
