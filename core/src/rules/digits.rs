//! Digit strings, barcodes and the fur mark.

use crate::catalog::{Rule, BARCODE_CHECK_DIGIT, BARCODE_FORMAT, FUR_MARK_FORMAT};
use crate::context::Context;
use crate::validate::Check;

/// A string of `min..=max` ASCII digits; `rule` says whose rule that is
/// (a fiscal drive's number, a postal index, …).
#[derive(Clone, Copy, Debug)]
pub struct Digits {
    /// The fewest digits.
    pub min: usize,
    /// The most digits.
    pub max: usize,
    /// The rule a violation names.
    pub rule: &'static Rule,
}

impl Check<String> for Digits {
    fn check(&self, value: &String, cx: &mut Context) {
        let ok = (self.min..=self.max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            let (en, ru) = if self.min == self.max {
                (format!("exactly {} digits", self.min), format!("ровно {} цифр", self.min))
            } else {
                (format!("{} to {} digits", self.min, self.max), format!("от {} до {} цифр", self.min, self.max))
            };
            cx.bad_format(self.rule, &en, &ru);
        }
    }

    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        if self.rule.is_error() {
            field.set("pattern", serde_json::json!(format!("^[0-9]{{{},{}}}$", self.min, self.max)));
        }
    }
}

/// A string that must equal one fixed value, by `rule`.
#[derive(Clone, Copy, Debug)]
pub struct Equals(pub &'static str, pub &'static Rule);

impl Check<String> for Equals {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        field.set("const", serde_json::json!(self.0));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if value != self.0 {
            cx.violate(
                self.1,
                format!("must be \"{}\"; got \"{value}\"", self.0),
                format!("должно быть равно \"{}\"; передано \"{value}\"", self.0),
            );
        }
    }
}

/// Whether the last digit of a GS1 code (EAN-8, EAN-13, ITF-14) is right:
/// weights 3 and 1 alternate from the digit before it, leftwards.
pub fn gs1_check_digit_ok(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != code.len() || digits.len() < 2 {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body.iter().rev().enumerate().map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d }).sum();
    (10 - sum % 10) % 10 == check[0]
}

/// A GS1 barcode of a fixed length with its check digit (tags 1301–1303).
#[derive(Clone, Copy, Debug)]
pub struct Barcode {
    /// How many digits.
    pub digits: usize,
    /// The barcode's name in messages (`EAN-13`).
    pub name: &'static str,
}

impl Check<String> for Barcode {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        field.set("pattern", serde_json::json!(format!("^[0-9]{{{}}}$", self.digits)));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if value.len() != self.digits || !value.bytes().all(|b| b.is_ascii_digit()) {
            cx.bad_format(
                BARCODE_FORMAT,
                &format!("an {} code of exactly {} digits", self.name, self.digits),
                &format!("кодом {} ровно из {} цифр", self.name, self.digits),
            );
        } else if !gs1_check_digit_ok(value) {
            cx.violate(
                BARCODE_CHECK_DIGIT,
                format!("{} code {value} has a wrong check digit", self.name),
                format!("код {} {value}: неверная контрольная цифра", self.name),
            );
        }
    }
}

/// The control and identification mark of a fur product (tag 1307).
///
/// Table 3.3 says "exactly 20 characters, mask СС-ЦЦЦЦЦ-ССССССССС"; that mask
/// has 18 characters and lost a digit and a letter in the spec's copy. Real
/// marks are two letters, six digits and ten letters or digits
/// (`RU-430302-ABC1234567`), which is 20 characters; that is what is checked.
#[derive(Clone, Copy, Debug)]
pub struct FurMark;

impl FurMark {
    /// Whether `value` is such a mark.
    pub fn matches(value: &str) -> bool {
        let b = value.as_bytes();
        b.len() == 20
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2] == b'-'
            && b[3..9].iter().all(u8::is_ascii_digit)
            && b[9] == b'-'
            && b[10..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    }
}

impl Check<String> for FurMark {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        field.set("pattern", serde_json::json!("^[A-Z]{2}-[0-9]{6}-[A-Z0-9]{10}$"));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if !FurMark::matches(value) {
            cx.bad_format(
                FUR_MARK_FORMAT,
                "a fur mark of exactly 20 characters: 2 letters, -, 6 digits, -, 10 letters or digits (RU-430302-ABC1234567)",
                "КиЗ из ровно 20 символов: 2 буквы, -, 6 цифр, -, 10 букв или цифр (RU-430302-ABC1234567)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gs1_check_digits() {
        for ok in ["4006381333931", "96385074", "40700719670720", "4601234567893"] {
            assert!(gs1_check_digit_ok(ok), "{ok}");
        }
        for bad in ["4006381333932", "96385075", "1", "", "40063813339x1"] {
            assert!(!gs1_check_digit_ok(bad), "{bad}");
        }
    }

    #[test]
    fn fur_marks() {
        assert!(FurMark::matches("RU-430302-ABC1234567"));
        assert!(!FurMark::matches("RU-43030-ABC1234567"));
        assert!(!FurMark::matches("ru-430302-ABC1234567"));
        assert!(!FurMark::matches("RU-430302-ABC123456Ж"));
    }
}
