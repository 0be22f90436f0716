//! A .NET `TimeSpan` as the OFD.ru API writes it: `Elapsed` is
//! `00:00:00.0475426`, optionally with days (`1.02:03:04.5`).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{digits, expect, DateError, Parsed};
use crate::context::{Context, Expected};
use crate::decode::{FromJson, Placeholder};
use crate::json::{Json, Node};
use crate::validate::Validate;

/// A duration written `[d.]hh:mm:ss[.fffffff]`, such as the time the
/// server took to answer (`Elapsed`). The fraction's width is kept, so it
/// is written back as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeSpan {
    duration: Duration,
    fraction_digits: u8,
}

impl TimeSpan {
    /// A span of `duration`, written with a seven-digit fraction when it has one.
    pub fn new(duration: Duration) -> Self {
        let fraction_digits = if duration.subsec_nanos() == 0 { 0 } else { 7 };
        TimeSpan { duration, fraction_digits }
    }

    /// The span as a [`Duration`].
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// Parses `[d.]hh:mm:ss[.fffffff]`, telling whether it was canonical.
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        // Optional whole days before a dot.
        let day_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let mut days = 0u64;
        if bytes.get(day_digits) == Some(&b'.') && day_digits > 0 && day_digits <= 8 {
            days = text[..day_digits].parse().ok()?;
            pos = day_digits + 1;
        }
        let hours = digits(bytes, &mut pos, 2)?;
        expect(bytes, &mut pos, b':')?;
        let minutes = digits(bytes, &mut pos, 2)?;
        expect(bytes, &mut pos, b':')?;
        let seconds = digits(bytes, &mut pos, 2)?;
        if hours > 23 || minutes > 59 || seconds > 59 {
            return None;
        }
        let mut nanos = 0u32;
        let mut fraction_digits = 0u8;
        if expect(bytes, &mut pos, b'.').is_some() {
            let start = pos;
            while let Some(b) = bytes.get(pos).filter(|b| b.is_ascii_digit()) {
                if fraction_digits < 9 {
                    nanos = nanos * 10 + u32::from(b - b'0');
                    fraction_digits += 1;
                }
                pos += 1;
            }
            if pos == start {
                return None;
            }
            nanos *= 10u32.pow(9 - u32::from(fraction_digits));
        }
        if pos != bytes.len() {
            return None;
        }
        let secs = days * 86_400 + u64::from(hours) * 3600 + u64::from(minutes) * 60 + u64::from(seconds);
        Some(Parsed { value: TimeSpan { duration: Duration::new(secs, nanos), fraction_digits }, canonical: true })
    }
}

impl fmt::Display for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.duration.as_secs();
        let (days, rest) = (secs / 86_400, secs % 86_400);
        if days > 0 {
            write!(f, "{days}.")?;
        }
        write!(f, "{:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60)?;
        if self.fraction_digits > 0 {
            let digits = u32::from(self.fraction_digits);
            write!(f, ".{:0width$}", self.duration.subsec_nanos() / 10u32.pow(9 - digits), width = digits as usize)?;
        }
        Ok(())
    }
}

impl FromStr for TimeSpan {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        TimeSpan::parse_lenient(s).map(|p| p.value).ok_or(DateError { format: "[d.]hh:mm:ss[.fffffff]" })
    }
}

crate::json::wire_length_through_serde!(TimeSpan);

impl Serialize for TimeSpan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeSpan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

impl FromJson for TimeSpan {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        let text = match value.read() {
            Json::String(text) => text,
            other => {
                cx.bad_type(Expected::String, &other);
                return None;
            }
        };
        let parsed = TimeSpan::parse_lenient(&text);
        if parsed.is_none() {
            cx.violate(
                crate::catalog::DATE_FORMAT,
                "must be a duration written [d.]hh:mm:ss[.fffffff]",
                "должно быть длительностью в формате [д.]чч:мм:сс[.fffffff]",
            );
        }
        parsed.map(|p| p.value)
    }
}

impl Placeholder for TimeSpan {
    fn placeholder() -> Self {
        TimeSpan { duration: Duration::ZERO, fraction_digits: 0 }
    }
}

impl Validate for TimeSpan {
    const LEAF: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dotnet_time_spans() {
        let t: TimeSpan = "00:00:00.0475426".parse().unwrap();
        assert_eq!(t.duration(), Duration::from_nanos(47_542_600));
        assert_eq!(t.to_string(), "00:00:00.0475426");
        let t: TimeSpan = "00:00:01.6933682".parse().unwrap();
        assert_eq!(t.duration().as_millis(), 1693);
        let t: TimeSpan = "2.03:04:05".parse().unwrap();
        assert_eq!(t.duration().as_secs(), 2 * 86_400 + 3 * 3600 + 4 * 60 + 5);
        assert_eq!(t.to_string(), "2.03:04:05");
        for bad in ["", "0:00:00", "00:60:00", "00:00:00.", "1.2.03:04:05", "00:00:00Z"] {
            assert!(bad.parse::<TimeSpan>().is_err(), "{bad}");
        }
    }
}
