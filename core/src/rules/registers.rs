//! The numbers of Russia's registers: OGRN and OGRNIP, KPP, FIAS codes,
//! OKVED codes, and the KKT registration number with its CRC. The rules
//! that report them, with their sources, are in the catalog.

use crate::catalog::{Rule, BASE64_FORMAT, KPP_FORMAT, OGRN_ALL_ZEROS, OGRN_CHECKSUM, OGRN_FORMAT, OKVED_FORMAT};
use crate::context::Context;
use crate::validate::Check;

/// Which state registration number a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OgrnKind {
    /// OGRN of an organisation: 13 digits.
    Legal,
    /// OGRNIP of an individual entrepreneur: 15 digits.
    Entrepreneur,
    /// Either.
    Any,
}

/// Whether an OGRN (13 digits: the first 12 as a number mod 11, then mod
/// 10, is the last digit) or OGRNIP (15 digits: the first 14 mod 13, then
/// mod 10) is well formed; `Err(true)` for a wrong check digit or all
/// zeros (which pass it but are never issued), `Err(false)` for a wrong
/// length or non-digits.
///
/// ```
/// use ofdkit::rules::{ogrn_check, OgrnKind};
/// assert_eq!(ogrn_check("1027700132195", OgrnKind::Legal), Ok(()));
/// assert_eq!(ogrn_check("304500116000157", OgrnKind::Entrepreneur), Ok(()));
/// assert_eq!(ogrn_check("1027700132196", OgrnKind::Any), Err(true));
/// ```
pub fn ogrn_check(ogrn: &str, kind: OgrnKind) -> Result<(), bool> {
    if !ogrn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(false);
    }
    let modulus = match (ogrn.len(), kind) {
        (13, OgrnKind::Legal | OgrnKind::Any) => 11,
        (15, OgrnKind::Entrepreneur | OgrnKind::Any) => 13,
        _ => return Err(false),
    };
    if ogrn.bytes().all(|b| b == b'0') {
        return Err(true);
    }
    let (body, check) = ogrn.split_at(ogrn.len() - 1);
    // At most 14 digits: fits a u64.
    let body: u64 = body.parse().map_err(|_| false)?;
    let check: u64 = check.parse().map_err(|_| false)?;
    if body % modulus % 10 == check {
        Ok(())
    } else {
        Err(true)
    }
}

/// The OGRN rule as a field check.
#[derive(Clone, Copy, Debug)]
pub struct Ogrn(pub OgrnKind);

impl Check<String> for Ogrn {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        let pattern = match self.0 {
            OgrnKind::Legal => "^[0-9]{13}$",
            OgrnKind::Entrepreneur => "^[0-9]{15}$",
            OgrnKind::Any => "^([0-9]{13}|[0-9]{15})$",
        };
        field.set("pattern", serde_json::json!(pattern));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        match ogrn_check(value, self.0) {
            Ok(()) => {}
            Err(false) => {
                let (en, ru) = match self.0 {
                    OgrnKind::Legal => ("an OGRN of 13 digits", "ОГРН из 13 цифр"),
                    OgrnKind::Entrepreneur => ("an OGRNIP of 15 digits", "ОГРНИП из 15 цифр"),
                    OgrnKind::Any => ("an OGRN of 13 or an OGRNIP of 15 digits", "ОГРН из 13 или ОГРНИП из 15 цифр"),
                };
                cx.bad_format(OGRN_FORMAT, en, ru);
            }
            Err(true) if value.bytes().all(|b| b == b'0') => cx.violate(
                OGRN_ALL_ZEROS,
                format!("{value} is not an OGRN: one of zeros is never issued"),
                format!("{value} — не ОГРН: номер из одних нулей не присваивается"),
            ),
            Err(true) => cx.violate(
                OGRN_CHECKSUM,
                format!("OGRN {value} has a wrong check digit"),
                format!("ОГРН {value}: неверное контрольное число"),
            ),
        }
    }
}

