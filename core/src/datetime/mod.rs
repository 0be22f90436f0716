//! The date and time formats of both specs, as types rather than strings.
//!
//! - [`DateTime`]: `dd.mm.yyyy HH:MM:SS` (Ferma §3.1 `timestamp`, §4
//!   `receipt_datetime`). The spec's own examples also write `22.09.21
//!   13:45:00`, and footnote 2 of §2 writes `ДД-ММ-ГГГГ чч:мм:сс`: both parse.
//! - [`Date`]: `dd.mm.yyyy` (correction `base_date`, tag 1178).
//! - [`ShortDate`]: `dd.mm.yy` (client `birthdate`, sectoral props `date`).
//! - [`IsoDate`]: `yyyy-mm-dd` (§7 cashbox statistics).
//! - [`IsoDateTime`]: `yyyy-mm-ddTHH:MM:SS[.fffffff]` (OFD registration API).
//! - [`DateTimeMinutes`]: `yyyy-mm-dd HH:MM` («ГГГГ-ММ-ДД чч:мм», the OFD
//!   registration API's appendix 1).
//! - [`TimeSpan`]: `[d.]hh:mm:ss[.fffffff]` (the OFD answers' `Elapsed`).
//!
//! None carries a time zone: the specs do not give one (except §4, which
//! says `receipt_datetime` is UTC+0). Conversions to and from Unix time take
//! the offset explicitly; the core never reads a clock.

mod span;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::context::{Context, Expected, Mode};
use crate::decode::{FromJson, Placeholder};
use crate::json::{Json, Node};
use crate::validate::Validate;

pub use span::TimeSpan;

/// Text that is not a date or time of the expected format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected a date in the format {format}")]
pub struct DateError {
    /// The expected format (`dd.mm.yyyy`).
    pub format: &'static str,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> Option<(i32, u32, u32)> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).ok()?;
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).ok()?;
    let year = i32::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
    Some((year, month, day))
}

/// Reads exactly `n` ASCII digits at `*pos`.
fn digits(bytes: &[u8], pos: &mut usize, n: usize) -> Option<u32> {
    let slice = bytes.get(*pos..*pos + n)?;
    let mut v = 0u32;
    for &b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    *pos += n;
    Some(v)
}

fn expect(bytes: &[u8], pos: &mut usize, c: u8) -> Option<()> {
    (bytes.get(*pos) == Some(&c)).then(|| *pos += 1)
}

/// An hour of the day and a minute of the hour, if they are ones.
fn hour_minute(hour: u32, minute: u32) -> Option<(u8, u8)> {
    let hour = u8::try_from(hour).ok().filter(|h| *h < 24)?;
    let minute = u8::try_from(minute).ok().filter(|m| *m < 60)?;
    Some((hour, minute))
}

/// A calendar date, checked for month lengths and leap years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Ymd {
    year: i32,
    month: u8,
    day: u8,
}

