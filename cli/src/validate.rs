//! `ofdkit validate`: one document with its verdict, or many (several files,
//! JSON Lines files with a request a line) checked on every core, in
//! chunks so that memory stays bounded whatever the number of requests,
//! with a progress line on a terminal and a summary at the end.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use ofdkit::codes::Operation;
use ofdkit::json::{Input, JsonError};
use ofdkit::ofd::ApplicationCheck;
use ofdkit::output::CommandReport;
use ofdkit::{output, Error, RequestKind, Strictness, Violations};

use crate::print::{read, too_large, violations_text, Document, Failure};
use crate::{note, operation, operation_arg, out, source_name, Check, InputArgs, Kind};

/// Requests validated between two prints: bounds memory on huge batches.
const CHUNK: usize = 4096;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The files to check: JSON documents, `-` for standard input, or JSON Lines files (`.jsonl`, `.ndjson`, or
    /// any with --lines) holding one request a line.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The operation a receipt is sent as.
    #[arg(long, default_value = "sell", value_parser = operation_arg())]
    operation: String,
    /// What the files hold; told from each document's members when not given.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// How complete a registration application must be.
    #[arg(long, value_enum, default_value = "draft")]
    check: Check,
    /// Count every warning as an error (the default follows the spec: only errors stop a request).
    #[arg(long)]
    strict: bool,
    /// Read every file as JSON Lines: one request a line.
    #[arg(long)]
    lines: bool,
    /// Print JSON: for one document the array of {code, message, message_ru, path, rule, severity} (or the
    /// error); for several, one line per document: {"source", "violations"} or {"source", "error"}.
    #[arg(long)]
    json: bool,
    /// Threads to check on (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    input: InputArgs,
}

/// What the command checks every document with.
struct Settings {
    kind: Option<RequestKind>,
    operation: Operation,
    check: ApplicationCheck,
    strictness: Strictness,
    max: usize,
}

/// One document's verdict.
enum Verdict {
    Checked(Violations),
    Malformed(JsonError),
    Unreadable(String),
}

impl Settings {
    fn verdict(&self, body: &[u8]) -> Verdict {
        let input = Input::new(body).max_bytes(self.max);
        let kind = match self.kind {
            Some(kind) => kind,
            None => match RequestKind::guess_json(input) {
                Ok(kind) => kind,
                Err(e) => return Verdict::Malformed(e),
            },
        };
        match kind.check_json(input, self.operation, self.check) {
            Ok(violations) => Verdict::Checked(violations.with_strictness(self.strictness)),
            Err(e) => Verdict::Malformed(e),
        }
    }
}

pub fn run(args: ValidateArgs) -> Result<u8, Failure> {
    let settings = Settings {
        kind: args.kind.map(|k| match k {
            Kind::Receipt => RequestKind::Receipt,
            Kind::Application => RequestKind::Application,
            Kind::Update => RequestKind::ApplicationUpdate,
            Kind::Partner => RequestKind::PartnerRegistration,
        }),
        operation: operation(&args.operation)?,
        check: match args.check {
            Check::Draft => ApplicationCheck::Draft,
            Check::Complete => ApplicationCheck::Complete,
            Check::Secondary => ApplicationCheck::Secondary,
        },
        strictness: if args.strict { Strictness::Strict } else { Strictness::Spec },
        max: args.input.max_input_bytes,
    };
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(Failure(2, "standard input (-) can be read once".to_owned()));
    }
    let lines = |f: &PathBuf| args.lines || is_json_lines(f);
    if args.files.len() == 1 && !lines(&args.files[0]) {
        return one(&args.files[0], &settings, args.json);
    }
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let mut batch = Batch::new(&settings, threads, args.json);
    for file in &args.files {
        if lines(file) {
            batch.json_lines(file)?;
        } else {
            let source = source_name(file);
            match read(file, settings.max) {
                Ok(Document::Read(body)) => batch.push(source, Ok(body)),
                Ok(Document::TooLarge) => batch.push(source, Err(Pending::TooLarge)),
                Err(Failure(_, message)) => batch.push(source, Err(Pending::Unreadable(message))),
            }
        }
    }
    batch.finish()
}

fn is_json_lines(file: &Path) -> bool {
    matches!(file.extension().and_then(|e| e.to_str()), Some("jsonl" | "ndjson"))
}

