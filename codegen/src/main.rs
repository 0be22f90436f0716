//! `ofdkit-codegen write` writes every file generated from the core's
//! definitions; `ofdkit-codegen check` fails when a checked-in copy differs
//! (CI runs it). `scripts/generate` is the one command that calls it.
//!
//! Each generator is a pure function from the core's tables (and, for the
//! peer verdicts, the recorded expectations) to the file's text.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod fields_reference;
mod model;
mod outputs;
mod peers;
mod python_types;
mod schema_rules;
mod typescript_types;

/// A generated file: its path from the repository root and its text.
struct Generated {
    path: String,
    text: String,
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(root: &Path) -> Result<Vec<Generated>, String> {
    let mut files = vec![
        Generated { path: "docs/rules.md".to_owned(), text: ofdkit::catalog::rules_reference_markdown() },
        Generated { path: "tests/vectors/peers/VERDICTS.md".to_owned(), text: peers::verdicts_markdown(root)? },
        Generated { path: "docs/outputs.md".to_owned(), text: outputs::outputs_markdown(root)? },
        Generated { path: "python/tests/schema_rules.json".to_owned(), text: schema_rules::schema_rules_json()? },
    ];
    let documents = model::documents()?;
    files.push(Generated {
        path: "python/python/ofdkit/types.py".to_owned(),
        text: python_types::types_py(&documents)?,
    });
    files.push(Generated {
        path: "wasm/types/models.d.ts".to_owned(),
        text: typescript_types::models_d_ts(&documents)?,
    });
    files.push(Generated { path: "docs/fields.md".to_owned(), text: fields_reference::fields_markdown(&documents)? });
    for document in ofdkit::schema::document_schemas() {
        let text = serde_json::to_string_pretty(&document.schema).map_err(|e| e.to_string())? + "\n";
        files.push(Generated { path: format!("schema/{}", document.file), text });
    }
    Ok(files)
}

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let root = repository_root();
    let files = match generate(&root) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("ofdkit-codegen: {message}");
            return ExitCode::FAILURE;
        }
    };
    match mode.as_str() {
        "write" => {
            for file in &files {
                let path = root.join(&file.path);
                if let Some(dir) = path.parent() {
                    if let Err(e) = fs::create_dir_all(dir) {
                        eprintln!("ofdkit-codegen: {}: {e}", dir.display());
                        return ExitCode::FAILURE;
                    }
                }
                if let Err(e) = fs::write(&path, &file.text) {
                    eprintln!("ofdkit-codegen: {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
                println!("wrote {}", file.path);
            }
            ExitCode::SUCCESS
        }
        "check" => {
            let stale: Vec<&str> = files
                .iter()
                .filter(|f| fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.text.as_str()))
                .map(|f| f.path.as_str())
                .collect();
            if stale.is_empty() {
                println!("{} generated files are up to date", files.len());
                ExitCode::SUCCESS
            } else {
                for path in &stale {
                    eprintln!("{path} is not what the core generates");
                }
                eprintln!("run scripts/generate and commit the result");
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: ofdkit-codegen write | check");
            ExitCode::from(2)
        }
    }
}