impl Ymd {
    fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let month = u8::try_from(month).ok()?;
        let day = u8::try_from(day).ok()?;
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month)).contains(&day).then_some(())?;
        Some(Ymd { year, month, day })
    }

    /// `dd.mm.yyyy` or `dd.mm.yy` (with `sep` between the parts); the flag
    /// says whether the year had four digits.
    fn parse_dmy(bytes: &[u8], pos: &mut usize, sep: u8) -> Option<(Self, bool)> {
        let day = digits(bytes, pos, 2)?;
        expect(bytes, pos, sep)?;
        let month = digits(bytes, pos, 2)?;
        expect(bytes, pos, sep)?;
        let start = *pos;
        let year4 = digits(bytes, pos, 4);
        let (year, full) = match year4 {
            Some(y) => (i32::try_from(y).ok()?, true),
            None => {
                *pos = start;
                (2000 + i32::try_from(digits(bytes, pos, 2)?).ok()?, false)
            }
        };
        Some((Ymd::new(year, month, day)?, full))
    }

    fn parse_iso(bytes: &[u8], pos: &mut usize) -> Option<Self> {
        let year = digits(bytes, pos, 4)?;
        expect(bytes, pos, b'-')?;
        let month = digits(bytes, pos, 2)?;
        expect(bytes, pos, b'-')?;
        let day = digits(bytes, pos, 2)?;
        Ymd::new(i32::try_from(year).ok()?, month, day)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Hms {
    hour: u8,
    minute: u8,
    second: u8,
}

impl Hms {
    fn new(hour: u32, minute: u32, second: u32) -> Option<Self> {
        let (hour, minute) = hour_minute(hour, minute)?;
        let second = u8::try_from(second).ok().filter(|s| *s < 60)?;
        Some(Hms { hour, minute, second })
    }

    fn parse(bytes: &[u8], pos: &mut usize) -> Option<Self> {
        let hour = digits(bytes, pos, 2)?;
        expect(bytes, pos, b':')?;
        let minute = digits(bytes, pos, 2)?;
        expect(bytes, pos, b':')?;
        let second = digits(bytes, pos, 2)?;
        Hms::new(hour, minute, second)
    }

    fn seconds(self) -> i64 {
        i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }
}

/// A parsed value and whether its text was in the canonical format.
pub struct Parsed<T> {
    /// The value.
    pub value: T,
    /// Whether the text was in the canonical format.
    pub canonical: bool,
}

/// Shared plumbing: FromStr, Display, serde and FromJson for a date type
/// with a `parse_lenient` function and a canonical `Display`.
macro_rules! date_type {
    ($name:ident, $format:literal, $format_ru:literal) => {
        impl FromStr for $name {
            type Err = DateError;
            fn from_str(s: &str) -> Result<Self, DateError> {
                $name::parse_lenient(s).map(|p| p.value).ok_or(DateError { format: $format })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        $crate::json::wire_length_through_serde!($name);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl FromJson for $name {
            fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
                let text = match value.read() {
                    Json::String(text) => text,
                    other => {
                        cx.bad_type(Expected::String, &other);
                        return None;
                    }
                };
                // Spaces around a date are a slip, not another date.
                let trimmed = text.trim();
                match $name::parse_lenient(trimmed) {
                    Some(Parsed { value, canonical }) => {
                        let canonical = canonical && trimmed.len() == text.len();
                        if !canonical && cx.mode() == Mode::Request {
                            cx.violate(
                                crate::catalog::DATE_NON_CANONICAL,
                                format!("is not written as {}; it is read as {value} and sent in that form", $format),
                                format!(
                                    "записано не в формате {}; прочитано как {value} и будет отправлено в этом виде",
                                    $format_ru
                                ),
                            );
                        }
                        Some(value)
                    }
                    None => {
                        cx.bad_format(
                            crate::catalog::DATE_FORMAT,
                            concat!("a valid date in the format ", $format),
                            concat!("корректной датой в формате ", $format_ru),
                        );
                        None
                    }
                }
            }
        }

        impl Validate for $name {
            const LEAF: bool = true;
        }
    };
}

/// A date and time, `dd.mm.yyyy HH:MM:SS`, with no time zone.
///
/// ```
/// use ofdkit::datetime::DateTime;
/// let t: DateTime = "22.09.21 13:45:00".parse().unwrap(); // as in the spec's examples
/// assert_eq!(t.to_string(), "22.09.2021 13:45:00");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    date: Ymd,
    time: Hms,
}

impl DateTime {
    /// A date and time from its parts, if they form a real one.
    pub fn new(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<Self> {
        let date = Ymd::new(year, month, day)?;
        Some(DateTime { date, time: Hms::new(hour, minute, second)? })
    }

    /// Parses every form the spec uses, telling whether it was canonical.
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        for sep in [b'.', b'-'] {
            let mut pos = 0;
            let Some((date, full_year)) = Ymd::parse_dmy(bytes, &mut pos, sep) else { continue };
            if expect(bytes, &mut pos, b' ').is_none() {
                continue;
            }
            let Some(time) = Hms::parse(bytes, &mut pos) else { continue };
            if pos != bytes.len() {
                continue;
            }
            return Some(Parsed { value: DateTime { date, time }, canonical: sep == b'.' && full_year });
        }
        None
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.date.year
    }
    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        u32::from(self.date.month)
    }
    /// The day of the month.
    pub fn day(&self) -> u32 {
        u32::from(self.date.day)
    }
    /// The hour, 0 to 23.
    pub fn hour(&self) -> u32 {
        u32::from(self.time.hour)
    }
    /// The minute.
    pub fn minute(&self) -> u32 {
        u32::from(self.time.minute)
    }
    /// The second.
    pub fn second(&self) -> u32 {
        u32::from(self.time.second)
    }

    /// The date part.
    pub fn date(&self) -> Date {
        Date(self.date)
    }

    /// The Unix time of this wall-clock time in a zone `utc_offset_seconds`
    /// east of UTC (Moscow: `3 * 3600`).
    pub fn to_unix(&self, utc_offset_seconds: i32) -> i64 {
        days_from_civil(self.date.year, self.date.month, self.date.day) * 86_400 + self.time.seconds()
            - i64::from(utc_offset_seconds)
    }

    /// The wall-clock time of Unix time `seconds` in a zone
    /// `utc_offset_seconds` east of UTC. `None` outside years 0..=9999:
    /// every year the readers take (four digits, so 0000 too), and so
    /// every [`DateTime`] they read comes back from its [`to_unix`](Self::to_unix).
    pub fn from_unix(seconds: i64, utc_offset_seconds: i32) -> Option<Self> {
        let local = seconds.checked_add(i64::from(utc_offset_seconds))?;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        // 0000-01-01 and 9999-12-31, in days since 1970-01-01.
        if !(-719_528..=2_932_896).contains(&days) {
            return None;
        }
        let (year, month, day) = civil_from_days(days)?;
        let [hour, minute, second] = [secs / 3600, secs % 3600 / 60, secs % 60].map(|part| u32::try_from(part).ok());
        DateTime::new(year, month, day, hour?, minute?, second?)
    }

    /// Seconds from `self` to `later` (negative if `later` is earlier).
    pub fn seconds_until(&self, later: &DateTime) -> i64 {
        later.to_unix(0) - self.to_unix(0)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}.{:02}.{:04} {:02}:{:02}:{:02}",
            self.date.day, self.date.month, self.date.year, self.time.hour, self.time.minute, self.time.second
        )
    }
}

