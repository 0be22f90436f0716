//! Exact conversion of decimal text (`0.1`, `300.0`, `1e2`, `-4.5E-1`) into
//! [`Decimal`], digit by digit, with no `f64` in between.

use rust_decimal::Decimal;

/// Why decimal text could not become a [`Decimal`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a decimal number at all.
    Syntax,
    /// More than 28 significant digits or an exponent beyond them.
    OutOfRange,
}

/// Largest scale and digit count a `Decimal` holds.
const MAX_DIGITS: u32 = 28;

/// Parses decimal text: an optional sign, digits with an optional fraction,
/// and an optional exponent. Accepts the JSON number grammar plus a leading
/// `+` and leading zeros, which decimal strings from users may carry.
/// Trailing fraction zeros never count against precision: `300.000000000`
/// is 300.
pub fn parse_decimal(text: &str) -> Result<Decimal, DecimalError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = sign(bytes, &mut i);
    // Significant digits collected without leading zeros; `scale` counts the
    // fraction digits read, `pending_zeros` the zeros after the last non-zero digit.
    let mut mantissa: u128 = 0;
    let mut digits: u32 = 0;
    let mut scale: i64 = 0;
    let mut pending_zeros: i64 = 0; // zeros seen after the last non-zero digit
    let mut any_digit = false;
    let mut in_fraction = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                any_digit = true;
                let d = u128::from(b - b'0');
                if in_fraction {
                    scale += 1;
                }
                if d == 0 {
                    if digits > 0 {
                        pending_zeros += 1;
                    }
                } else {
                    // Flush the zeros between the previous digit and this one.
                    for _ in 0..pending_zeros {
                        mantissa = push_digit(mantissa, 0, &mut digits)?;
                    }
                    pending_zeros = 0;
                    mantissa = push_digit(mantissa, d, &mut digits)?;
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            b'e' | b'E' => break,
            _ => return Err(DecimalError::Syntax),
        }
        i += 1;
    }
    if !any_digit || (in_fraction && bytes.get(i.wrapping_sub(1)) == Some(&b'.')) {
        return Err(DecimalError::Syntax);
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let exp_negative = sign(bytes, &mut i);
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if !b.is_ascii_digit() {
                return Err(DecimalError::Syntax);
            }
            // Saturate: anything this large is out of range anyway.
            exponent = (exponent * 10 + i64::from(b - b'0')).min(1_000_000);
            i += 1;
        }
        if i == start {
            return Err(DecimalError::Syntax);
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    if mantissa == 0 {
        return Ok(Decimal::ZERO);
    }
    // The value is mantissa × 10^(pending_zeros − scale + exponent).
    let mut power = pending_zeros - scale + exponent;
    while power > 0 {
        mantissa = push_digit(mantissa, 0, &mut digits)?;
        power -= 1;
    }
    let new_scale = u32::try_from(-power).map_err(|_| DecimalError::OutOfRange)?;
    if new_scale > MAX_DIGITS {
        return Err(DecimalError::OutOfRange);
    }
    let signed = i128::try_from(mantissa).map_err(|_| DecimalError::OutOfRange)?;
    let signed = if negative { -signed } else { signed };
    Decimal::try_from_i128_with_scale(signed, new_scale).map_err(|_| DecimalError::OutOfRange)
}

/// The power of ten of the first significant digit of decimal text that
/// [`parse_decimal`] accepts (`799.8` → 2, `0.05` → −2, `1e-400` → −400),
/// or `None` for zero or text that is not a decimal. It tells a number too
/// large for a `Decimal` from one with too many fraction digits.
pub fn leading_power(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    sign(bytes, &mut i);
    let mut integer_digits: i64 = 0;
    let mut first: Option<i64> = None;
    let mut in_fraction = false;
    let mut fraction_position: i64 = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' if in_fraction => {
                fraction_position += 1;
                if b != b'0' && first.is_none() {
                    first = Some(-fraction_position);
                }
            }
            b'0'..=b'9' => {
                if b != b'0' && first.is_none() {
                    first = Some(integer_digits);
                }
                if first.is_some() {
                    integer_digits += 1;
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    // A first digit in the integer part at index k of n significant integer
    // digits has the power n − 1.
    let power = match first? {
        p if p < 0 => p,
        _ => integer_digits - 1,
    };
    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = sign(bytes, &mut i);
        while let Some(&b) = bytes.get(i) {
            exponent = (exponent * 10 + i64::from(b.checked_sub(b'0').filter(|d| *d < 10)?)).min(1_000_000_000);
            i += 1;
        }
        if negative {
            exponent = -exponent;
        }
    }
    Some(power + exponent)
}

/// Reads an optional sign at `*i`; true for `-`.
fn sign(bytes: &[u8], i: &mut usize) -> bool {
    match bytes.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    }
}

fn push_digit(mantissa: u128, digit: u128, digits: &mut u32) -> Result<u128, DecimalError> {
    *digits += 1;
    if *digits > MAX_DIGITS {
        return Err(DecimalError::OutOfRange);
    }
    Ok(mantissa * 10 + digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_exactly() {
        for (text, expected) in [
            ("0.1", "0.1"),
            ("300.0", "300"),
            ("1e2", "100"),
            ("1E+2", "100"),
            ("42949672.95", "42949672.95"),
            ("-4.5E-1", "-0.45"),
            ("0", "0"),
            ("-0", "0"),
            ("0.000", "0"),
            ("300.000000000000000000000000000000000", "300"),
            ("0.0100", "0.01"),
            ("+7", "7"),
            ("007", "7"),
            ("1001", "1001"),
            ("10.010", "10.01"),
            ("99999999999999999999999999.99", "99999999999999999999999999.99"),
            ("1e-28", "0.0000000000000000000000000001"),
            ("123.456e1", "1234.56"),
        ] {
            assert_eq!(parse_decimal(text), Ok(d(expected)), "{text}");
        }
    }

    #[test]
    fn keeps_significant_scale() {
        assert_eq!(parse_decimal("0.123").unwrap().scale(), 3);
        assert_eq!(parse_decimal("1.50").unwrap().scale(), 1);
        assert_eq!(parse_decimal("1e2").unwrap().scale(), 0);
    }

    #[test]
    fn rejects_what_is_not_a_decimal() {
        for bad in ["", "-", ".", "1.", ".5x", "1e", "1e+", "a", "1.2.3", "1e2e3", " 1", "1 "] {
            assert_eq!(parse_decimal(bad), Err(DecimalError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn finds_the_leading_power() {
        for (text, power) in
            [("799.8", 2), ("0.05", -2), ("1e-400", -400), ("1e400", 400), ("-12.5e1", 2), ("0.0100", -2), ("7", 0)]
        {
            assert_eq!(leading_power(text), Some(power), "{text}");
        }
        assert_eq!(leading_power("0.000"), None);
        assert_eq!(leading_power("x"), None);
    }

    #[test]
    fn refuses_what_does_not_fit() {
        for big in ["1e29", "1e400", "123456789012345678901234567890", "1e-29", "1e999999999999"] {
            assert_eq!(parse_decimal(big), Err(DecimalError::OutOfRange), "{big}");
        }
    }
}
