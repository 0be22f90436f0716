//! The peer corpus (`tests/vectors/peers/`): 53 receipt requests other
//! projects wrote for ATOL Online's API, which Ferma converts. Each gets
//! exactly the verdict recorded in `expected.json` (the violations' paths,
//! codes, rules and severities), and `VERDICTS.md` says which spec line
//! supports every error.
//!
//! `OFDKIT_BLESS=1 cargo test -p ofdkit --test peers` rewrites
//! `expected.json` from what the code says now (operations are kept, or
//! read from `SOURCES.md` for a new file); the diff is reviewed by hand.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use ofdkit::codes::{Code, Operation};
use ofdkit::ferma;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Verdict {
    path: String,
    code: String,
    rule: String,
    severity: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Expected {
    operation: String,
    violations: Vec<Verdict>,
}

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/peers")
}

/// The operation column of `SOURCES.md`'s table, by file.
fn operations_from_sources(dir: &Path) -> BTreeMap<String, String> {
    let sources = fs::read_to_string(dir.join("SOURCES.md")).unwrap();
    let mut header: Vec<String> = Vec::new();
    let mut operations = BTreeMap::new();
    for line in sources.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<String> = line.trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect();
        if cells.first().is_some_and(|c| c == "file") {
            header = cells;
        } else if let Some(op) = header.iter().position(|h| h == "op") {
            if cells[0].ends_with(".json") {
                operations.insert(cells[0].clone(), cells[op].clone());
            }
        }
    }
    operations
}

fn verdicts(file: &Path, operation: Operation) -> Vec<Verdict> {
    let bytes = fs::read(file).unwrap();
    // The bound that lets validation skip the split rule's count holds on
    // what other systems write.
    if let Ok(request) = ofdkit::ferma::ReceiptRequest::from_json_bytes(&bytes) {
        assert!(ferma::wire_chars(&request) <= ferma::wire_chars_bound(&bytes), "{}", file.display());
    }
    let violations =
        ferma::validate_receipt_json(&bytes, operation).unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
    let mut out: Vec<Verdict> = violations
        .iter()
        .map(|v| Verdict {
            path: v.path.clone(),
            code: v.code.as_str().to_owned(),
            rule: v.rule.id().to_owned(),
            severity: v.severity.as_str().to_owned(),
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_peer_request_gets_its_recorded_verdict() {
    let dir = peers_dir();
    let expected_path = dir.join("expected.json");
    let mut expected: BTreeMap<String, Expected> =
        fs::read_to_string(&expected_path).ok().map(|text| serde_json::from_str(&text).unwrap()).unwrap_or_default();
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json") && name != "expected.json" && name != "sources.json")
        .collect();
    files.sort();
    assert_eq!(files.len(), 53, "the corpus has 53 requests");

    if std::env::var_os("OFDKIT_BLESS").is_some() {
        let sources = operations_from_sources(&dir);
        let mut blessed = BTreeMap::new();
        for name in &files {
            let operation = expected
                .remove(name)
                .map(|e| e.operation)
                .or_else(|| sources.get(name).cloned())
                .unwrap_or_else(|| panic!("{name}: no operation in SOURCES.md"));
            let op = Operation::from_wire(&operation).unwrap();
            blessed.insert(name.clone(), Expected { violations: verdicts(&dir.join(name), op), operation });
        }
        fs::write(&expected_path, serde_json::to_string_pretty(&blessed).unwrap() + "\n").unwrap();
        return;
    }

    let mut problems = Vec::new();
    for name in &files {
        let Some(want) = expected.get(name) else {
            problems.push(format!("{name}: no verdict in expected.json"));
            continue;
        };
        let operation = Operation::from_wire(&want.operation).unwrap();
        let mut want_violations = want.violations.clone();
        want_violations.sort();
        let got = verdicts(&dir.join(name), operation);
        if got != want_violations {
            let missing: Vec<_> = want_violations.iter().filter(|v| !got.contains(v)).collect();
            let extra: Vec<_> = got.iter().filter(|v| !want_violations.contains(v)).collect();
            problems.push(format!("{name}:\n  expected but missing {missing:?}\n  unexpected {extra:?}"));
        }
    }
    assert!(expected.keys().all(|k| files.contains(k)), "expected.json names a file that is not in the corpus");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Every error the corpus gets is one the rules reference traces to a
/// source, and none is a rule the catalog holds as a warning.
#[test]
fn every_error_on_the_corpus_names_a_sourced_rule() {
    let text = fs::read_to_string(peers_dir().join("expected.json")).unwrap();
    let expected: BTreeMap<String, Expected> = serde_json::from_str(&text).unwrap();
    for (name, e) in &expected {
        for v in e.violations.iter().filter(|v| v.severity == "error") {
            let rule = ofdkit::catalog::Rule::by_id(&v.rule).unwrap_or_else(|| panic!("{name}: no rule {}", v.rule));
            assert!(rule.is_error(), "{name}: {} is an error but its rule is a warning", v.rule);
            assert!(!rule.source.is_empty());
        }
    }
}