impl Placeholder for DateTime {
    fn placeholder() -> Self {
        DateTime { date: Ymd { year: 1970, month: 1, day: 1 }, time: Hms { hour: 0, minute: 0, second: 0 } }
    }
}

date_type!(DateTime, "dd.mm.yyyy HH:MM:SS", "ДД.ММ.ГГГГ чч:мм:сс");

/// A date, `dd.mm.yyyy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(Ymd);

impl Date {
    /// The date, or `None` if there is no such day.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        Ymd::new(year, month, day).map(Date)
    }

    /// Parses `dd.mm.yyyy`, and as non-canonical `dd.mm.yy` and a date
    /// followed by a time (`28.02.2017 16:12:13`, ATOL v4's base_date): the
    /// field is a date (tag 1178), so the time is dropped.
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let (date, full_year) = Ymd::parse_dmy(bytes, &mut pos, b'.')?;
        if pos == bytes.len() {
            return Some(Parsed { value: Date(date), canonical: full_year });
        }
        expect(bytes, &mut pos, b' ')?;
        Hms::parse(bytes, &mut pos)?;
        (pos == bytes.len()).then_some(Parsed { value: Date(date), canonical: false })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.0.year
    }
    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        u32::from(self.0.month)
    }
    /// The day of the month.
    pub fn day(&self) -> u32 {
        u32::from(self.0.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}.{:04}", self.0.day, self.0.month, self.0.year)
    }
}