/// A KPP: 9 characters, four digits (the tax office), two digits or
/// capital Latin letters (the reason), three digits.
pub fn is_kpp(kpp: &str) -> bool {
    let b = kpp.as_bytes();
    b.len() == 9
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..6].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[6..].iter().all(u8::is_ascii_digit)
}

/// A KPP (see [`is_kpp`]).
#[derive(Clone, Copy, Debug)]
pub struct Kpp;

impl Check<String> for Kpp {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        field.set("pattern", serde_json::json!("^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$"));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if !is_kpp(value) {
            cx.bad_format(KPP_FORMAT, "a KPP of 9 characters (NNNNPPNNN)", "КПП из 9 символов (NNNNPPNNN)");
        }
    }
}

/// A FIAS identifier: a UUID, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex.
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A UUID by `rule`: a FIAS code must be one (an error); the agreement's
/// identifier only looks like one in the spec's examples (a warning).
#[derive(Clone, Copy, Debug)]
pub struct Uuid(pub &'static Rule);

impl Check<String> for Uuid {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        if self.0.is_error() {
            let pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
            field.set("pattern", serde_json::json!(pattern));
        }
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if is_uuid(value) {
            return;
        }
        if self.0.is_error() {
            cx.bad_format(
                self.0,
                "a UUID such as 0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
                "идентификатором UUID, например 0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
            );
        } else {
            cx.violate(
                self.0,
                "is not a UUID like the identifiers in the spec's examples (0c5b2444-70a0-4932-980c-b4dc0d3f02b5); the spec gives no format, so it is sent as given",
                "не похоже на UUID, как идентификаторы в примерах спецификации (0c5b2444-70a0-4932-980c-b4dc0d3f02b5); спецификация формат не задаёт, значение будет отправлено как есть",
            );
        }
    }
}

/// An OKVED code: two digits, then up to two groups of a dot and one or
/// two digits: `47`, `47.9`, `47.91`, `47.91.1`, `47.91.11`.
pub fn is_okved(code: &str) -> bool {
    let mut parts = code.split('.');
    let first = parts.next().unwrap_or_default();
    if first.len() != 2 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    rest.len() <= 2 && rest.iter().all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// An OKVED code: two digits, then up to two groups of one or two digits.
#[derive(Clone, Copy, Debug)]
pub struct Okved;

impl Check<String> for Okved {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        field.set("pattern", serde_json::json!(r"^[0-9]{2}(\.[0-9]{1,2}){0,2}$"));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if !is_okved(value) {
            cx.bad_format(OKVED_FORMAT, "an OKVED code such as 47.91", "кодом ОКВЭД, например 47.91");
        }
    }
}

