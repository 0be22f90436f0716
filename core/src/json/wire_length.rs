//! The length in characters of a value's compact JSON, as
//! `serde_json::to_string(value)` writes it, told by the value itself.
//!
//! The split rule (ferma-api §3.2) needs the length of every request over
//! its bound; counting it through `serde` ([`super::compact_chars`]) took a
//! sixth of checking a 200-item receipt, most of it in counting the member
//! names again for every item and formatting each amount as a float. A
//! model's length is written by `#[derive(Model)]` from the same wire
//! names as its `Serialize`, each name's length a constant; leaf values
//! count themselves (an amount from its units), and the rare values whose
//! writing is their own (dates, raw values, a server's unknown codes) are
//! counted through `serde`. The vector and property tests hold every
//! request's count to the JSON actually written.

use super::text_chars::{integer_chars, string_chars};

/// A value that knows the length of its compact JSON.
pub trait WireLength {
    /// `serde_json::to_string(self)?.chars().count()`.
    fn wire_chars(&self) -> usize;
}

/// Characters of `text` as a JSON string that needs no escape, quotes
/// included: its characters (UTF-8 leading bytes) and two.
pub(crate) const fn unescaped_string_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut chars, mut i) = (2, 0);
    while i < bytes.len() {
        if bytes[i] & 0xC0 != 0x80 {
            chars += 1;
        }
        i += 1;
    }
    chars
}

/// A member's name as a JSON object key, with its colon.
pub fn member_name_chars(name: &str) -> usize {
    string_chars(name) + 1
}

impl WireLength for str {
    fn wire_chars(&self) -> usize {
        string_chars(self)
    }
}

impl WireLength for String {
    fn wire_chars(&self) -> usize {
        string_chars(self)
    }
}

impl WireLength for bool {
    fn wire_chars(&self) -> usize {
        if *self {
            4
        } else {
            5
        }
    }
}

macro_rules! integer_wire_length {
    ($($t:ty),*) => {$(
        impl WireLength for $t {
            #[allow(unused_comparisons)] // unsigned types are never negative
            fn wire_chars(&self) -> usize {
                integer_chars(*self < 0, u128::from(self.unsigned_abs()))
            }
        }
    )*};
}

integer_wire_length!(i8, i16, i32, i64);

macro_rules! unsigned_wire_length {
    ($($t:ty),*) => {$(
        impl WireLength for $t {
            fn wire_chars(&self) -> usize {
                integer_chars(false, u128::from(*self))
            }
        }
    )*};
}

unsigned_wire_length!(u8, u16, u32, u64);

impl<T: WireLength + ?Sized> WireLength for Box<T> {
    fn wire_chars(&self) -> usize {
        (**self).wire_chars()
    }
}

impl<T: WireLength> WireLength for Option<T> {
    fn wire_chars(&self) -> usize {
        self.as_ref().map_or(4, WireLength::wire_chars)
    }
}

impl<T: WireLength> WireLength for Vec<T> {
    fn wire_chars(&self) -> usize {
        // Brackets and a comma between each two.
        2 + self.iter().map(WireLength::wire_chars).sum::<usize>() + self.len().saturating_sub(1)
    }
}

/// Counts the listed types through `serde`: values that write themselves
/// in their own way and are rare in a request.
macro_rules! wire_length_through_serde {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::json::WireLength for $t {
            fn wire_chars(&self) -> usize {
                // Only a map with a key serde_json cannot write has no
                // count; no model has one, and a debug build says so if
                // one ever does.
                let chars = $crate::json::compact_chars(self);
                debug_assert!(chars.is_some(), "serde_json cannot write a {}", stringify!($t));
                chars.unwrap_or_default()
            }
        }
    )*};
}

pub(crate) use wire_length_through_serde;

wire_length_through_serde!(super::Value<'_>, super::Number<'_>, super::RawJson);
