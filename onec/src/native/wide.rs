//! UTF-16 strings the platform passes as bare `const WCHAR_T *`: method and
//! property names, the locale. They end at a NUL unit; the NUL is never
//! part of the text.

use super::variant::WChar;

/// Longest name read from the platform: a bound on a scan for a NUL that
/// a broken caller might never have written.
const MAX_NAME_UNITS: usize = 4096;

/// The text of a NUL-terminated UTF-16 string, without the NUL; `None` for
/// NULL, for a string with no NUL within `MAX_NAME_UNITS`, or one that
/// is not valid UTF-16.
///
/// # Safety
/// `pointer` is NULL or points to UTF-16 units up to a NUL or at least
/// `MAX_NAME_UNITS` of them.
pub unsafe fn read_nul_terminated(pointer: *const WChar) -> Option<String> {
    if pointer.is_null() {
        return None;
    }
    let len = (0..MAX_NAME_UNITS).find(|&i| *pointer.add(i) == 0)?;
    String::from_utf16(std::slice::from_raw_parts(pointer, len)).ok()
}

/// Whether `given` names `name`: 1C's language ignores letter case, in
/// Cyrillic as in Latin (`ПроверитьЧек`, `проверитьчек`, `VALIDATERECEIPT`).
pub fn same_name(given: &str, name: &str) -> bool {
    given.chars().flat_map(char::to_lowercase).eq(name.chars().flat_map(char::to_lowercase))
}

/// `text` as UTF-16 followed by a NUL, at compile time, for ASCII text.
pub const fn ascii_utf16<const N: usize>(text: &str) -> [WChar; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() + 1 == N, "N must be the text's length plus one for the NUL");
    let mut units = [0; N];
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i].is_ascii());
        units[i] = bytes[i] as WChar;
        i += 1;
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(text: &str) -> Vec<u16> {
        text.encode_utf16().chain([0]).collect()
    }

    #[test]
    fn reads_up_to_the_nul_and_not_the_nul() {
        let units = wide("ПроверитьЧек");
        assert_eq!(unsafe { read_nul_terminated(units.as_ptr()) }.as_deref(), Some("ПроверитьЧек"));
        assert_eq!(unsafe { read_nul_terminated(std::ptr::null()) }, None);
        let unterminated = vec![0x41u16; MAX_NAME_UNITS];
        assert_eq!(unsafe { read_nul_terminated(unterminated.as_ptr()) }, None);
    }

    #[test]
    fn names_match_in_any_case_in_both_alphabets() {
        assert!(same_name("ПРОВЕРИТЬЧЕК", "ПроверитьЧек"));
        assert!(same_name("validatereceipt", "ValidateReceipt"));
        assert!(same_name("ЁЛКА", "ёлка"));
        assert!(!same_name("ПроверитьЧе", "ПроверитьЧек"));
        assert!(!same_name("ПроверитьЧек\0", "ПроверитьЧек"));
    }

    #[test]
    fn compile_time_names_end_with_one_nul() {
        const NAME: [u16; 7] = ascii_utf16("Ofdkit");
        assert_eq!(NAME, [79, 102, 100, 107, 105, 116, 0]);
    }
}