/// One document: its report, as `python -m ofdkit validate` prints it too.
fn one(file: &Path, settings: &Settings, json: bool) -> Result<u8, Failure> {
    let source = source_name(file);
    let verdict = match read(file, settings.max)? {
        Document::Read(body) => settings.verdict(&body),
        Document::TooLarge => Verdict::Malformed(JsonError::too_large(settings.max.saturating_add(1), settings.max)),
    };
    let report = match &verdict {
        Verdict::Checked(violations) => CommandReport::of(&source, Ok(violations), json),
        Verdict::Malformed(e) => CommandReport::of(&source, Err(e), json),
        Verdict::Unreadable(message) => return Err(Failure(2, message.clone())),
    };
    crate::print::raw(&report.stdout);
    let _ = std::io::stderr().lock().write_all(report.stderr.as_bytes());
    Ok(report.exit_code)
}

/// A document waiting in a chunk: its bytes, or why it has none.
enum Pending {
    TooLarge,
    Unreadable(String),
}

/// Documents checked in chunks on `threads` threads, printed in order.
struct Batch<'s> {
    settings: &'s Settings,
    threads: usize,
    json: bool,
    chunk: Vec<(String, Result<Vec<u8>, Pending>)>,
    started: Instant,
    last_progress: Instant,
    progress: bool,
    checked: usize,
    valid: usize,
    warned: usize,
    refused: usize,
    unreadable: usize,
}

impl<'s> Batch<'s> {
    fn new(settings: &'s Settings, threads: usize, json: bool) -> Self {
        let now = Instant::now();
        Batch {
            settings,
            threads,
            json,
            chunk: Vec::with_capacity(CHUNK),
            started: now,
            last_progress: now,
            progress: std::io::stderr().is_terminal(),
            checked: 0,
            valid: 0,
            warned: 0,
            refused: 0,
            unreadable: 0,
        }
    }

    fn push(&mut self, source: String, body: Result<Vec<u8>, Pending>) {
        self.chunk.push((source, body));
        if self.chunk.len() == CHUNK {
            self.flush();
        }
    }

    /// Reads a JSON Lines file line by line, never holding more of a line
    /// than the limit and one byte.
    fn json_lines(&mut self, file: &PathBuf) -> Result<(), Failure> {
        let name = source_name(file);
        let reader: Box<dyn Read> = if file.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(File::open(file).map_err(|e| Failure(2, format!("cannot read {name}: {e}")))?)
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut number = 0usize;
        let mut line = Vec::new();
        loop {
            line.clear();
            number += 1;
            let (read_any, overflow) = bounded_line(&mut reader, &mut line, self.settings.max)
                .map_err(|e| Failure(2, format!("cannot read {name}: {e}")))?;
            if !read_any {
                break;
            }
            if !overflow && line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let body = if overflow { Err(Pending::TooLarge) } else { Ok(std::mem::take(&mut line)) };
            self.push(format!("{name}:{number}"), body);
        }
        Ok(())
    }

