//! `ofdkit`: validate receipts and registration applications, send a
//! receipt and follow it to its fiscal result, ask for a report, list the
//! code tables. Without a server configured it runs against the built-in
//! sandbox.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use ofdkit::codes::{self, Operation};
use ofdkit::ferma;
use ofdkit::ofd::ApplicationCheck;
use ofdkit::protocol::ReceiptState;
use ofdkit::{RequestKind, Violations};
use ofdkit_client::{FermaClient, FermaConfig, Outcome, Progress};
use ofdkit_sandbox::{Sandbox, SandboxConfig};

/// Receipts and KKT registration for OFD.ru's Ferma, checked before they are sent.
#[derive(Parser, Debug)]
#[command(name = "ofdkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Ferma's base URL; without one, the built-in sandbox is started.
    #[arg(long, global = true, env = "OFDKIT_BASE_URL")]
    base_url: Option<String>,
    /// Ferma login.
    #[arg(long, global = true, env = "OFDKIT_LOGIN")]
    login: Option<String>,
    /// Ferma password (prefer the environment variable).
    #[arg(long, global = true, env = "OFDKIT_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Ferma cashbox group.
    #[arg(long, global = true, env = "OFDKIT_GROUP_CODE")]
    group_code: Option<String>,
    /// A PEM file of certificates to trust besides the system's store (a
    /// TLS-inspecting proxy's CA, …).
    #[arg(long, global = true, env = "OFDKIT_CA_BUNDLE")]
    ca_bundle: Option<PathBuf>,
    /// The proxy: a URL (http://host:port), `direct`, or `environment`
    /// (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY; the default).
    #[arg(long, global = true, env = "OFDKIT_PROXY")]
    proxy: Option<String>,
    /// The largest request file read, in bytes; a larger one is refused
    /// before it is parsed (and only this much of it is read).
    #[arg(long, global = true, env = "OFDKIT_MAX_INPUT_BYTES", default_value_t = ofdkit::json::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: usize,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a request against every rule of the API; exit 1 if any is an error.
    Validate {
        file: PathBuf,
        /// The operation a receipt is sent as.
        #[arg(long, default_value = "sell")]
        operation: String,
        /// What the file holds; guessed from its members when not given.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// How complete a registration application must be.
        #[arg(long, value_enum, default_value = "draft")]
        check: Check,
        /// Print a JSON array of {path, code, severity, message, message_ru}.
        #[arg(long)]
        json: bool,
    },
    /// Validate a receipt, send it, wait for the fiscal result and print it.
    /// Exit 0 fiscalised, 1 not fiscalised (or invalid), 2 not sent
    /// (nothing reached Ferma; safe to run again), 3 outcome unknown (run
    /// it again with the same external_id: Ferma registers it at most once).
    Send {
        file: PathBuf,
        #[arg(long, default_value = "sell")]
        operation: String,
        /// How long everything may take, in seconds: the token, sending,
        /// recovering a lost answer and waiting for the result.
        #[arg(long, default_value_t = 60)]
        deadline: u64,
        /// Print the fiscal result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a document's processing report.
    Status {
        uuid: String,
        /// How long asking may take, in seconds.
        #[arg(long, default_value_t = 30)]
        deadline: u64,
        #[arg(long)]
        json: bool,
    },
    /// List the code tables, or print one.
    Codes {
        /// A table's name (measure, payment_object, federal_id, …).
        table: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Kind {
    Receipt,
    Application,
    Update,
    Partner,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Check {
    Draft,
    Complete,
    Secondary,
}

/// Prints a line to stdout. A reader that went away (`ofdkit codes | head`)
/// ends the program quietly instead of a panic.
macro_rules! out {
    ($($arg:tt)*) => {
        emit(format_args!($($arg)*))
    };
}

fn emit(line: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        std::process::exit(2);
    }
}

/// Prints a line to stderr, ignoring a stderr that is gone.
macro_rules! note {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// A failure with its exit code.
struct Failure(u8, String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(2, e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure(code, message)) => {
            note!("ofdkit: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match &cli.command {
        Command::Validate { file, operation, kind, check, json } => {
            validate(file, cli.max_input_bytes, operation, *kind, *check, *json)
        }
        Command::Send { file, operation, deadline, json } => {
            let operation: Operation = operation.parse()?;
            let body = read(file, cli.max_input_bytes)?;
            // Nothing goes out, not even to a sandbox, before the receipt passes.
            if let Err(ofdkit::Error::Invalid(violations)) =
                ferma::prepare_receipt(ofdkit::json::Input::new(&body).max_bytes(cli.max_input_bytes), operation)
            {
                print_violations(&violations, false);
                return Ok(1);
            }
            let deadline = Duration::from_secs(*deadline);
            let (client, _sandbox) = connect(&cli, deadline)?;
            send(&client, operation, &body, deadline, *json)
        }
        Command::Status { uuid, deadline, json } => {
            let (client, _sandbox) = connect(&cli, Duration::from_secs(*deadline))?;
            let outcome = client.report(uuid).map_err(|e| Failure(3, e.to_string()))?;
            if *json {
                out!("{}", serde_json::to_string_pretty(&outcome.report)?);
            } else {
                match outcome.state {
                    ReceiptState::Pending => out!("{uuid}: still processing (wait)"),
                    ReceiptState::Done(payload) => print_payload(uuid, &payload),
                    ReceiptState::Failed(error) => out!("{uuid}: failed: {error}"),
                }
            }
            Ok(0)
        }
        Command::Codes { table, json } => codes(table.as_deref(), *json),
    }
}

/// Reads at most `max + 1` bytes of `file`: a larger file (or an endless
/// one such as /dev/zero) is refused at once, never read whole.
fn read(file: &PathBuf, max: usize) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Failure(2, format!("cannot read {}: {e}", file.display()));
    let mut body = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    std::fs::File::open(file).and_then(|f| f.take(limit).read_to_end(&mut body)).map_err(cannot)?;
    if body.len() > max {
        return Err(Failure(
            2,
            format!(
                "{}: larger than the limit of {max} bytes, not read (INPUT_TOO_LARGE); raise it with --max-input-bytes or OFDKIT_MAX_INPUT_BYTES",
                file.display()
            ),
        ));
    }
    Ok(body)
}

fn validate(
    file: &PathBuf,
    max: usize,
    operation: &str,
    kind: Option<Kind>,
    check: Check,
    json: bool,
) -> Result<u8, Failure> {
    let body = read(file, max)?;
    let input = ofdkit::json::Input::new(&body).max_bytes(max);
    let malformed = |e: ofdkit::json::JsonError| Failure(1, format!("{}: {e}", file.display()));
    let kind = match kind {
        Some(Kind::Receipt) => RequestKind::Receipt,
        Some(Kind::Application) => RequestKind::Application,
        Some(Kind::Update) => RequestKind::ApplicationUpdate,
        Some(Kind::Partner) => RequestKind::PartnerRegistration,
        None => RequestKind::guess_json(input).map_err(malformed)?,
    };
    let check = match check {
        Check::Draft => ApplicationCheck::Draft,
        Check::Complete => ApplicationCheck::Complete,
        Check::Secondary => ApplicationCheck::Secondary,
    };
    let violations = kind.check_json(input, operation.parse()?, check).map_err(malformed)?;
    print_violations(&violations, json);
    if !json && violations.is_empty() {
        out!("{}: valid", file.display());
    }
    Ok(u8::from(violations.has_errors()))
}

fn print_violations(violations: &Violations, json: bool) {
    if json {
        out!("{}", violations.to_json());
        return;
    }
    for v in violations {
        out!("{v}\n    {}", v.message_ru);
    }
}

/// The configured server, or the built-in sandbox when there is none.
/// `deadline` bounds each call the command makes.
fn connect(cli: &Cli, deadline: Duration) -> Result<(FermaClient, Option<Sandbox>), Failure> {
    let (builder, sandbox) = match &cli.base_url {
        Some(url) => {
            let missing = |what: &str| {
                Failure(2, format!("{what} is needed with --base-url (or OFDKIT_{})", what.to_uppercase()))
            };
            let builder = FermaConfig::builder()
                .base_url(url)
                .login(cli.login.clone().ok_or_else(|| missing("login"))?)
                .password(cli.password.clone().ok_or_else(|| missing("password"))?)
                .group_code(cli.group_code.clone().ok_or_else(|| missing("group_code"))?);
            (builder, None)
        }
        None => {
            let sandbox = Sandbox::start(SandboxConfig::default())?;
            note!(
                "ofdkit: no OFDKIT_BASE_URL set: using the built-in sandbox at {} (in memory; nothing is fiscalised for real)",
                sandbox.base_url()
            );
            let c = sandbox.config();
            let builder = FermaConfig::builder()
                .base_url(sandbox.base_url())
                .login(c.login)
                .password(c.password)
                .group_code(c.group_code);
            (builder, Some(sandbox))
        }
    };
    let mut builder = builder.call_timeout(deadline).request_timeout(deadline);
    if let Some(path) = &cli.ca_bundle {
        builder = builder.ca_bundle_file(path);
    }
    if let Some(proxy) = &cli.proxy {
        builder = builder.proxy_str(proxy);
    }
    Ok((FermaClient::new(builder.build()?)?, sandbox))
}

/// Sends the receipt through the client's one outcome path (send, recover
/// a lost answer by its external_id, wait) and prints where it ended.
fn send(
    client: &FermaClient,
    operation: Operation,
    body: &[u8],
    deadline: Duration,
    json: bool,
) -> Result<u8, Failure> {
    let started = std::time::Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut waiting = false;
    let result = client.fiscalize_json_with_progress(operation, body, deadline, |progress| match progress {
        Progress::Registered { external_id, uuids } => {
            note!("sent {external_id} as {operation}: uuid {}", uuids.join(", "))
        }
        Progress::Recovering { sends, cause } => note!(
            "no clear answer to send {sends} ({cause}); asking again with the same external_id, which Ferma registers at most once"
        ),
        Progress::Waiting { elapsed, polls, .. } => {
            if tty {
                waiting = true;
                let _ = write!(
                    std::io::stderr().lock(),
                    "\rwaiting for Ferma: {:.1} s, {polls} checks ",
                    elapsed.as_secs_f64()
                );
            } else if polls % 10 == 1 {
                note!("waiting for Ferma: {:.1} s", elapsed.as_secs_f64());
            }
            let _ = std::io::stderr().flush();
        }
        _ => {}
    });
    if waiting {
        note!();
    }
    let result = match result {
        Ok(result) => result,
        Err(e) => {
            if let Some(violations) = e.violations() {
                print_violations(violations, false);
                return Ok(1);
            }
            // Nothing of the receipt reached Ferma: running again is safe.
            return Err(Failure(2, e.to_string()));
        }
    };
    for warning in &result.warnings {
        note!("{warning}");
    }
    match result.outcome {
        Outcome::Done(parts) => {
            note!("done in {:.2} s", started.elapsed().as_secs_f64());
            if json {
                let parts: Vec<_> =
                    parts.iter().map(|(uuid, p)| serde_json::json!({"uuid": uuid, "payload": p})).collect();
                out!("{}", serde_json::to_string_pretty(&parts)?);
            } else {
                for (uuid, payload) in &parts {
                    print_payload(uuid, payload);
                }
            }
            Ok(0)
        }
        Outcome::Failed(error) => {
            out!("{}: not fiscalised: {error}", result.external_id);
            Ok(1)
        }
        Outcome::Unknown { uuids, reason, .. } => {
            out!("{}: outcome unknown: {reason}", result.external_id);
            for uuid in uuids {
                out!("  ask later: ofdkit status {uuid}");
            }
            Ok(3)
        }
        _ => Ok(3),
    }
}

fn print_payload(uuid: &str, p: &ofdkit::ferma::FiscalPayload) {
    let show = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    out!("fiscalised {uuid}");
    out!("  total                      {}", show(p.total.map(|t| t.to_string())));
    out!("  fiscal document number     {}", show(p.fiscal_document_number.map(|n| n.to_string())));
    out!("  fiscal sign (ФПД)          {}", show(p.fiscal_document_attribute.map(|n| n.to_string())));
    out!("  fiscal drive number (ФН)   {}", show(p.fn_number.clone()));
    out!("  KKT registration number    {}", show(p.ecr_registration_number.clone()));
    out!(
        "  shift, receipt in shift    {}, {}",
        show(p.shift_number.map(|n| n.to_string())),
        show(p.fiscal_receipt_number.map(|n| n.to_string()))
    );
    out!("  date and time (UTC)        {}", show(p.receipt_datetime.map(|t| t.to_string())));
    out!("  receipt on the OFD site    {}", show(p.ofd_receipt_url.clone()));
}

fn codes(table: Option<&str>, json: bool) -> Result<u8, Failure> {
    match table {
        None => {
            for t in codes::tables() {
                out!("{:<22} {:>3} values  ({})", t.name, t.entries.len(), t.source);
            }
            Ok(0)
        }
        Some(name) => {
            let table = codes::table(name).ok_or_else(|| {
                let names: Vec<&str> = codes::tables().iter().map(|t| t.name).collect();
                Failure(2, format!("no table {name:?}; the tables are {}", names.join(", ")))
            })?;
            if json {
                out!("{}", serde_json::to_string_pretty(table)?);
            } else {
                for e in table.entries {
                    let aliases =
                        if e.aliases.is_empty() { String::new() } else { format!(" (also {})", e.aliases.join(", ")) };
                    out!("{:<24} {}{aliases}", e.wire, e.description_ru);
                }
            }
            Ok(0)
        }
    }
}