impl Placeholder for Date {
    fn placeholder() -> Self {
        Date(Ymd { year: 1970, month: 1, day: 1 })
    }
}

date_type!(Date, "dd.mm.yyyy", "ДД.ММ.ГГГГ");

/// A date with a two-digit year, `dd.mm.yy` (ДД.ММ.ГГ), as tags 1243 and
/// 1262 require. The century is not known, so 29.02 is accepted in every
/// year divisible by four.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShortDate {
    year: u8,
    month: u8,
    day: u8,
}

impl ShortDate {
    /// `year` is the two-digit year, 0..=99.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Self> {
        // 2000 is a leap year, so the check accepts 29.02 whenever yy % 4 == 0.
        let short_year = u8::try_from(year).ok().filter(|y| *y < 100)?;
        let date = Ymd::new(2000 + i32::from(short_year), month, day)?;
        Some(ShortDate { year: short_year, month: date.month, day: date.day })
    }

    /// Parses `dd.mm.yy`, and `dd.mm.yyyy` as non-canonical (the century is dropped).
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let day = digits(bytes, &mut pos, 2)?;
        expect(bytes, &mut pos, b'.')?;
        let month = digits(bytes, &mut pos, 2)?;
        expect(bytes, &mut pos, b'.')?;
        let rest = bytes.len() - pos;
        match rest {
            2 => Some(Parsed { value: ShortDate::new(digits(bytes, &mut pos, 2)?, month, day)?, canonical: true }),
            4 => {
                let year = digits(bytes, &mut pos, 4)?;
                Ymd::new(i32::try_from(year).ok()?, month, day)?;
                Some(Parsed { value: ShortDate::new(year % 100, month, day)?, canonical: false })
            }
            _ => None,
        }
    }

    /// The two-digit year.
    pub fn year(&self) -> u32 {
        u32::from(self.year)
    }
    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        u32::from(self.month)
    }
    /// The day of the month.
    pub fn day(&self) -> u32 {
        u32::from(self.day)
    }
}

impl fmt::Display for ShortDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}.{:02}", self.day, self.month, self.year)
    }
}

impl Placeholder for ShortDate {
    fn placeholder() -> Self {
        ShortDate { year: 0, month: 1, day: 1 }
    }
}

date_type!(ShortDate, "dd.mm.yy", "ДД.ММ.ГГ");

/// An ISO 8601 calendar date, `yyyy-mm-dd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDate(Ymd);

impl IsoDate {
    /// The date, or `None` if there is no such day.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        Ymd::new(year, month, day).map(IsoDate)
    }

    /// Parses `yyyy-mm-dd`; a time part after it (`T00:00:00`) is accepted
    /// as non-canonical and dropped.
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let date = Ymd::parse_iso(bytes, &mut pos)?;
        if pos == bytes.len() {
            return Some(Parsed { value: IsoDate(date), canonical: true });
        }
        IsoDateTime::parse_lenient(text).map(|p| Parsed { value: IsoDate(p.value.date), canonical: false })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.0.year
    }
    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        u32::from(self.0.month)
    }
    /// The day of the month.
    pub fn day(&self) -> u32 {
        u32::from(self.0.day)
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year, self.0.month, self.0.day)
    }
}

impl Placeholder for IsoDate {
    fn placeholder() -> Self {
        IsoDate(Ymd { year: 1970, month: 1, day: 1 })
    }
}

date_type!(IsoDate, "yyyy-mm-dd", "ГГГГ-ММ-ДД");

/// An ISO 8601 local date and time, `yyyy-mm-ddTHH:MM:SS` with optional
/// fraction digits (up to 9 are kept, as .NET servers send 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDateTime {
    date: Ymd,
    time: Hms,
    nanos: u32,
    fraction_digits: u8,
}