    /// Checks the chunk on every thread, then prints it in order.
    fn flush(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        let next = AtomicUsize::new(0);
        let settings = self.settings;
        let mut verdicts: Vec<Option<Verdict>> = (0..chunk.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..self.threads.min(chunk.len()).max(1))
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((_, body)) = chunk.get(i) else { break };
                            let verdict = match body {
                                Ok(bytes) => settings.verdict(bytes),
                                Err(Pending::TooLarge) => Verdict::Malformed(JsonError::too_large(
                                    settings.max.saturating_add(1),
                                    settings.max,
                                )),
                                Err(Pending::Unreadable(m)) => Verdict::Unreadable(m.clone()),
                            };
                            done.push((i, verdict));
                        }
                        done
                    })
                })
                .collect();
            for worker in workers {
                // A worker only panics on a bug; the verdicts it had are lost then, and reported as such below.
                if let Ok(done) = worker.join() {
                    for (i, verdict) in done {
                        verdicts[i] = Some(verdict);
                    }
                }
            }
        });
        for ((source, _), verdict) in chunk.iter().zip(verdicts) {
            let verdict =
                verdict.unwrap_or_else(|| Verdict::Unreadable(format!("{source}: not checked (internal error)")));
            self.print(source, verdict);
        }
        self.show_progress(false);
    }

    fn print(&mut self, source: &str, verdict: Verdict) {
        self.checked += 1;
        match verdict {
            Verdict::Checked(violations) => {
                if violations.has_errors() {
                    self.refused += 1;
                } else if violations.is_empty() {
                    self.valid += 1;
                } else {
                    self.warned += 1;
                }
                if self.json {
                    out!("{{\"source\":{},\"violations\":{}}}", serde_json::Value::from(source), violations.to_json());
                } else {
                    violations_text(&violations, &format!("{source}: "));
                }
            }
            Verdict::Malformed(e) => {
                self.refused += 1;
                if self.json {
                    out!(
                        "{{\"source\":{},\"error\":{}}}",
                        serde_json::Value::from(source),
                        output::error(&Error::Json(e))
                    );
                } else if matches!(e.kind, ofdkit::json::JsonErrorKind::TooLarge { .. }) {
                    out!("{}", too_large(source, self.settings.max));
                } else {
                    out!("{source}: {e}");
                }
            }
            Verdict::Unreadable(message) => {
                self.unreadable += 1;
                note!("ofdkit: {message}");
            }
        }
    }

    /// A progress line on a terminal, once a run takes more than a second.
    fn show_progress(&mut self, last: bool) {
        let elapsed = self.started.elapsed();
        if !self.progress || elapsed < Duration::from_secs(1) {
            return;
        }
        if last || self.last_progress.elapsed() >= Duration::from_millis(200) {
            self.last_progress = Instant::now();
            let rate = self.checked as f64 / elapsed.as_secs_f64();
            let _ = write!(
                std::io::stderr().lock(),
                "\rchecked {} ({rate:.0}/s){}",
                self.checked,
                if last { "\n" } else { "" }
            );
        }
    }

    fn finish(mut self) -> Result<u8, Failure> {
        if !self.chunk.is_empty() {
            self.flush();
        }
        self.show_progress(true);
        let seconds = self.started.elapsed().as_secs_f64();
        note!(
            "checked {} requests in {seconds:.2} s ({:.0}/s on {} threads): {} valid, {} with warnings only, {} with errors{}",
            self.checked,
            self.checked as f64 / seconds.max(1e-9),
            self.threads,
            self.valid,
            self.warned,
            self.refused,
            if self.unreadable > 0 { format!(", {} unreadable", self.unreadable) } else { String::new() }
        );
        Ok(if self.unreadable > 0 { 2 } else { u8::from(self.refused > 0) })
    }
}

/// Reads one line (without its `\n`) into `line`, keeping at most `max + 1`
/// bytes of it; returns whether anything was read and whether the line was
/// longer than `max`.
fn bounded_line(reader: &mut impl BufRead, line: &mut Vec<u8>, max: usize) -> std::io::Result<(bool, bool)> {
    let mut read_any = false;
    let mut overflow = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((read_any, overflow));
        }
        read_any = true;
        let (part, done) = match buffer.iter().position(|b| *b == b'\n') {
            Some(end) => (&buffer[..end], end + 1),
            None => (buffer, buffer.len()),
        };
        let room = (max + 1).saturating_sub(line.len());
        line.extend_from_slice(&part[..part.len().min(room)]);
        overflow |= line.len() > max;
        let newline = done > part.len();
        reader.consume(done);
        if newline {
            return Ok((true, overflow));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_within_the_limit() {
        let text = b"{\"a\": 1}\n0123456789abcdef\n\nlast";
        let mut reader = BufReader::with_capacity(4, &text[..]);
        let mut line = Vec::new();
        assert_eq!(bounded_line(&mut reader, &mut line, 10).unwrap(), (true, false));
        assert_eq!(line, b"{\"a\": 1}");
        line.clear();
        assert_eq!(bounded_line(&mut reader, &mut line, 10).unwrap(), (true, true));
        assert_eq!(line.len(), 11, "never more than the limit and one byte");
        line.clear();
        assert_eq!(bounded_line(&mut reader, &mut line, 10).unwrap(), (true, false));
        assert!(line.is_empty());
        line.clear();
        assert_eq!(bounded_line(&mut reader, &mut line, 10).unwrap(), (true, false));
        assert_eq!(line, b"last");
        line.clear();
        assert_eq!(bounded_line(&mut reader, &mut line, 10).unwrap(), (false, false));
    }
}
