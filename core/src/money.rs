//! Money and quantities, exact to the kopeck and the thousandth.
//!
//! Ferma's table 3.3 limits every sum to at most 8 integer and 2 fraction
//! digits (price and item sum at most 42 949 672.95, which is 2³² − 1
//! kopecks) and quantities to 5 + 3 digits (at most 99 999.999); excise is
//! never negative. A value that does not fit is an error, never rounded.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog;
use crate::context::{Context, Expected};
use crate::decimal::{leading_power, parse_decimal, DecimalError};
use crate::decode::{FromJson, Placeholder};
use crate::json::{Json, Node, Value};
use crate::validate::{Check, Validate};

/// Why a number is not a valid [`Amount`] or [`Quantity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Not a decimal number.
    #[error("not a decimal number")]
    Syntax,
    /// Below zero.
    #[error("must not be negative")]
    Negative,
    /// Above the maximum.
    #[error("must be at most {max}")]
    TooLarge {
        /// The maximum, as text.
        max: &'static str,
    },
    /// More fraction digits than allowed.
    #[error("must have at most {digits} digits after the decimal point")]
    TooPrecise {
        /// How many are allowed.
        digits: u32,
    },
}

impl MoneyError {
    /// The same in Russian, for a front end whose users read Russian (the
    /// 1C add-in); the English is the `Display`.
    pub fn message_ru(&self) -> String {
        match self {
            MoneyError::Syntax => "не десятичное число".to_owned(),
            MoneyError::Negative => "не может быть отрицательной".to_owned(),
            MoneyError::TooLarge { max } => format!("должна быть не больше {max}"),
            MoneyError::TooPrecise { digits } => format!("не больше {digits} знаков после запятой"),
        }
    }
}

/// Powers of ten that `f64` holds exactly, for the conversion in `to_f64`.
const POW10: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];

/// The value in units of 10^-`scale` of plain decimal text (`249.9`,
/// `300`, `83.30`: digits, then a dot and digits), the way nearly every
/// amount is written, without decimal arithmetic. `None` for anything else
/// (a sign, an exponent, more fraction digits than `scale`, more than 12
/// integer digits), which the general reader then decides.
#[inline]
fn plain_units(text: &[u8], scale: u32) -> Option<i64> {
    // One pass with indices: the iterator adapters this was written with
    // cost twice the instructions on these few bytes.
    let digit = |i: usize| text[i].wrapping_sub(b'0');
    let (mut units, mut i) = (0i64, 0);
    // At most 13 integer digits are read, so that `units` cannot overflow
    // before more than 12 are refused.
    while i < text.len() && i <= 12 && digit(i) <= 9 {
        units = units * 10 + i64::from(digit(i));
        i += 1;
    }
    if i == 0 || i > 12 {
        return None;
    }
    let frac = match text.len() - i {
        0 => 0,
        rest if text[i] == b'.' && rest >= 2 && rest - 1 <= scale as usize => rest - 1,
        _ => return None,
    };
    for j in text.len() - frac..text.len() {
        if digit(j) > 9 {
            return None;
        }
        units = units * 10 + i64::from(digit(j));
    }
    for _ in frac..scale as usize {
        units *= 10;
    }
    Some(units)
}

