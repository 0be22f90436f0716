//! Feeds every file of the committed corpus (`corpus/<target>/`) through
//! its target's body on stable Rust, so that CI catches a regression on an
//! input the fuzzer once found without a nightly toolchain. `scripts/test`
//! runs it; `scripts/fuzz` grows and minimises the corpus.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use ofdkit_fuzz::TARGETS;

thread_local! {
    /// Where the last panic of a replayed input on this thread happened;
    /// `None` while this thread replays nothing.
    static LOCATION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

#[test]
fn every_corpus_file_passes_its_target() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut failures = Vec::new();
    // Each failure is listed below with its file and place; the default
    // hook would print every panic on its own as well. Any other panic (this
    // test's own, or another test's on its thread) still goes to it.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let replaying = LOCATION.with(|cell| {
            let mut cell = cell.borrow_mut();
            let at = cell.as_mut()?;
            *at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
            Some(())
        });
        if replaying.is_none() {
            default_hook(info);
        }
    }));
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
            LOCATION.with(|cell| *cell.borrow_mut() = Some(String::new()));
            let outcome = catch_unwind(AssertUnwindSafe(|| body(&data)));
            let at = LOCATION.with(|cell| cell.borrow_mut().take()).unwrap_or_default();
            if let Err(panic) = outcome {
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{name} {}: {what}{at}", file.display()));
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
