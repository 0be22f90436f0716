//! A `decimal.Decimal`'s text read from the number itself, not through
//! `str()`: `str()` allocates a Python string (and a C buffer before it)
//! for every amount, which was a quarter of converting a dict of Decimals
//! (perf, 200 items). The text written is exactly `str()`'s, the
//! "to-scientific-string" of the General Decimal Arithmetic spec, with `E`.
//!
//! CPython's `_decimal` keeps the number in a libmpdec `mpd_t` right after
//! the object header and a cached hash; the limited API has no accessor, so
//! the layout is checked once per process against `__basicsize__` and
//! against `str()` of probe numbers. If anything differs (another Python,
//! the pure-Python `_pydecimal`, a 32-bit build) every Decimal takes
//! `str()` as before. A Decimal subclass always takes `str()`: its own
//! `__str__` may say something else.

#[cfg(not(windows))] // read in place by the walker, which Windows does not build
use ofdkit::json::{power_of_ten, units_text_chars};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// libmpdec's `mpd_t` (mpdecimal.h), 64-bit: the coefficient is `len`
/// words of base 10^19, least significant first, `digits` digits long.
#[repr(C)]
struct MpdT {
    flags: u8,
    exp: isize,
    digits: isize,
    len: isize,
    alloc: isize,
    data: *const u64,
}

/// `PyDecObject` of Modules/_decimal/_decimal.c (3.9 to 3.14).
#[repr(C)]
struct PyDecObject {
    ob_base: ffi::PyObject,
    hash: isize,
    dec: MpdT,
    inline_data: [u64; 4],
}

/// NaN, sNaN and the infinities (MPD_NAN | MPD_INF | MPD_SNAN | MPD_NEG's
/// neighbours): `str()` and the refusal take those.
const MPD_SPECIAL: u8 = 2 | 4 | 8;
const MPD_NEG: u8 = 1;
const WORD_DIGITS: usize = 19;
const WORD_RADIX: u64 = 10_000_000_000_000_000_000;
/// Coefficients up to this many words are written from a buffer on the
/// stack (76 digits; money has a few); longer ones take `str()`.
const MAX_WORDS: usize = 4;

/// Whether the layout above is `decimal.Decimal`'s in this process.
pub fn layout_holds(py: Python<'_>, decimal: &Bound<'_, PyType>) -> bool {
    static HOLDS: PyOnceLock<bool> = PyOnceLock::new();
    *HOLDS.get_or_init(py, || check_layout(decimal).unwrap_or(false))
}

