//! Phones and email addresses.

use crate::catalog::{CLIENT_PHONE_FORMAT, EMAIL_FORMAT, PHONE_FORMAT};
use crate::context::Context;
use crate::validate::Check;

/// A client's phone as table 3.2 asks: `+7` and ten digits
/// (`+79771080684`). A wrong number means the receipt never reaches the
/// buyer, nothing worse (rule `client_phone_format`).
pub fn is_ru_phone(phone: &str) -> bool {
    phone.strip_prefix("+7").is_some_and(|rest| rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// A phone of an agent, operator or supplier (tags 1073–1075, 1171): `+`
/// and up to 18 digits (FFD allows 19 characters), any country. The spec
/// gives no format, so a mismatch is a warning (rule `phone_format`).
pub fn is_phone(phone: &str) -> bool {
    phone
        .strip_prefix('+')
        .is_some_and(|rest| (1..=18).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// A plausible email address: one `@`, a local part without spaces, a
/// domain of dot-separated labels of letters (Latin or not), digits and
/// hyphens, ending in a label of two or more letters.
pub fn is_email(email: &str) -> bool {
    // The first `@` by a plain loop: `split_once` searched with `memchr`,
    // whose setup cost more than this whole short string.
    let Some(at) = email.bytes().position(|b| b == b'@') else { return false };
    let (local, domain) = (&email[..at], &email[at + 1..]);
    !local.is_empty() && local.len() <= 64 && is_local_part(local) && is_domain(domain)
}

/// Letters, digits and RFC 5322's symbols, with no dot first, last or
/// twice in a row. One pass: this runs on every receipt.
fn is_local_part(local: &str) -> bool {
    let mut previous = '.'; // so that a leading dot fails
    for c in local.chars() {
        if c == '.' && previous == '.' || !(c.is_alphanumeric() || is_local_symbol(c)) {
            return false;
        }
        previous = c;
    }
    previous != '.'
}

/// Two or more labels of letters, digits and inner hyphens, the last of
/// two or more letters or an IDN's `xn--` form. One pass, as above.
fn is_domain(domain: &str) -> bool {
    let (mut labels, mut label_chars, mut label_start, mut all_letters) = (0, 0, 0, true);
    let mut previous = '.';
    for (i, c) in domain.char_indices() {
        if c == '.' {
            if label_chars == 0 || previous == '-' {
                return false;
            }
            (labels, label_chars, label_start, all_letters) = (labels + 1, 0, i + 1, true);
        } else {
            if !(c.is_alphanumeric() || c == '-') || label_chars == 0 && c == '-' {
                return false;
            }
            all_letters &= c.is_alphabetic();
            label_chars += 1;
        }
        previous = c;
    }
    if label_chars == 0 || previous == '-' || labels == 0 {
        return false;
    }
    label_chars >= 2 && all_letters || domain[label_start..].starts_with("xn--")
}

/// The symbols RFC 5322 allows in a local part besides letters and digits.
fn is_local_symbol(c: char) -> bool {
    matches!(
        c,
        '!' | '#'
            | '$'
            | '%'
            | '&'
            | '\''
            | '*'
            | '+'
            | '-'
            | '/'
            | '='
            | '?'
            | '^'
            | '_'
            | '`'
            | '{'
            | '|'
            | '}'
            | '~'
            | '.'
    )
}

/// `+7` and ten digits (the client's phone).
#[derive(Clone, Copy, Debug)]
pub struct RuPhone;

impl Check<String> for RuPhone {
    fn check(&self, value: &String, cx: &mut Context) {
        if !is_ru_phone(value) {
            cx.violate(
                CLIENT_PHONE_FORMAT,
                "is not +7 and 10 digits (such as +79001234567): Ferma fiscalises the receipt but does not send it to this phone (table 3.2)",
                "не в формате +7 и 10 цифр (например +79001234567): Ferma пробьёт чек, но не отправит его на этот телефон (табл. 3.2)",
            );
        }
    }
}

/// `+` and up to 18 digits.
#[derive(Clone, Copy, Debug)]
pub struct Phone;

impl Check<String> for Phone {
    fn check(&self, value: &String, cx: &mut Context) {
        if !is_phone(value) {
            cx.violate(
                PHONE_FORMAT,
                "is not written as + and up to 18 digits (such as +79001234567), as FFD writes phones; the spec gives no format, so it is sent as given",
                "не в формате + и до 18 цифр (например +79001234567), как телефоны записывает ФФД; спецификация формат не задаёт, значение будет отправлено как есть",
            );
        }
    }
}

/// An email address.
#[derive(Clone, Copy, Debug)]
pub struct Email;

impl Check<String> for Email {
    fn check(&self, value: &String, cx: &mut Context) {
        if !is_email(value) {
            cx.violate(
                EMAIL_FORMAT,
                "does not look like an email address (such as name@example.ru): mail sent to it will not arrive",
                "не похоже на адрес электронной почты (например name@example.ru): письмо на него не дойдёт",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert!(is_ru_phone("+79771080684"));
        for bad in ["79771080684", "+7977108068", "+797710806841", "+7 977 108 06 84", "+8977108068x", ""] {
            assert!(!is_ru_phone(bad), "{bad}");
        }
        assert!(is_phone("+79998887766"));
        assert!(is_phone("+442071838750"));
        assert!(!is_phone("89998887766"));
        assert!(!is_phone("+"));
        assert!(!is_phone("+1234567890123456789"));
    }

    #[test]
    fn emails() {
        for ok in [
            "test@test.ru",
            "kamarip214@falkyz.com",
            "a.b+c@mail.example.org",
            "почта@пример.рф",
            "x@xn--p1ai.xn--p1ai",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "@gmail.com",
            "test",
            "test@",
            "test@localhost",
            "a b@c.ru",
            "a@b..ru",
            "a@@b.ru",
            "a@b.r",
            ".a@b.ru",
            "a@-b.ru",
            "a@b.ru.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
