//! How many characters a scalar takes as JSON text: a string with its
//! quotes and escapes, an integer, and a decimal held as whole units (an
//! amount in kopecks). The split rule (ferma-api §3.2) counts a request's
//! wire JSON by these ([`super::WireLength`], [`super::compact_chars`]),
//! and the Python walker tells the size of what it reads in place by them,
//! so each length is worked out once, here.

/// `10^k` for every `k` a `u64` holds.
const POW10: [u64; 20] = {
    let mut powers = [1u64; 20];
    let mut k = 1;
    while k < powers.len() {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

/// `10^k`, for `k` of at most 19.
pub fn power_of_ten(k: usize) -> Option<u64> {
    POW10.get(k).copied()
}

/// Decimal digits of `n` (`0` has one).
#[inline]
pub(crate) fn decimal_digits(n: u64) -> usize {
    // From the highest bit: log10(2) is 1233/4096 to within the error
    // that one comparison with the next power of ten corrects. The
    // standard `ilog10` took twice the instructions, a fifth of counting
    // an amount.
    let log2 = 63 - (n | 1).leading_zeros();
    let below = ((log2 * 1233) >> 12) as usize; // at most 18
    below + 1 + usize::from(n >= POW10[below + 1])
}

/// Characters of an integer written in decimal, with its sign.
#[inline]
pub(crate) fn integer_chars(negative: bool, magnitude: u128) -> usize {
    let digits = match u64::try_from(magnitude) {
        Ok(small) => decimal_digits(small),
        // 128-bit division is slow: only past 64 bits.
        Err(_) => magnitude.ilog10() as usize + 1,
    };
    digits + usize::from(negative)
}

/// Characters of the decimal `units × 10^-scale` in its shortest plain
/// text: a sign, the whole part, and a point with the fraction only when
/// there is one, without its trailing zeros (`249.9`, `300`, `-0.05`).
/// That is how an amount goes out on the wire, and what a number read
/// as units was given as. `scale` is at most 19.
#[inline]
pub fn units_text_chars(units: i64, scale: u32) -> usize {
    let magnitude = units.unsigned_abs();
    let factor = POW10[scale as usize];
    let (whole, mut fraction) = (magnitude / factor, magnitude % factor);
    let mut chars = usize::from(units < 0) + decimal_digits(whole);
    if fraction != 0 {
        let mut fraction_digits = scale as usize;
        while fraction % 10 == 0 {
            fraction /= 10;
            fraction_digits -= 1;
        }
        chars += 1 + fraction_digits;
    }
    chars
}

/// Characters of `text` as a JSON string, quotes included, escaped as
/// `serde_json` escapes it.
pub(crate) fn string_chars(text: &str) -> usize {
    // One pass, sixteen bytes at a time: characters are the bytes that do
    // not continue one (UTF-8), and nearly every string needs no escape.
    // The tail is padded with spaces (a character each, needing no escape)
    // to a whole block, so a short name is one block, not a byte loop.
    let mut chunks = text.as_bytes().chunks_exact(BLOCK);
    let (mut chars, mut escaped) = (2, false);
    for chunk in &mut chunks {
        let (block_chars, block_escaped) = count_block(chunk);
        chars += block_chars;
        escaped |= block_escaped;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut padded = [b' '; BLOCK];
        padded[..rest.len()].copy_from_slice(rest);
        let (block_chars, block_escaped) = count_block(&padded);
        chars += block_chars - (BLOCK - rest.len());
        escaped |= block_escaped;
    }
    if !escaped {
        return chars;
    }
    let mut chars = 2;
    for &byte in text.as_bytes() {
        chars += match byte {
            // A UTF-8 continuation byte: part of a character already counted.
            0x80..=0xBF => 0,
            b'"' | b'\\' | 0x08 | 0x0C | b'\n' | b'\r' | b'\t' => 2,
            0x00..=0x1F => 6,
            _ => 1,
        };
    }
    chars
}

/// Bytes counted at once: one SSE2 register.
const BLOCK: usize = 16;

/// Characters in `block` (bytes that start one) and whether any byte
/// needs an escape. Byte-wide counters, which the compiler turns into
/// vector compares; a `usize` count took 60 instructions a block.
#[inline(always)]
fn count_block(block: &[u8]) -> (usize, bool) {
    let (starts, escapes) = block.iter().fold((0u8, 0u8), |(starts, escapes), &b| {
        (starts + u8::from(b & 0xC0 != 0x80), escapes | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\'))
    });
    (usize::from(starts), escapes != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_those_written() {
        let mut samples: Vec<u64> = vec![0, u64::MAX];
        for power in POW10 {
            samples.extend([power, power - 1, power + 1, power.saturating_mul(5)]);
        }
        samples.extend((0..64).map(|bit| 1u64 << bit));
        samples.extend((0..64).map(|bit| (1u64 << bit) - 1));
        for n in samples {
            assert_eq!(decimal_digits(n), n.to_string().len(), "{n}");
        }
    }

    #[test]
    fn units_are_counted_as_their_shortest_text() {
        for units in [0i64, 1, -1, 5, 10, 50, 99, 100, 24_990, 30_000, -5, 123_456_789, i64::MAX, i64::MIN + 1] {
            for scale in [0u32, 2, 3, 6] {
                let text = rust_decimal::Decimal::new(units, scale).normalize().to_string();
                assert_eq!(units_text_chars(units, scale), text.len(), "{units} at scale {scale}: {text}");
            }
        }
    }

    #[test]
    fn strings_are_counted_as_serde_json_writes_them() {
        let long = "Чай зелёный, 100 г; ".repeat(5);
        let long_escaped = format!("{long}\"{long}");
        let short = ["", "abc", "Чай зелёный, 100 г", "a\"b\\c", "tab\there", "\u{1}", "€😀", "new\nline\r"];
        for text in short.into_iter().chain([long.as_str(), long_escaped.as_str(), "exactly sixteen!"]) {
            let written = serde_json::to_string(text).unwrap();
            assert_eq!(string_chars(text), written.chars().count(), "{text:?}");
        }
    }
}