/// Standard base64 (RFC 4648 §4) with its padding; not empty.
pub fn is_base64(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_empty() || b.len() % 4 != 0 {
        return false;
    }
    let padding = b.iter().rev().take_while(|c| **c == b'=').count();
    padding <= 2 && b[..b.len() - padding].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// Base64 (see [`is_base64`]).
#[derive(Clone, Copy, Debug)]
pub struct Base64;

impl Check<String> for Base64 {
    fn describe(&self, field: &mut crate::schema::FieldSchema) {
        let pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$";
        field.set("pattern", serde_json::json!(pattern));
    }

    fn check(&self, value: &String, cx: &mut Context) {
        if !is_base64(value) {
            cx.bad_format(
                BASE64_FORMAT,
                "base64 (RFC 4648, with padding)",
                "строкой base64 (RFC 4648, с выравниванием)",
            );
        }
    }
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no final XOR.
pub fn crc16_ccitt_false(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// Why a registration number cannot be computed or checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegNumberError {
    /// The first part is not 10 digits.
    #[error("the first part of a registration number is 10 digits")]
    Prefix,
    /// The INN is not 10 or 12 digits.
    #[error("the INN is 10 or 12 digits")]
    Inn,
    /// The serial number is not 1 to 20 characters.
    #[error("the serial number is 1 to 20 characters")]
    Serial,
    /// The registration number is not 16 digits.
    #[error("a registration number is 16 digits")]
    Length,
}

impl RegNumberError {
    /// The same in Russian; the English is the `Display`.
    pub fn message_ru(&self) -> &'static str {
        match self {
            RegNumberError::Prefix => "первая часть регистрационного номера — 10 цифр",
            RegNumberError::Inn => "ИНН — 10 или 12 цифр",
            RegNumberError::Serial => "заводской номер — от 1 до 20 символов",
            RegNumberError::Length => "регистрационный номер — 16 цифр",
        }
    }
}

/// The full 16-digit KKT registration number from its first 10 digits (the
/// FNS's running number), the user's INN and the KKT's serial number: the
/// last 6 digits are the CRC-16/CCITT-FALSE of the ASCII of the 10 digits,
/// the INN zero-padded to 12 and the serial number zero-padded to 20,
/// written as a zero-padded decimal.
///
/// ```
/// use ofdkit::rules::kkt_registration_number;
/// assert_eq!(kkt_registration_number("0007795807", "7825706086", "00105726645591").unwrap(), "0007795807005569");
/// ```
pub fn kkt_registration_number(first_ten: &str, inn: &str, serial: &str) -> Result<String, RegNumberError> {
    if first_ten.len() != 10 || !first_ten.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RegNumberError::Prefix);
    }
    if !matches!(inn.len(), 10 | 12) || !inn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RegNumberError::Inn);
    }
    if serial.is_empty() || serial.len() > 20 || !serial.is_ascii() {
        return Err(RegNumberError::Serial);
    }
    let data = format!("{first_ten}{inn:0>12}{serial:0>20}");
    Ok(format!("{first_ten}{:06}", crc16_ccitt_false(data.as_bytes())))
}

/// Whether a 16-digit registration number matches the INN and serial number.
pub fn check_kkt_registration_number(reg_number: &str, inn: &str, serial: &str) -> Result<bool, RegNumberError> {
    if reg_number.len() != 16 || !reg_number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RegNumberError::Length);
    }
    Ok(kkt_registration_number(&reg_number[..10], inn, serial)? == reg_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ogrns() {
        for ok in ["1027700132195", "1127847298842", "1145266000000"] {
            assert_eq!(ogrn_check(ok, OgrnKind::Legal), Ok(()), "{ok}");
        }
        assert_eq!(ogrn_check("304500116000157", OgrnKind::Entrepreneur), Ok(()));
        assert_eq!(ogrn_check("304500116000157", OgrnKind::Legal), Err(false));
        assert_eq!(ogrn_check("1127847000000", OgrnKind::Any), Err(true));
        assert_eq!(ogrn_check("11278470000x0", OgrnKind::Any), Err(false));
        assert_eq!(ogrn_check("0000000000000", OgrnKind::Legal), Err(true));
    }

    #[test]
    fn kpps_uuids_okveds_base64() {
        assert!(is_kpp("771343001") && is_kpp("7713AB001"));
        assert!(!is_kpp("77134300") && !is_kpp("7713ab001") && !is_kpp("77A343001"));
        assert!(is_uuid("5fe3c011-3137-422f-bde8-893dbd41d326"));
        assert!(!is_uuid("777b77e7-a777-7e77-77d7-7fcbafd77fe77"));
        for ok in ["47", "47.9", "47.91", "47.91.1", "62.01.11"] {
            assert!(is_okved(ok), "{ok}");
        }
        for bad in ["4", "47.", "47.911", "47.91.1.1", "a7.91"] {
            assert!(!is_okved(bad), "{bad}");
        }
        assert!(is_base64("AA==") && is_base64("TWFu") && !is_base64("AA=") && !is_base64("A===") && !is_base64(""));
    }

    #[test]
    fn registration_numbers() {
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(check_kkt_registration_number("0007795807005569", "7825706086", "00105726645591"), Ok(true));
        assert_eq!(check_kkt_registration_number("0007795807005568", "7825706086", "00105726645591"), Ok(false));
        assert_eq!(check_kkt_registration_number("000779580700556", "7825706086", "1"), Err(RegNumberError::Length));
        assert_eq!(kkt_registration_number("123", "7825706086", "1"), Err(RegNumberError::Prefix));
    }
}
