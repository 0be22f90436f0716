//! Validates the example receipt in `examples/receipt.json`, prints every
//! violation with its path, then prints the exact JSON Ferma expects.
//!
//! `cargo run -p ofdkit --example quickstart [-- path/to/receipt.json [operation]]`

use std::process::ExitCode;

use ofdkit::codes::Operation;
use ofdkit::ferma;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let given = args.next();
    let path = given.clone().unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/receipt.json").into());
    let shown = given.unwrap_or_else(|| "examples/receipt.json".into());
    let operation: Operation = match args.next().unwrap_or_else(|| "sell".into()).parse() {
        Ok(op) => op,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let json = match std::fs::read(&path) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("cannot read {shown}: {e}");
            return ExitCode::from(2);
        }
    };
    match ferma::normalize_receipt_json(&json, operation) {
        Ok(checked) => {
            for warning in &checked.warnings {
                println!("{warning}");
            }
            println!("{shown} is a valid {operation} receipt; Ferma gets:\n{}", checked.value);
            ExitCode::SUCCESS
        }
        Err(ofdkit::Error::Invalid(violations)) => {
            for violation in &violations {
                println!("{violation}\n    {}", violation.message_ru);
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
