//! When the split rule (§3.2) can skip counting. Ferma splits a request
//! whose wire form is over 20 000 characters, so checking a request needs
//! that length; counting it walks the whole model, which took a sixth of
//! checking a typical receipt. A request read from text cannot grow past a
//! bound computed from the text alone, in one pass over its bytes, and a
//! typical receipt's bound is far below the threshold.
//!
//! Rewriting keeps strings, structure and unknown members no longer than
//! given (escapes only shrink or stay, whitespace goes). What can grow is a
//! member's name (an alias written under the wire name) and a scalar (a
//! code given by number written by name, an amount such as `1e5` written
//! in digits, a date): each at most the longest wire name or written
//! scalar, and each follows a `:`, a `,` or a `[` in the text. Strings may
//! hold those bytes too, which only makes the bound larger. The document
//! may also move to the operation's member (`receipt` → `correction`).

use super::rules::SPLIT_THRESHOLD_CHARS;
use crate::json::Extent;

/// The longest member name of a receipt or correction request, quotes
/// included (`"receive_payments_operator"`); a test checks it against the
/// published schemas.
pub(crate) const LONGEST_NAME_CHARS: usize = 27;

/// The longest scalar other than a string as written: a number (an `i64`
/// or the shortest `f64`, at most 24), a code's quoted name
/// (`"STATELESS_REVIEW_RF_ID"`, 24), a quoted date (21). Checked by a test.
pub(crate) const LONGEST_SCALAR_CHARS: usize = 24;

/// What one member or element can grow by: a name given in one character
/// (three with quotes) and a scalar given in one.
const GROWTH_PER_VALUE: usize = LONGEST_NAME_CHARS - 3 + LONGEST_SCALAR_CHARS - 1;

/// `"correction"` is longer than `"receipt"`.
const DOCUMENT_MOVE_CHARS: usize = 3;

/// The most characters the wire form of a request read from `text` can
/// have (its text without a byte order mark).
pub fn wire_chars_bound(text: &[u8]) -> usize {
    // Counted in blocks into a byte, which the compiler turns into vector
    // compares: a plain filter-count took eight instructions a byte.
    let values = text
        .chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(matches!(b, b':' | b',' | b'[')))))
        .sum::<usize>()
        + 1;
    text.len() + values * GROWTH_PER_VALUE + DOCUMENT_MOVE_CHARS
}

/// The most characters the wire form of a request read from a source
/// ([`crate::json::Source`]) can have: as for text, with the exact count of
/// its members and elements in place of the separators that bound it.
pub fn wire_chars_bound_of(extent: Extent) -> usize {
    extent.json_bytes + extent.values * GROWTH_PER_VALUE + DOCUMENT_MOVE_CHARS
}

/// Whether the wire form of a request read from a source is certainly at
/// most the split threshold.
pub(crate) fn certainly_unsplit_extent(extent: Extent) -> bool {
    wire_chars_bound_of(extent) <= SPLIT_THRESHOLD_CHARS
}

/// Whether the wire form of a request read from `text` is certainly at
/// most the split threshold, so the split rule cannot apply.
pub(crate) fn certainly_unsplit(text: &[u8]) -> bool {
    // The text's own length is a lower bound of nothing, but past the
    // threshold the bound is too, so skip the scan.
    text.len() <= SPLIT_THRESHOLD_CHARS && wire_chars_bound(text) <= SPLIT_THRESHOLD_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Operation;

    #[test]
    fn the_bound_holds_where_rewriting_grows_the_text() {
        // Amounts given as `4e7` go out as `40000000`, and the document
        // moves to "correction": the wire form is longer than the text.
        let text = br#"{"external_id":"1","receipt":{"company":{"sno":"osn","inn":"7825706086","payment_address":"s"},"items":[{"name":"T","price":4e7,"quantity":1,"sum":4e7,"measure":0,"payment_method":"full_payment","payment_object":1,"vat":{"type":"none"}}],"payments":[{"type":1,"sum":4e7}],"total":4e7,"client":{"email":"a@b.ru"},"correction_info":{"type":"self","base_date":"01.01.2026"}}}"#;
        let sent = crate::ferma::normalize_receipt_json(&text[..], Operation::SellCorrection).unwrap().value;
        assert!(sent.chars().count() > text.len(), "the example must grow");
        assert!(sent.chars().count() <= wire_chars_bound(text));
    }

    /// Every member name and string value a schema of a receipt or a
    /// correction request allows (the wire names and code tables).
    fn names_and_codes() -> (Vec<String>, Vec<String>) {
        fn walk(value: &crate::json::Value<'_>, names: &mut Vec<String>, codes: &mut Vec<String>) {
            use crate::json::Value;
            match value {
                Value::Object(members) => {
                    for (key, member) in members.iter() {
                        if let ("properties", Value::Object(properties)) = (key.as_ref(), member) {
                            names.extend(properties.iter().map(|(name, _)| name.to_string()));
                        }
                        if let ("enum" | "const", Value::Array(values)) = (key.as_ref(), member) {
                            codes.extend(values.iter().filter_map(Value::as_str).map(str::to_owned));
                        }
                        if let ("const", Value::String(value)) = (key.as_ref(), member) {
                            codes.push(value.to_string());
                        }
                        walk(member, names, codes);
                    }
                }
                Value::Array(values) => values.iter().for_each(|v| walk(v, names, codes)),
                _ => {}
            }
        }
        let (mut names, mut codes) = (Vec::new(), Vec::new());
        for file in ["ferma-receipt-request.json", "ferma-correction-request.json"] {
            let text = std::fs::read_to_string(format!("../schema/{file}")).unwrap();
            walk(&crate::json::parse(&text).unwrap(), &mut names, &mut codes);
        }
        (names, codes)
    }

    #[test]
    fn the_longest_name_and_scalar_are_the_schemas() {
        let (names, codes) = names_and_codes();
        assert!(names.len() > 100 && codes.len() > 50);
        let quoted = |s: &String| s.chars().count() + 2;
        assert_eq!(names.iter().map(quoted).max(), Some(LONGEST_NAME_CHARS));
        assert_eq!(codes.iter().map(quoted).max(), Some(LONGEST_SCALAR_CHARS));
        // Numbers: an i64 has at most 20 characters, the shortest f64 24.
        assert_eq!(i64::MIN.to_string().len(), 20);
        assert!(serde_json::to_string(&-1.234_567_890_123_456_7e-300_f64).unwrap().len() <= LONGEST_SCALAR_CHARS);
    }

    #[test]
    fn a_typical_receipt_is_certainly_unsplit_and_a_long_one_is_counted() {
        let typical = std::fs::read("../examples/receipt.json").unwrap();
        assert!(certainly_unsplit(&typical));
        assert!(!certainly_unsplit(&vec![b' '; SPLIT_THRESHOLD_CHARS + 1]));
        // 400 short members can grow by 400 × 47 characters.
        let members: Vec<String> = (0..400).map(|i| format!("\"{i}\":1")).collect();
        assert!(!certainly_unsplit(format!("{{{}}}", members.join(",")).as_bytes()));
    }
}