impl IsoDateTime {
    /// The date and time, or `None` if a part is out of range.
    pub fn new(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<Self> {
        let dt = DateTime::new(year, month, day, hour, minute, second)?;
        Some(IsoDateTime { date: dt.date, time: dt.time, nanos: 0, fraction_digits: 0 })
    }

    /// Parses `yyyy-mm-ddTHH:MM:SS[.f…]`; a space instead of `T` and a
    /// trailing `Z` are accepted as non-canonical.
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let date = Ymd::parse_iso(bytes, &mut pos)?;
        let mut canonical = true;
        match bytes.get(pos) {
            Some(b'T') => {}
            Some(b' ') => canonical = false,
            _ => return None,
        }
        pos += 1;
        let time = Hms::parse(bytes, &mut pos)?;
        let mut nanos = 0u32;
        let mut fraction_digits = 0u8;
        if expect(bytes, &mut pos, b'.').is_some() {
            let start = pos;
            while let Some(b) = bytes.get(pos).filter(|b| b.is_ascii_digit()) {
                if pos - start < 9 {
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
        if bytes.get(pos) == Some(&b'Z') {
            pos += 1;
            canonical = false;
        }
        (pos == bytes.len()).then_some(Parsed { value: IsoDateTime { date, time, nanos, fraction_digits }, canonical })
    }

    /// The date and time without the fraction of a second.
    pub fn to_datetime(&self) -> DateTime {
        DateTime { date: self.date, time: self.time }
    }

    /// Nanoseconds within the second.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }
}

impl fmt::Display for IsoDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.date.year, self.date.month, self.date.day, self.time.hour, self.time.minute, self.time.second
        )?;
        if self.fraction_digits > 0 {
            let digits = u32::from(self.fraction_digits);
            write!(f, ".{:0width$}", self.nanos / 10u32.pow(9 - digits), width = digits as usize)?;
        }
        Ok(())
    }
}

impl Placeholder for IsoDateTime {
    fn placeholder() -> Self {
        IsoDateTime {
            date: Ymd { year: 1970, month: 1, day: 1 },
            time: Hms { hour: 0, minute: 0, second: 0 },
            nanos: 0,
            fraction_digits: 0,
        }
    }
}

date_type!(IsoDateTime, "yyyy-mm-ddTHH:MM:SS", "ГГГГ-ММ-ДДTчч:мм:сс");

/// A date and time to the minute, `yyyy-mm-dd HH:MM` (appendix 1 of the
/// OFD registration API: «ГГГГ-ММ-ДД чч:мм»).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTimeMinutes {
    date: Ymd,
    hour: u8,
    minute: u8,
}

impl DateTimeMinutes {
    /// The date and time, or `None` if a part is out of range.
    pub fn new(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Option<Self> {
        let date = Ymd::new(year, month, day)?;
        let (hour, minute) = hour_minute(hour, minute)?;
        Some(DateTimeMinutes { date, hour, minute })
    }

    /// Parses `yyyy-mm-dd HH:MM`.
    pub fn parse_lenient(text: &str) -> Option<Parsed<Self>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let date = Ymd::parse_iso(bytes, &mut pos)?;
        expect(bytes, &mut pos, b' ')?;
        let hour = digits(bytes, &mut pos, 2)?;
        expect(bytes, &mut pos, b':')?;
        let minute = digits(bytes, &mut pos, 2)?;
        let (hour, minute) = hour_minute(hour, minute).filter(|_| pos == bytes.len())?;
        Some(Parsed { value: DateTimeMinutes { date, hour, minute }, canonical: true })
    }
}

impl fmt::Display for DateTimeMinutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.date.year, self.date.month, self.date.day, self.hour, self.minute
        )
    }
}

impl Placeholder for DateTimeMinutes {
    fn placeholder() -> Self {
        DateTimeMinutes { date: Ymd { year: 1970, month: 1, day: 1 }, hour: 0, minute: 0 }
    }
}

