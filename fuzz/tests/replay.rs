//! Feeds every file of the committed corpus (`corpus/<target>/`) through
//! its target's body on stable Rust, so that CI catches a regression on an
//! input the fuzzer once found without a nightly toolchain. `scripts/test`
//! runs it; `scripts/fuzz` grows and minimises the corpus.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use ofdkit_fuzz::TARGETS;

#[test]
fn every_corpus_file_passes_its_target() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut failures = Vec::new();
    for (name, body) in TARGETS {
        let dir = corpus.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{} is empty: seed it with scripts/fuzz --update-corpus {name}", dir.display());
        for file in files {
            let data = std::fs::read(&file).expect("a corpus file");
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| body(&data))) {
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{name} {}: {what}", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{} corpus files fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_target_has_a_binary_and_a_corpus_and_nothing_else_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names = |dir: &str, strip: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .expect("the directory")
            .map(|e| e.expect("an entry").file_name().to_string_lossy().trim_end_matches(strip).to_owned())
            .collect();
        names.sort();
        names
    };
    let mut targets: Vec<String> = TARGETS.iter().map(|(name, _)| name.to_string()).collect();
    targets.sort();
    assert_eq!(names("fuzz_targets", ".rs"), targets);
    assert_eq!(names("corpus", ""), targets);
}
