//! VAT of a sum at every rate, rounded half-up to the kopeck.
//!
//! Receipt prices include VAT, so the VAT of a sum at rate p % is
//! sum × p / (100 + p): 20/120 for both `vat20` and `vat120`, 10/110,
//! 22/122, 5/105, 7/107. The calculated rates (`vat120`, …) differ from the
//! plain ones in what the fiscal document says, not in the arithmetic.

use crate::codes::{Code, VatType};
use crate::money::Amount;

/// A VAT rate: `percent` %, and whether it is the calculated rate
/// percent/(100 + percent) used for advances and prepayments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VatRate {
    /// The rate in percent.
    pub percent: u32,
    /// Whether it is the calculated rate percent/(100 + percent).
    pub calculated: bool,
}

impl VatType {
    /// The rate, read off the wire name: `vatNN` is NN %, `vat1NN` is the
    /// calculated NN/1NN; `none` has no rate.
    ///
    /// ```
    /// use ofdkit::codes::VatType;
    /// assert_eq!(VatType::Vat122.rate().map(|r| (r.percent, r.calculated)), Some((22, true)));
    /// assert_eq!(VatType::None.rate(), None);
    /// ```
    pub fn rate(self) -> Option<VatRate> {
        RATES[self.index()]
    }
}

/// Each rate read off its wire name once, when compiled: parsing the name
/// for every item was a fifth of checking its VAT.
const RATES: [Option<VatRate>; VatType::ALL.len()] = {
    let entries = VatType::TABLE.entries;
    let mut rates = [None; VatType::ALL.len()];
    let mut i = 0;
    while i < entries.len() {
        rates[i] = rate_of_wire(entries[i].wire.as_bytes());
        i += 1;
    }
    rates
};

/// `vatNN` is NN %, `vat1NN` the calculated NN/1NN; anything else has no rate.
const fn rate_of_wire(wire: &[u8]) -> Option<VatRate> {
    let [b'v', b'a', b't', digits @ ..] = wire else { return None };
    if digits.is_empty() {
        return None;
    }
    let (mut number, mut i) = (0u32, 0);
    while i < digits.len() {
        if !digits[i].is_ascii_digit() {
            return None;
        }
        number = number * 10 + (digits[i] - b'0') as u32;
        i += 1;
    }
    Some(if number >= 100 {
        VatRate { percent: number - 100, calculated: true }
    } else {
        VatRate { percent: number, calculated: false }
    })
}

/// The VAT included in `sum` at `vat`'s rate, rounded half-up to the kopeck;
/// zero for `none` and `vat0`.
///
/// ```
/// use ofdkit::{codes::VatType, money::Amount, vat::vat_of};
/// let sum: Amount = "300".parse().unwrap();
/// assert_eq!(vat_of(sum, VatType::Vat20).to_string(), "50.00");
/// assert_eq!(vat_of("100".parse().unwrap(), VatType::Vat10).to_string(), "9.09");
/// assert_eq!(vat_of("100".parse().unwrap(), VatType::Vat22).to_string(), "18.03");
/// ```
pub fn vat_of(sum: Amount, vat: VatType) -> Amount {
    let Some(rate) = vat.rate() else { return Amount::ZERO };
    vat_at_percent(sum, rate.percent)
}

/// The VAT in `sum` at `percent`, rounded half-up; exact integer
/// arithmetic, so no rounding error can creep in.
fn vat_at_percent(sum: Amount, percent: u32) -> Amount {
    // round(n / d) half-up for n ≥ 0 is floor((2n + d) / 2d). An amount
    // is below 10^10 kopecks and a rate a few dozen percent, so i64 holds
    // it, and its division is one instruction where i128's was a call per
    // item; i128 stays for what would not fit.
    let p = i64::from(percent);
    let vat = match sum.kopecks().checked_mul(2 * p) {
        Some(twice_numerator) => (twice_numerator + 100 + p) / (2 * (100 + p)),
        None => {
            let p = i128::from(percent);
            let numerator = i128::from(sum.kopecks()) * p;
            let vat = (2 * numerator + 100 + p) / (2 * (100 + p));
            i64::try_from(vat).unwrap_or(i64::MAX)
        }
    };
    // VAT is a part of the sum (p / (100 + p) < 1), so it is an amount no
    // larger than `sum`: the fallback is never taken.
    Amount::from_kopecks(vat).unwrap_or(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vat_in_i64_is_the_exact_quotient() {
        let exact = |kopecks: i64, percent: u32| {
            let (n, p) = (i128::from(kopecks), i128::from(percent));
            (2 * n * p + 100 + p) / (2 * (100 + p))
        };
        let sums = [0, 1, 49, 50, 99, 12_345, 99_999_999, 9_999_999_999];
        for kopecks in sums.into_iter().chain((0..2000).map(|i| i * 7_919 + i % 13)) {
            let sum = Amount::from_kopecks(kopecks).unwrap();
            for percent in [0, 5, 7, 10, 12, 18, 20, 22, 110, 120, 1_000_000, u32::MAX] {
                let vat = vat_at_percent(sum, percent).kopecks();
                assert_eq!(
                    i128::from(vat),
                    exact(kopecks, percent).min(i128::from(kopecks)),
                    "{kopecks} at {percent}%"
                );
            }
        }
    }

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    #[test]
    fn every_rate() {
        let sum = amount("1000");
        let expected = [
            (VatType::None, "0.00"),
            (VatType::Vat0, "0.00"),
            (VatType::Vat10, "90.91"),
            (VatType::Vat110, "90.91"),
            (VatType::Vat20, "166.67"),
            (VatType::Vat120, "166.67"),
            (VatType::Vat5, "47.62"),
            (VatType::Vat7, "65.42"),
            (VatType::Vat105, "47.62"),
            (VatType::Vat107, "65.42"),
            (VatType::Vat22, "180.33"),
            (VatType::Vat122, "180.33"),
        ];
        assert_eq!(expected.len(), VatType::ALL.len());
        for (vat, want) in expected {
            assert_eq!(vat_of(sum, vat).to_string(), want, "{vat}");
        }
    }

    #[test]
    fn rounds_half_up() {
        // 0.06 × 20/120 = 0.01 exactly; 0.03 × 20/120 = 0.005 → 0.01.
        assert_eq!(vat_of(amount("0.06"), VatType::Vat20), amount("0.01"));
        assert_eq!(vat_of(amount("0.03"), VatType::Vat20), amount("0.01"));
        assert_eq!(vat_of(amount("0.02"), VatType::Vat20), amount("0"));
        // 1.05 × 5/105 = 0.05 exactly.
        assert_eq!(vat_of(amount("1.05"), VatType::Vat5), amount("0.05"));
        assert_eq!(vat_of(Amount::MAX, VatType::Vat20), amount("16666666.67"));
    }
}