date_type!(DateTimeMinutes, "yyyy-mm-dd HH:MM", "ГГГГ-ММ-ДД чч:мм");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_of_appendix_1() {
        let t: DateTimeMinutes = "2024-01-31 09:05".parse().unwrap();
        assert_eq!(t.to_string(), "2024-01-31 09:05");
        assert!("2024-01-31 9:05".parse::<DateTimeMinutes>().is_err());
        assert!("2024-02-30 09:05".parse::<DateTimeMinutes>().is_err());
    }

    #[test]
    fn parses_every_form_of_the_spec() {
        let canonical = DateTime::parse_lenient("30.11.2017 17:58:53").unwrap();
        assert!(canonical.canonical);
        assert_eq!(canonical.value.to_string(), "30.11.2017 17:58:53");
        let short = DateTime::parse_lenient("22.09.21 13:45:00").unwrap();
        assert!(!short.canonical);
        assert_eq!(short.value.to_string(), "22.09.2021 13:45:00");
        let dashed = DateTime::parse_lenient("15-02-2018 13:00:31").unwrap();
        assert!(!dashed.canonical);
        assert_eq!(dashed.value.to_string(), "15.02.2018 13:00:31");
        for bad in [
            "31.11.2017 10:00:00",
            "29.02.2023 10:00:00",
            "01.01.2020 24:00:00",
            "1.1.2020 10:00:00",
            "01.01.2020",
            "01.01.2020 10:00:00 ",
        ] {
            assert!(DateTime::parse_lenient(bad).is_none(), "{bad}");
        }
        assert!(DateTime::parse_lenient("29.02.2024 23:59:59").is_some());
    }

    #[test]
    fn dates_and_short_dates() {
        assert_eq!("01.01.2021".parse::<Date>().unwrap().to_string(), "01.01.2021");
        assert!(!Date::parse_lenient("01.01.21").unwrap().canonical);
        // ATOL v4's base_date with a time: the date, non-canonical.
        let with_time = Date::parse_lenient("28.02.2017 16:12:13").unwrap();
        assert!(!with_time.canonical);
        assert_eq!(with_time.value.to_string(), "28.02.2017");
        assert!(Date::parse_lenient("28.02.2017 25:12:13").is_none());
        assert!(Date::parse_lenient("28.02.2017x").is_none());
        assert_eq!("05.12.99".parse::<ShortDate>().unwrap().to_string(), "05.12.99");
        let long = ShortDate::parse_lenient("05.12.1999").unwrap();
        assert!(!long.canonical);
        assert_eq!(long.value.to_string(), "05.12.99");
        assert!("29.02.00".parse::<ShortDate>().is_ok());
        assert!("29.02.01".parse::<ShortDate>().is_err());
        assert!("29.02.1900".parse::<ShortDate>().is_err());
        assert_eq!("2021-01-03".parse::<IsoDate>().unwrap().to_string(), "2021-01-03");
    }

    #[test]
    fn iso_date_times_keep_their_fraction() {
        let t: IsoDateTime = "2017-08-14T16:09:00".parse().unwrap();
        assert_eq!(t.to_string(), "2017-08-14T16:09:00");
        let t: IsoDateTime = "2020-01-01T10:00:00.0475426".parse().unwrap();
        assert_eq!(t.to_string(), "2020-01-01T10:00:00.0475426");
        assert_eq!(t.nanos(), 47_542_600);
        assert!("0001-01-01T00:00:00".parse::<IsoDateTime>().is_ok());
    }

    #[test]
    fn converts_unix_time_both_ways() {
        let t = DateTime::new(2017, 11, 30, 17, 58, 53).unwrap();
        let unix = t.to_unix(3 * 3600);
        assert_eq!(unix, 1_512_053_933);
        assert_eq!(DateTime::from_unix(unix, 3 * 3600), Some(t));
        assert_eq!(DateTime::from_unix(0, 0).unwrap().to_string(), "01.01.1970 00:00:00");
        for secs in [-86_400 * 365 * 100, 951_782_400, 4_102_444_800, 253_402_300_799] {
            let t = DateTime::from_unix(secs, 0).unwrap();
            assert_eq!(t.to_unix(0), secs);
        }
        assert!(DateTime::from_unix(i64::MAX, 0).is_none());
    }
}
