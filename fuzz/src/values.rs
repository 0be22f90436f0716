//! Text that becomes a number or a date: decimal text, money and
//! quantities (ferma-api table 3.3), and the specs' date and time formats.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use ofdkit::datetime::{Date, DateTime, DateTimeMinutes, IsoDate, IsoDateTime, Parsed, ShortDate, TimeSpan};
use ofdkit::money::{Amount, MoneyError, Quantity};
use ofdkit::parse_decimal;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Decimal text, and the same text as an [`Amount`] and a [`Quantity`]:
/// what reads is exact (the value is the decimal the text says, never
/// rounded), within its limits, and survives its text and its JSON form
/// (written through `f64`) without losing a kopeck.
pub fn money(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(decimal) = parse_decimal(text) {
        assert_eq!(parse_decimal(&decimal.to_string()), Ok(decimal), "{text:?} does not survive its text");
    }
    exact::<Amount>(text, Amount::MAX, Amount::to_decimal);
    exact::<Quantity>(text, Quantity::MAX, Quantity::to_decimal);
}

fn exact<T>(text: &str, max: T, to_decimal: fn(T) -> Decimal)
where
    T: FromStr<Err = MoneyError> + Display + Debug + Copy + PartialOrd + Serialize + DeserializeOwned,
{
    let value = match text.parse::<T>() {
        Ok(value) => value,
        Err(MoneyError::Syntax) => {
            assert!(parse_decimal(text.trim()).is_err(), "{text:?} is decimal text, yet a syntax error");
            return;
        }
        Err(_) => return,
    };
    assert!(value <= max, "{text:?} read as {value}, above the maximum");
    let decimal = parse_decimal(text.trim()).unwrap_or_else(|_| panic!("{text:?} read, but is not decimal text"));
    assert_eq!(to_decimal(value), decimal, "{text:?} was rounded to {value}");
    assert_eq!(value.to_string().parse::<T>(), Ok(value), "{value} does not survive its text");
    let json = serde_json::to_string(&value).expect("money always writes");
    let written = parse_decimal(&json).unwrap_or_else(|_| panic!("{value} writes as {json}"));
    assert_eq!(written, decimal, "{value} written as {json} lost a digit");
    let read: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(read, value, "{json} reads back as another value");
}

/// The same text as each of the specs' date and time formats: what reads
/// is written in the canonical format, which reads back to the same value,
/// in Rust and in JSON; a date and time survives the trip to Unix seconds.
pub fn dates(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(value) = round_trip(text, DateTime::parse_lenient) {
        for offset in [0, 3 * 3600, -12 * 3600, 14 * 3600] {
            let seconds = value.to_unix(offset);
            assert_eq!(DateTime::from_unix(seconds, offset), Some(value), "{value} at UTC{offset:+}s");
        }
        let epoch = DateTime::new(1970, 1, 1, 0, 0, 0).expect("a date");
        assert_eq!(epoch.seconds_until(&value), value.to_unix(0), "seconds from 1970 to {value}");
    }
    round_trip(text, Date::parse_lenient);
    round_trip(text, ShortDate::parse_lenient);
    round_trip(text, IsoDate::parse_lenient);
    if let Some(value) = round_trip(text, IsoDateTime::parse_lenient) {
        assert_eq!(round_trip(&value.to_datetime().to_string(), DateTime::parse_lenient), Some(value.to_datetime()));
    }
    round_trip(text, DateTimeMinutes::parse_lenient);
    round_trip(text, TimeSpan::parse_lenient);
}

fn round_trip<T>(text: &str, lenient: fn(&str) -> Option<Parsed<T>>) -> Option<T>
where
    T: FromStr + Display + Debug + PartialEq + Serialize + DeserializeOwned,
{
    let value = text.parse::<T>().ok()?;
    let canonical = value.to_string();
    match canonical.parse::<T>() {
        Ok(again) => assert_eq!(again, value, "{text:?} is written {canonical:?}, which reads as another value"),
        Err(_) => panic!("{text:?} is written {canonical:?}, which does not read"),
    }
    assert!(lenient(&canonical).is_some_and(|p| p.canonical), "{canonical:?} is not canonical");
    let json = serde_json::to_string(&value).expect("dates always write");
    let read: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(read, value, "{json} reads back as another value");
    Some(value)
}