macro_rules! decimal_quantity {
    (
        $(#[$doc:meta])*
        $name:ident, scale = $scale:literal, max_units = $max_units:literal, max_text = $max_text:literal,
        ru_name = $ru:literal, ru_negative = $ru_negative:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(i64);

        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(0);
            /// The largest value the spec allows.
            pub const MAX: $name = $name($max_units);
            /// Fraction digits kept: 2 for kopecks, 3 for thousandths.
            pub const SCALE: u32 = $scale;
            const FACTOR: i64 = 10i64.pow($scale);

            /// The value in its smallest units (kopecks or thousandths).
            pub const fn units(self) -> i64 {
                self.0
            }

            /// A value from its smallest units, checked against the limits.
            pub fn from_units(units: i64) -> Result<Self, MoneyError> {
                if units < 0 {
                    Err(MoneyError::Negative)
                } else if units > $max_units {
                    Err(MoneyError::TooLarge { max: $max_text })
                } else {
                    Ok($name(units))
                }
            }

            /// A value from a [`Decimal`], checked against the limits; never rounded.
            pub fn from_decimal(value: Decimal) -> Result<Self, MoneyError> {
                let value = value.normalize();
                if value.is_sign_negative() && !value.is_zero() {
                    return Err(MoneyError::Negative);
                }
                if value.scale() > $scale {
                    return Err(MoneyError::TooPrecise { digits: $scale });
                }
                let mut scaled = value;
                scaled.rescale($scale);
                let units: i64 = i64::try_from(scaled.mantissa())
                    .map_err(|_| MoneyError::TooLarge { max: $max_text })?;
                // Rescaling an integer part that does not fit loses digits.
                if Decimal::new(units, $scale) != value {
                    return Err(MoneyError::TooLarge { max: $max_text });
                }
                Self::from_units(units)
            }

            /// The value as a [`Decimal`].
            pub fn to_decimal(self) -> Decimal {
                Decimal::new(self.0, $scale)
            }

            /// The nearest `f64`. Exact enough to round-trip: every value has
            /// at most 10 significant digits, and any decimal of 15 or fewer
            /// significant digits is recovered by the shortest representation
            /// of its nearest `f64` (IEEE 754 binary64 has 15.95 digits).
            pub fn to_f64(self) -> f64 {
                // Both operands are exact in f64 (at most 10 digits, under
                // 2^53) and the division is correctly rounded, so this is
                // the nearest f64.
                #[allow(clippy::cast_precision_loss)]
                let units = self.0 as f64;
                units / POW10[$scale]
            }

            /// The sum, or `None` if it is above [`Self::MAX`].
            pub fn checked_add(self, other: Self) -> Option<Self> {
                Self::from_units(self.0.checked_add(other.0)?).ok()
            }

            /// The difference, or `None` if it is negative.
            pub fn checked_sub(self, other: Self) -> Option<Self> {
                Self::from_units(self.0.checked_sub(other.0)?).ok()
            }

            /// Whether it is zero.
            pub fn is_zero(self) -> bool {
                self.0 == 0
            }
        }

        impl FromStr for $name {
            type Err = MoneyError;
            fn from_str(s: &str) -> Result<Self, MoneyError> {
                // Numbers from JSON have no spaces to trim; `trim` walks a
                // generic pattern even then.
                let s = match (s.as_bytes().first(), s.as_bytes().last()) {
                    (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
                    _ => s.trim(),
                };
                if let Some(units) = plain_units(s.as_bytes(), $scale) {
                    return Self::from_units(units);
                }
                let d = parse_decimal(s).map_err(|e| match e {
                    DecimalError::Syntax => MoneyError::Syntax,
                    // Too many digits for a Decimal: too large if they
                    // start above the allowed integer digits, otherwise
                    // they run past the allowed fraction (`1e-400`,
                    // `799.800000000000000000000000001`).
                    DecimalError::OutOfRange => match leading_power(s) {
                        Some(p) if usize::try_from(p).map_or(true, |p| p < $max_text.find('.').unwrap_or(0)) => {
                            MoneyError::TooPrecise { digits: $scale }
                        }
                        _ => MoneyError::TooLarge { max: $max_text },
                    },
                })?;
                Self::from_decimal(d)
            }
        }

        impl TryFrom<Decimal> for $name {
            type Error = MoneyError;
            fn try_from(value: Decimal) -> Result<Self, MoneyError> {
                Self::from_decimal(value)
            }
        }

        impl From<$name> for Decimal {
            fn from(value: $name) -> Decimal {
                value.to_decimal()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let whole = self.0 / Self::FACTOR;
                let frac = self.0 % Self::FACTOR;
                write!(f, "{whole}.{frac:0width$}", width = $scale)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if self.0 % Self::FACTOR == 0 {
                    serializer.serialize_i64(self.0 / Self::FACTOR)
                } else {
                    serializer.serialize_f64(self.to_f64())
                }
            }
        }

        /// What `Serialize` writes: a whole value as an integer, any other
        /// as the float of its units, whose shortest digits are the units'
        /// own with the fraction's trailing zeros dropped (at most 10
        /// significant digits, so no other decimal is the same float).
        impl $crate::json::WireLength for $name {
            fn wire_chars(&self) -> usize {
                $crate::json::units_text_chars(self.0, $scale)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = Value::deserialize(deserializer)?;
                let text = match &value {
                    Value::Number(n) => n.as_str(),
                    Value::String(s) => s.as_ref(),
                    other => {
                        return Err(serde::de::Error::custom(format!(
                            "expected a number, got {}",
                            other.kind()
                        )))
                    }
                };
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl FromJson for $name {
            fn from_json(mut value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
                // A binding's exact number, with no text in between: the
                // same units, so the same checks as its text below.
                if let Some(units) = value.read_units($scale) {
                    return Self::from_units(units).map_err(|e| report(e, $ru, $ru_negative, cx)).ok();
                }
                let read = value.read();
                let (text, is_string) = match &read {
                    Json::Number(n) => (n.as_str(), false),
                    // Money from a form or a binding often arrives as text.
                    Json::String(s) => (s.as_ref(), true),
                    other => {
                        cx.bad_type(Expected::Money, other);
                        return None;
                    }
                };
                match text.parse::<$name>() {
                    Ok(v) => Some(v),
                    Err(MoneyError::Syntax) if is_string => {
                        cx.bad_format(
                            catalog::AMOUNT_SYNTAX,
                            "a decimal number with a dot, such as 1234.50",
                            "десятичным числом с точкой, например 1234.50",
                        );
                        None
                    }
                    Err(e) => {
                        report(e, $ru, $ru_negative, cx);
                        None
                    }
                }
            }
        }

        impl Placeholder for $name {
            fn placeholder() -> Self {
                $name::ZERO
            }
        }

        impl Validate for $name {
            const LEAF: bool = true;
        }
    };
}

fn report(error: MoneyError, ru_name: &str, ru_negative: &str, cx: &mut Context) {
    match error {
        MoneyError::Syntax => cx.bad_format(catalog::AMOUNT_SYNTAX, "a decimal number", "десятичным числом"),
        MoneyError::Negative => cx.violate(catalog::AMOUNT_NEGATIVE, "must not be negative", ru_negative),
        MoneyError::TooLarge { max } => {
            cx.violate(catalog::AMOUNT_MAX, format!("must be at most {max}"), format!("{ru_name}: не более {max}"))
        }
        MoneyError::TooPrecise { digits } => cx.violate(
            catalog::AMOUNT_PRECISION,
            format!("must have at most {digits} digits after the decimal point; ofdkit never rounds"),
            format!("{ru_name}: не более {digits} знаков после запятой; ofdkit не округляет"),
        ),
    }
}

decimal_quantity! {
    /// An amount of money in rubles: never negative, at most 8 integer and
    /// 2 fraction digits (99 999 999.99), stored in kopecks.
    ///
    /// ```
    /// use ofdkit::money::Amount;
    /// let price: Amount = "42949672.95".parse().unwrap();
    /// assert_eq!(price.units(), 4_294_967_295);
    /// assert!("0.001".parse::<Amount>().is_err()); // never rounded
    /// ```
    Amount, scale = 2, max_units = 9_999_999_999, max_text = "99999999.99", ru_name = "Сумма", ru_negative = "сумма не может быть отрицательной"
}

decimal_quantity! {
    /// A quantity or weight: never negative, at most 5 integer and 3
    /// fraction digits (99 999.999), stored in thousandths.
    ///
    /// ```
    /// use ofdkit::money::Quantity;
    /// let q: Quantity = "0.3".parse().unwrap();
    /// assert_eq!(q.units(), 300);
    /// ```
    Quantity, scale = 3, max_units = 99_999_999, max_text = "99999.999", ru_name = "Количество", ru_negative = "количество не может быть отрицательным"
}

impl Amount {
    /// The spec's maximum for an item's price and sum (table 3.3):
    /// 42 949 672.95, i.e. 2³² − 1 kopecks.
    pub const MAX_ITEM: Amount = Amount(4_294_967_295);

    /// An amount from whole kopecks.
    pub fn from_kopecks(kopecks: i64) -> Result<Self, MoneyError> {
        Self::from_units(kopecks)
    }

    /// The amount in kopecks.
    pub const fn kopecks(self) -> i64 {
        self.0
    }
}

impl Quantity {
    /// One piece.
    pub const ONE: Quantity = Quantity(1000);

    /// A quantity from whole thousandths (grams of a kilogram, …).
    pub fn from_thousandths(thousandths: i64) -> Result<Self, MoneyError> {
        Self::from_units(thousandths)
    }

    /// The quantity in thousandths.
    pub const fn thousandths(self) -> i64 {
        self.0
    }
}

/// Checks an amount against a field's own maximum (table 3.3: price and
/// item sum at most 42 949 672.95).
pub struct AtMost(pub Amount);

impl Check<Amount> for AtMost {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        // Applies to amounts written as numbers; a string's value is the core's to check.
        field.set("maximum", crate::schema::decimal_number(&self.0.to_string()));
    }

    fn check(&self, value: &Amount, cx: &mut Context) {
        if *value > self.0 {
            cx.violate(catalog::AMOUNT_MAX, format!("must be at most {}", self.0), format!("не более {}", self.0));
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_text_reads_as_the_decimal_route_does() {
        let too_large = |max| {
            move |e| match e {
                DecimalError::Syntax => MoneyError::Syntax,
                DecimalError::OutOfRange => MoneyError::TooLarge { max },
            }
        };
        let slow_amount =
            |s: &str| parse_decimal(s.trim()).map_err(too_large("99999999.99")).and_then(Amount::from_decimal);
        let slow_quantity =
            |s: &str| parse_decimal(s.trim()).map_err(too_large("99999.999")).and_then(Quantity::from_decimal);
        for text in [
            "0",
            "00",
            "7",
            "249.9",
            "249.90",
            "83.30",
            "300",
            "1.",
            ".5",
            "1.5.5",
            "99999999.99",
            "100000000",
            "42949672.95",
            "999999999999",
            "9999999999999",
            "0.001",
            "1.500",
            "1.234",
            "1.2345",
            " 12.5 ",
            "1e2",
            "-1",
            "-0",
            "+1",
            "1,5",
            "",
            ".",
            "01.10",
            "1.0000000000000001",
            "12a",
            "1.5a",
            "1.a5",
            "0000000000000",
            "000000000000.5",
            "99999999999999999999999",
            "1/5",
            "1:5",
        ] {
            assert_eq!(text.parse::<Amount>(), slow_amount(text), "{text:?}");
            assert_eq!(text.parse::<Quantity>(), slow_quantity(text), "{text:?}");
        }
    }
    use super::*;

    #[test]
    fn reads_the_limits_exactly() {
        assert_eq!("42949672.95".parse::<Amount>().unwrap(), Amount::MAX_ITEM);
        assert_eq!("99999999.99".parse::<Amount>().unwrap(), Amount::MAX);
        assert_eq!("100000000".parse::<Amount>(), Err(MoneyError::TooLarge { max: "99999999.99" }));
        assert_eq!("1e2".parse::<Amount>().unwrap().kopecks(), 10_000);
        assert_eq!("300.000".parse::<Amount>().unwrap().kopecks(), 30_000);
        assert_eq!("0.1".parse::<Amount>().unwrap().kopecks(), 10);
        assert_eq!("0.005".parse::<Amount>(), Err(MoneyError::TooPrecise { digits: 2 }));
        assert_eq!("-0.01".parse::<Amount>(), Err(MoneyError::Negative));
        assert_eq!("-0".parse::<Amount>().unwrap(), Amount::ZERO);
        assert_eq!("1e400".parse::<Amount>(), Err(MoneyError::TooLarge { max: "99999999.99" }));
        assert_eq!("99999.999".parse::<Quantity>().unwrap(), Quantity::MAX);
        assert_eq!("0.0001".parse::<Quantity>(), Err(MoneyError::TooPrecise { digits: 3 }));
        assert_eq!("100000".parse::<Quantity>(), Err(MoneyError::TooLarge { max: "99999.999" }));
    }

    /// The length the split rule counts is what serde_json writes, for
    /// every shape of fraction, the smallest values and the largest.
    #[test]
    fn wire_length_is_what_is_written() {
        use crate::json::WireLength;
        let edges = [Amount::MAX.units(), Amount::MAX_ITEM.units(), 999_999_999, 1_000_000_000, 4_294_967_296];
        for units in (0..100_000).chain((0..100_000).map(|i| i * 99_991)).chain(edges) {
            let amount = Amount::from_units(units).unwrap();
            assert_eq!(amount.wire_chars(), serde_json::to_string(&amount).unwrap().len(), "{amount}");
            if let Ok(quantity) = Quantity::from_units(units) {
                assert_eq!(quantity.wire_chars(), serde_json::to_string(&quantity).unwrap().len(), "{quantity}");
            }
        }
    }

    #[test]
    fn writes_json_numbers() {
        let json = |a: Amount| serde_json::to_string(&a).unwrap();
        assert_eq!(json("300".parse().unwrap()), "300");
        assert_eq!(json("0.1".parse().unwrap()), "0.1");
        assert_eq!(json("42949672.95".parse().unwrap()), "42949672.95");
        assert_eq!(json("99999999.99".parse().unwrap()), "99999999.99");
        assert_eq!(json("0.01".parse().unwrap()), "0.01");
        let q: Quantity = "0.001".parse().unwrap();
        assert_eq!(serde_json::to_string(&q).unwrap(), "0.001");
    }

    #[test]
    fn displays_fixed_point() {
        assert_eq!("300".parse::<Amount>().unwrap().to_string(), "300.00");
        assert_eq!("0.3".parse::<Quantity>().unwrap().to_string(), "0.300");
    }

    #[test]
    fn deserializes_through_serde() {
        let a: Amount = serde_json::from_str("1598.1").unwrap();
        assert_eq!(a.kopecks(), 159_810);
        let a: Amount = serde_json::from_str("\"12.30\"").unwrap();
        assert_eq!(a.kopecks(), 1230);
        assert!(serde_json::from_str::<Amount>("0.001").is_err());
    }
}
