//! INN (taxpayer identification number) check digits.

use crate::catalog::{CASHIER_INN_PERSON, INN_ALL_ZEROS, INN_CHECKSUM, INN_FORMAT};
use crate::context::Context;
use crate::validate::Check;

/// Which INNs a field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InnKind {
    /// 10 digits: an organisation.
    Legal,
    /// 12 digits: an individual or an individual entrepreneur.
    Person,
    /// Either.
    Any,
}

/// Why an INN is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InnError {
    /// Not 10 or 12 digits (or not the length the field needs).
    Format,
    /// Right length, wrong check digit.
    Checksum,
    /// All zeros: it passes the check digits but is never issued (its
    /// first four digits would be the tax office 0000).
    Zeros,
}

const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
}

/// Checks an INN of the given kind: 10 digits with the check digit over
/// weights 2,4,10,3,5,9,4,6,8; 12 digits with two check digits over weights
/// 7,2,4,10,3,5,9,4,6,8 and 3,7,2,4,10,3,5,9,4,6,8 (each sum mod 11 mod 10).
///
/// ```
/// use ofdkit::rules::{inn_error, InnError, InnKind};
/// assert_eq!(inn_error("7825706086", InnKind::Any), None);
/// assert_eq!(inn_error("1234567891", InnKind::Any), Some(InnError::Checksum));
/// ```
pub fn inn_error(inn: &str, kind: InnKind) -> Option<InnError> {
    // A fixed array, not a Vec: this runs on every receipt.
    let mut digits = [0u32; 12];
    if !matches!(inn.len(), 10 | 12) || !inn.bytes().all(|b| b.is_ascii_digit()) {
        return Some(InnError::Format);
    }
    for (digit, b) in digits.iter_mut().zip(inn.bytes()) {
        *digit = u32::from(b - b'0');
    }
    let digits = &digits[..inn.len()];
    if matches!(digits.len(), 10 | 12) && digits.iter().all(|d| *d == 0) {
        return Some(InnError::Zeros);
    }
    let ok = match (digits.len(), kind) {
        (10, InnKind::Legal | InnKind::Any) => check_digit(&digits[..9], &W10) == digits[9],
        (12, InnKind::Person | InnKind::Any) => {
            check_digit(&digits[..10], &W11) == digits[10] && check_digit(&digits[..11], &W12) == digits[11]
        }
        _ => return Some(InnError::Format),
    };
    (!ok).then_some(InnError::Checksum)
}

/// The INN rule as a field check.
#[derive(Clone, Copy, Debug)]
pub struct Inn(pub InnKind);

impl Check<String> for Inn {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        let pattern = match self.0 {
            InnKind::Legal => "^[0-9]{10}$",
            InnKind::Person => "^[0-9]{12}$",
            InnKind::Any => "^([0-9]{10}|[0-9]{12})$",
        };
        field.set("pattern", serde_json::json!(pattern));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        match inn_error(value, self.0) {
            None => {}
            Some(InnError::Format) => match self.0 {
                InnKind::Legal => cx.bad_format(INN_FORMAT, "an INN of 10 digits", "ИНН из 10 цифр"),
                // Only the cashier's INN must be a person's (tag 1203).
                InnKind::Person => cx.bad_format(
                    CASHIER_INN_PERSON,
                    "an INN of 12 digits: a cashier is a person",
                    "ИНН из 12 цифр: кассир — физическое лицо",
                ),
                InnKind::Any => cx.bad_format(INN_FORMAT, "an INN of 10 or 12 digits", "ИНН из 10 или 12 цифр"),
            },
            Some(InnError::Checksum) => cx.violate(
                INN_CHECKSUM,
                format!("INN {value} has a wrong check digit"),
                format!("ИНН {value}: неверное контрольное число"),
            ),
            Some(InnError::Zeros) => cx.violate(
                INN_ALL_ZEROS,
                format!("{value} is not an INN: an INN of zeros is never issued"),
                format!("{value} — не ИНН: ИНН из одних нулей не присваивается"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_real_inns() {
        for valid in ["7825706086", "8634330204", "4501037489", "7709364346", "287381373424", "500100732259"] {
            assert_eq!(inn_error(valid, InnKind::Any), None, "{valid}");
        }
        assert_eq!(inn_error("1234567891", InnKind::Any), Some(InnError::Checksum));
        // The ofd_inn of the spec's report example (§4) is made up as well.
        assert_eq!(inn_error("7709364545", InnKind::Any), Some(InnError::Checksum));
        assert_eq!(inn_error("287381373425", InnKind::Any), Some(InnError::Checksum));
        assert_eq!(inn_error("7825706086", InnKind::Person), Some(InnError::Format));
        assert_eq!(inn_error("287381373424", InnKind::Legal), Some(InnError::Format));
        for bad in ["", "123", "78257060860", "78257O6086", "７８２５７０６０８６", "+825706086"] {
            assert_eq!(inn_error(bad, InnKind::Any), Some(InnError::Format), "{bad}");
        }
        assert_eq!(inn_error("0000000000", InnKind::Any), Some(InnError::Zeros));
        assert_eq!(inn_error("000000000000", InnKind::Person), Some(InnError::Zeros));
    }
}
