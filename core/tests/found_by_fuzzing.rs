//! Inputs the fuzz targets (`fuzz/`, `scripts/fuzz`) found, each pinned here
//! to the core behaviour it broke. The minimised inputs themselves stay in
//! `fuzz/corpus/<target>/`, which the corpus replay feeds through the
//! target's properties.

use ofdkit::codes::{Code, Operation};
use ofdkit::datetime::DateTime;
use ofdkit::ferma::{self, ReceiptRequest, SPLIT_THRESHOLD_CHARS};
use ofdkit::Violations;

/// The example receipt with `items` copies of its first item and an
/// external_id padded to `id_len` characters, its document under "receipt".
fn big_receipt(items: usize, id_len: usize) -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/receipt.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let item = value["receipt"]["items"][0].clone();
    value["receipt"]["items"] = serde_json::Value::Array(vec![item; items]);
    value["external_id"] = "7".repeat(id_len).into();
    value.to_string()
}

fn split_warnings(violations: &Violations) -> Vec<String> {
    violations.iter().filter(|v| v.rule.id() == "split_will_happen").map(|v| v.message.clone()).collect()
}

/// Found by the `receipt` target: for a correction given under "receipt",
/// validation measured the split threshold (§3.2) on the request as given,
/// normalisation on what is sent (the document under "correction", three
/// characters longer), so the two warned differently, and a request sent
/// with 20 003 characters passed validation without the warning. Both now
/// measure what is sent.
#[test]
fn validation_measures_the_split_threshold_on_what_is_sent() {
    // Find the external_id length that makes the request as given exactly
    // 20 000 characters: no split as given, a split as sent.
    let items = 60;
    let as_given = |id_len| ferma::wire_chars(&ReceiptRequest::from_json_str(&big_receipt(items, id_len)).unwrap());
    let id_len = 1 + SPLIT_THRESHOLD_CHARS - as_given(1);
    assert_eq!(as_given(id_len), SPLIT_THRESHOLD_CHARS);
    let json = big_receipt(items, id_len);
    for operation in Operation::ALL.iter().copied() {
        let validated = ferma::validate_receipt_json(json.as_bytes(), operation).unwrap();
        let (normalized, sent_chars) = match ferma::normalize_receipt_json(json.as_bytes(), operation) {
            Ok(checked) => (checked.warnings, Some(checked.value.chars().count())),
            Err(error) => (error.violations().unwrap().clone(), None),
        };
        assert_eq!(split_warnings(&validated), split_warnings(&normalized), "{operation}");
        if operation.is_correction() {
            let expected = format!("the request is {} characters long", SPLIT_THRESHOLD_CHARS + 3);
            let warnings = split_warnings(&validated);
            assert!(warnings.len() == 1 && warnings[0].starts_with(&expected), "{operation}: {warnings:?}");
        } else {
            assert_eq!(split_warnings(&validated), Vec::<String>::new(), "{operation}");
        }
        if let Some(chars) = sent_chars {
            assert_eq!(chars, SPLIT_THRESHOLD_CHARS + if operation.is_correction() { 3 } else { 0 });
        }
    }
    // A typed request is measured as the client sends it too.
    let request = ReceiptRequest::from_json_str(&json).unwrap();
    assert_eq!(split_warnings(&ferma::validate_receipt(&request, Operation::SellCorrection)).len(), 1);
    assert_eq!(split_warnings(&ferma::validate_receipt(&request, Operation::Sell)).len(), 0);
}

/// Found by the `dates` target with `31.12.0000 23:59:59`: the readers take
/// every four-digit year, 0000 included, but `from_unix` refused year 0000,
/// so a date read from a request did not come back from its own Unix time
/// in a zone west of UTC (or at all, for any 0000 date). `from_unix` now
/// covers every year the readers take.
#[test]
fn every_date_the_readers_take_comes_back_from_unix_time() {
    for text in ["31.12.0000 23:59:59", "01.01.0000 00:00:00", "01.01.0001 00:00:00", "31.12.9999 23:59:59"] {
        let read: DateTime = text.parse().unwrap();
        for offset in [0, 3 * 3600, -12 * 3600, 14 * 3600] {
            let seconds = read.to_unix(offset);
            assert_eq!(DateTime::from_unix(seconds, offset), Some(read), "{text} at UTC{offset:+}s");
        }
    }
    // Just outside the years the readers take.
    let first = "01.01.0000 00:00:00".parse::<DateTime>().unwrap().to_unix(0);
    let last = "31.12.9999 23:59:59".parse::<DateTime>().unwrap().to_unix(0);
    assert_eq!(DateTime::from_unix(first - 1, 0), None);
    assert_eq!(DateTime::from_unix(last + 1, 0), None);
}