fn check_layout(decimal: &Bound<'_, PyType>) -> PyResult<bool> {
    if !cfg!(target_pointer_width = "64") {
        return Ok(false);
    }
    let size: usize = decimal.getattr("__basicsize__")?.extract()?;
    if size != std::mem::size_of::<PyDecObject>() {
        return Ok(false);
    }
    // Each probe is read both ways: signs, both notations, several words.
    for probe in [
        "-12.345",
        "0",
        "-0",
        "0E-7",
        "0.000001",
        "1E+2",
        "123456789",
        "1234567890123456789012345678901234567.25",
        "-9999999999999999999",
        "10000000000000000000.00",
        "1.5E-9",
    ] {
        let number = decimal.call1((probe,))?;
        // `str()` writes `e` when the context says so; JSON takes either.
        let expected = number.str()?.to_cow()?.to_ascii_uppercase();
        let mut text = Vec::new();
        // SAFETY: `number` is exactly a Decimal, whose basic size matched.
        if !unsafe { write_exact(&mut text, &number) } || expected.as_bytes() != text.as_slice() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes `number`'s `str()` (with `E`) and says `true`; `false`, with
/// nothing written, for NaN, the infinities and coefficients too long for
/// the buffer, which take `str()`.
///
/// # Safety
/// `number` must be exactly a `decimal.Decimal` for which
/// [`layout_holds`] said `true`.
pub unsafe fn write_exact(out: &mut Vec<u8>, number: &Bound<'_, PyAny>) -> bool {
    // SAFETY: the caller vouches for the layout; the GIL is held, and a
    // Decimal never changes after it is made.
    let dec = unsafe { &(*number.as_ptr().cast::<PyDecObject>()).dec };
    if dec.flags & MPD_SPECIAL == 0 && dec.len == 1 && !dec.data.is_null() {
        // SAFETY: `data` holds `len` words (libmpdec's invariant).
        let word = unsafe { *dec.data };
        if let Some(written) = write_plain_word(out, dec.flags & MPD_NEG != 0, word, dec.digits, dec.exp) {
            return written;
        }
    }
    let (Ok(len), Ok(digits)) = (usize::try_from(dec.len), usize::try_from(dec.digits)) else {
        return false;
    };
    if dec.flags & MPD_SPECIAL != 0 || len == 0 || len > MAX_WORDS || dec.data.is_null() {
        return false;
    }
    // SAFETY: `data` holds `len` words (libmpdec's invariant).
    let words = unsafe { std::slice::from_raw_parts(dec.data, len) };
    let mut buffer = [0u8; MAX_WORDS * WORD_DIGITS];
    let coefficient = match words {
        // Money fits in one word: its digits straight from it.
        &[word] if word < WORD_RADIX => word_digits(word, &mut buffer),
        _ => match coefficient_digits(words, &mut buffer) {
            Some(coefficient) => coefficient,
            None => return false,
        },
    };
    if coefficient.len() != digits {
        return false;
    }
    write_scientific(out, dec.flags & MPD_NEG != 0, coefficient, dec.exp)
}

/// `number` as a whole number of `10^-scale` units and the length of its
/// `str()`, when it is one word written in plain notation (no exponent)
/// with no more significant fraction digits than `scale`, and the units
/// fit in an `i64`; `None` for anything else, which is read from its text.
///
/// # Safety
/// As for [`write_exact`].
#[inline]
#[cfg(not(windows))] // read in place by the walker, which Windows does not build
pub unsafe fn units(number: *mut ffi::PyObject, scale: u32) -> Option<(i64, usize)> {
    // SAFETY: as in `write_exact`.
    let dec = unsafe { &(*number.cast::<PyDecObject>()).dec };
    if dec.flags & MPD_SPECIAL != 0 || dec.len != 1 || dec.data.is_null() {
        return None;
    }
    // SAFETY: `data` holds `len` (one) words.
    let word = unsafe { *dec.data };
    word_units(dec.flags & MPD_NEG != 0, word, dec.digits, dec.exp, scale)
}

/// An `int` as a whole number of `10^-scale` units and the length of its
/// text, when the units fit in an `i64`.
#[cfg(not(windows))] // read in place by the walker, which Windows does not build
pub fn int_units(n: i64, scale: u32) -> Option<(i64, usize)> {
    let units = n.checked_mul(i64::try_from(power_of_ten(scale as usize)?).ok()?)?;
    Some((units, units_text_chars(n, 0)))
}

/// A `float` as a whole number of `10^-scale` units and the length of the
/// text the long way gives it ([`Number::from_f64`]: its shortest
/// round-trip digits), when those digits are the units': the units are
/// below 10^15 and read back as the same float. Two decimals of at most 15
/// significant digits are never the same float, so no shorter text can
/// read back as it: the float's shortest digits are the units'. `None`
/// for anything else (`0.1 + 0.2`, 1e-7, NaN), which is read from its text.
///
/// [`Number::from_f64`]: ofdkit::json::Number::from_f64
#[cfg(not(windows))] // read in place by the walker, which Windows does not build
pub fn float_units(value: f64, scale: u32) -> Option<(i64, usize)> {
    let power = power_of_ten(scale as usize)?;
    #[allow(clippy::cast_precision_loss)] // 10^19 at most: exact enough, and checked below
    let factor = power as f64;
    let scaled = value * factor;
    // NaN is not below either.
    if scaled.is_nan() || scaled.abs() >= 1e15 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // below 10^15: exact in i64
    let units = scaled.round() as i64;
    #[allow(clippy::cast_precision_loss)] // below 2^53: exact
    if units as f64 / factor != value {
        return None;
    }
    // `0` for both zeros, and whole floats without `.0`.
    Some((units, units_text_chars(units, scale)))
}

/// [`units`] of a coefficient of one word.
#[inline]
#[cfg(not(windows))] // read in place by the walker, which Windows does not build
fn word_units(negative: bool, word: u64, digits: isize, exp: isize, scale: u32) -> Option<(i64, usize)> {
    // `digits` digits exactly: below 10^digits and, past one, not below 10^(digits - 1).
    let digits = usize::try_from(digits).ok().filter(|&d| (1..=WORD_DIGITS).contains(&d))?;
    if word >= power_of_ten(digits)? || (digits > 1 && word < power_of_ten(digits - 1)?) {
        return None;
    }
    // Plain notation (see `write_scientific`): the exponent is not
    // positive and the point falls at most 5 places before the digits.
    let fraction = usize::try_from(exp.checked_neg()?).ok().filter(|&f| f <= digits + 5)?;
    let text_len = usize::from(negative)
        + match fraction {
            0 => digits,
            f if f < digits => digits + 1,
            f => 2 + f, // "0." and the zeros before the digits
        };
    let scale = scale as usize;
    let magnitude = if fraction <= scale {
        word.checked_mul(power_of_ten(scale - fraction)?)?
    } else {
        // Fraction digits past `scale` count only when they are all zeros.
        let past = power_of_ten(fraction - scale)?;
        (word % past == 0).then_some(word / past)?
    };
    let units = i64::try_from(magnitude).ok()?;
    Some((if negative { -units } else { units }, text_len))
}

/// Money's usual shape, one word in plain notation with the point inside
/// the digits or after them (`249.90`, `300`), written straight into
/// `out` from the last digit back. `None` for any other shape; `false`
/// when `digits` does not count the word's digits.
fn write_plain_word(out: &mut Vec<u8>, negative: bool, word: u64, digits: isize, exp: isize) -> Option<bool> {
    let digits = usize::try_from(digits).ok().filter(|&d| (1..=WORD_DIGITS).contains(&d))?;
    let fraction = usize::try_from(exp.checked_neg()?).ok().filter(|&f| f < digits)?;
    let mut text = [0u8; WORD_DIGITS + 2];
    let len = usize::from(negative) + digits + usize::from(fraction > 0);
    let mut at = len;
    let mut rest = word;
    for i in 0..digits {
        if i == fraction && fraction > 0 {
            at -= 1;
            text[at] = b'.';
        }
        at -= 1;
        // The remainder is a digit.
        text[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    // Exactly `digits` digits, the first of them not a 0 unless it is the only one.
    if rest != 0 || (digits > 1 && text[usize::from(negative)] == b'0') {
        return Some(false);
    }
    if negative {
        text[0] = b'-';
    }
    out.extend_from_slice(&text[..len]);
    Some(true)
}

/// The digits of `word` (below 10^19), without leading zeros.
fn word_digits(word: u64, buffer: &mut [u8; MAX_WORDS * WORD_DIGITS]) -> &[u8] {
    let mut end = WORD_DIGITS + 1;
    let mut rest = word;
    loop {
        end -= 1;
        // The remainder is a digit.
        buffer[end] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buffer[end..=WORD_DIGITS]
}

/// The decimal digits of a coefficient given in base-10^19 words, without
/// leading zeros ("0" for zero).
fn coefficient_digits<'b>(words: &[u64], buffer: &'b mut [u8; MAX_WORDS * WORD_DIGITS]) -> Option<&'b [u8]> {
    let mut end = buffer.len();
    for (i, &word) in words.iter().enumerate() {
        if word >= WORD_RADIX {
            return None;
        }
        let most_significant = i + 1 == words.len();
        let stop = end - WORD_DIGITS;
        let mut rest = word;
        loop {
            end -= 1;
            // The remainder is a digit.
            buffer[end] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if end == stop || (most_significant && rest == 0) {
                break;
            }
        }
    }
    Some(&buffer[end..])
}

/// "to-scientific-string": plain notation when the exponent is not
/// positive and the adjusted exponent is at least -6, else one digit, the
/// rest after a point, and `E` with the adjusted exponent's sign.
fn write_scientific(out: &mut Vec<u8>, negative: bool, coefficient: &[u8], exp: isize) -> bool {
    let (Ok(digits), Ok(exp)) = (i64::try_from(coefficient.len()), i64::try_from(exp)) else {
        return false;
    };
    // Where the point falls, counted in digits from the coefficient's start.
    let Some(point) = digits.checked_add(exp) else {
        return false;
    };
    if negative {
        out.push(b'-');
    }
    if exp <= 0 && point > -6 {
        if point <= 0 {
            out.extend_from_slice(b"0.");
            for _ in point..0 {
                out.push(b'0');
            }
            out.extend_from_slice(coefficient);
        } else {
            // 0 < point <= digits, as exp <= 0.
            let split = usize::try_from(point).unwrap_or(coefficient.len()).min(coefficient.len());
            out.extend_from_slice(&coefficient[..split]);
            if split < coefficient.len() {
                out.push(b'.');
                out.extend_from_slice(&coefficient[split..]);
            }
        }
        return true;
    }
    out.push(coefficient[0]);
    if coefficient.len() > 1 {
        out.push(b'.');
        out.extend_from_slice(&coefficient[1..]);
    }
    let adjusted = point - 1;
    out.extend_from_slice(if adjusted < 0 { b"E" } else { b"E+" });
    super::write_i64(out, adjusted);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Decimal written from its digits reads as its `str()`: signs,
    /// zeros, one and several words, both notations at their borders.
    #[test]
    fn digits_read_in_place_are_str() {
        Python::initialize();
        Python::attach(|py| {
            let decimal = super::super::decimal_type(py).unwrap();
            assert!(layout_holds(py, decimal), "the CPython this test runs on has the layout");
            let coefficients =
                ["0", "1", "7", "12", "249", "24990", "1234567890123456789", "10000000000000000000", &"9".repeat(38)];
            let mut checked = 0;
            for coefficient in coefficients {
                for exponent in -30..=30 {
                    for sign in ["", "-"] {
                        let number = decimal.call1((format!("{sign}{coefficient}E{exponent}"),)).unwrap();
                        let mut text = Vec::new();
                        assert!(unsafe { write_exact(&mut text, &number) });
                        assert_eq!(String::from_utf8(text).unwrap(), number.str().unwrap().to_cow().unwrap());
                        checked += 1;
                    }
                }
            }
            assert_eq!(checked, 9 * 61 * 2);
            for special in ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", &format!("1{}", "0".repeat(80))] {
                let number = decimal.call1((special,)).unwrap();
                assert_eq!(unsafe { units(number.as_ptr(), 2) }, None, "{special} is read from its text");
                let mut text = Vec::new();
                assert!(!unsafe { write_exact(&mut text, &number) }, "{special} takes str()");
                assert!(text.is_empty());
            }
        });
    }

    /// A Decimal read as units is what its text reads as, for money and
    /// quantities alike (the same value, or the same refusal), and its
    /// length is its `str()`'s: around every border of the plain notation,
    /// the scales, the limits and `i64`.
    #[test]
    fn units_read_in_place_are_the_texts() {
        use ofdkit::money::{Amount, Quantity};
        Python::initialize();
        Python::attach(|py| {
            let decimal = super::super::decimal_type(py).unwrap();
            assert!(layout_holds(py, decimal));
            let coefficients = "0 1 5 10 249 24990 300000 4294967295 4294967296 9999999999 10000000000 99999999999 \
                999999999999 9223372036854775807 1234567890123456789 9999999999999999999 10000000000000000000";
            let (mut read, mut refused) = (0, 0);
            for coefficient in coefficients.split_whitespace() {
                for exponent in -12..=3 {
                    for sign in ["", "-"] {
                        let number = decimal.call1((format!("{sign}{coefficient}E{exponent}"),)).unwrap();
                        let mut text = Vec::new();
                        assert!(unsafe { write_exact(&mut text, &number) });
                        let text = String::from_utf8(text).unwrap();
                        for scale in [2, 3] {
                            let Some((units, len)) = (unsafe { units(number.as_ptr(), scale) }) else {
                                refused += 1;
                                continue;
                            };
                            read += 1;
                            assert_eq!(len, text.len(), "{text}");
                            if scale == 2 {
                                assert_eq!(Amount::from_units(units), text.parse::<Amount>(), "{text}");
                            } else {
                                assert_eq!(Quantity::from_units(units), text.parse::<Quantity>(), "{text}");
                            }
                        }
                    }
                }
            }
            // Floats: the units and length are those of the long way's text.
            let mut floats = vec![0.0, -0.0, 0.1, 0.05, 249.9, 499.8, 300.0, -1.0, -0.01, 0.001, 0.1 + 0.2, 1e-7];
            floats.extend([42_949_672.95, 99_999_999.99, 1e8, 1e14, 1e15, 1e21, f64::NAN, f64::INFINITY, 123.456]);
            // Kopecks as a float is the nearest to them.
            floats.extend((0..20_000).map(|k| f64::from(k * 37) / 100.0));
            let mut floats_read = 0;
            for value in floats {
                let Some(text) = ofdkit::json::Number::from_f64(value) else { continue };
                for scale in [2, 3] {
                    let Some((units, len)) = float_units(value, scale) else { continue };
                    floats_read += 1;
                    assert_eq!(len, text.as_str().len(), "{value}");
                    if scale == 2 {
                        assert_eq!(Amount::from_units(units), text.as_str().parse::<Amount>(), "{value}");
                    } else {
                        assert_eq!(Quantity::from_units(units), text.as_str().parse::<Quantity>(), "{value}");
                    }
                }
            }
            assert!(floats_read > 40_000, "{floats_read}");
            assert_eq!(float_units(0.1 + 0.2, 2), None, "its shortest digits are 17");
            // Most are read in place; exponents, long fractions and huge
            // coefficients are not.
            assert!(read > 250 && refused > 250, "{read} read, {refused} refused");
            for n in
                [0, 1, -1, 9, 10, 99, 100, -300, 10i64.pow(12), 10i64.pow(18) - 1, 10i64.pow(18), i64::MAX, i64::MIN]
            {
                let text = n.to_string();
                match int_units(n, 2) {
                    Some((units, len)) => {
                        assert_eq!(len, text.len(), "{text}");
                        assert_eq!(Amount::from_units(units), text.parse::<Amount>(), "{text}");
                    }
                    // Past i64 it is read from its text.
                    None => assert_eq!(n.checked_mul(100), None, "{text}"),
                }
            }
        });
    }
}
