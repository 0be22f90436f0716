//! `ofdkit`: validate receipts and registration applications (one file, many,
//! or a JSON Lines file, on every core), send a receipt and follow it to its
//! fiscal result, ask for a report, read an answer, list the code tables,
//! and run the sandbox. Without a server configured, `send` runs against the
//! built-in sandbox.

mod codes;
mod print;
mod send;
mod serve;
mod validate;

use std::path::Path;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use ofdkit::codes::{Code, Operation};

use crate::print::Failure;

const EXIT_CODES: &str = "\
Exit codes:
  validate   0 no error (warnings allowed, unless --strict), 1 an error or a malformed or oversized document, 2 usage or I/O
  send       0 fiscalised, 1 not fiscalised or invalid, 2 not sent (nothing reached Ferma: safe to run again),
             3 outcome unknown (run it again with the same external_id: Ferma registers it at most once)
  status     0 the report was read, 2 not sent, 3 no clear answer
  answer     0 read, 1 the answer is an error or unreadable, 2 usage or I/O
  codes      0, 2 an unknown table
  sandbox    runs until stopped (Ctrl-C)

Every rule: docs/rules.md. The sandbox stands in for Ferma: `ofdkit sandbox` in one terminal, then
OFDKIT_BASE_URL=… OFDKIT_LOGIN=… OFDKIT_PASSWORD=… OFDKIT_GROUP_CODE=… ofdkit send|status in another.";

/// Receipts and KKT registration for OFD.ru's Ferma, checked before they are sent.
#[derive(Parser, Debug)]
#[command(name = "ofdkit", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check requests against every rule of the API; exit 1 if any has an error.
    Validate(validate::ValidateArgs),
    /// Validate a receipt, send it, wait for the fiscal result and print it.
    Send(send::SendArgs),
    /// Print a document's processing report.
    Status(send::StatusArgs),
    /// Read an answer of either API (a callback body, a saved report) and print ofdkit's JSON form of it.
    Answer(send::AnswerArgs),
    /// List the code tables, or print one.
    Codes(codes::CodesArgs),
    /// Run the sandbox, a simulator of both APIs on 127.0.0.1, until stopped.
    Sandbox(serve::SandboxArgs),
}

/// The largest document read, shared by the commands that read one.
#[derive(Args, Debug, Clone, Copy)]
pub struct InputArgs {
    /// The largest document read, in bytes: a larger one is refused before it is parsed (and only this much of
    /// it is read).
    #[arg(long, env = "OFDKIT_MAX_INPUT_BYTES", default_value_t = ofdkit::json::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_bytes: usize,
}

/// The operation argument: its values come from the core's table, so an
/// unknown one is refused with the list.
pub fn operation_arg() -> PossibleValuesParser {
    PossibleValuesParser::new(Operation::TABLE.entries.iter().map(|e| e.wire))
}

pub fn operation(text: &str) -> Result<Operation, Failure> {
    Operation::from_wire(text).ok_or_else(|| Failure(2, format!("operation: {text:?} is not an operation")))
}

/// What a request file holds.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    /// A Ferma receipt or correction.
    Receipt,
    /// A KKT registration application.
    Application,
    /// An update of an application.
    Update,
    /// A partner's registration of a new client.
    Partner,
}

/// How complete a registration application must be.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Check {
    /// Being filled in: what §2.5.1 still needs is a warning.
    Draft,
    /// About to prepare documents: what §2.5.1 needs is an error.
    Complete,
    /// The finalization stage's secondary request.
    Secondary,
}

/// A path, or `-` for standard input.
pub fn source_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "(stdin)".to_owned()
    } else {
        path.display().to_string()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Send(args) => send::send(args),
        Command::Status(args) => send::status(args),
        Command::Answer(args) => send::answer(args),
        Command::Codes(args) => codes::run(args),
        Command::Sandbox(args) => serve::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure(code, message)) => {
            note!("ofdkit: {message}");
            ExitCode::from(code)
        }
    }
}
