//! `ofdkit send`, `status` and `answer`: the commands that talk to Ferma
//! (or the built-in sandbox) or read what it answered.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use ofdkit::codes::Operation;
use ofdkit::json::Input;
use ofdkit::output::{self, AnswerKind};
use ofdkit::protocol::{HttpResponse, ReceiptState};
use ofdkit::{ferma, Strictness};
use ofdkit_client::{FermaClient, FermaConfig, Outcome, Progress};
use ofdkit_sandbox::{Sandbox, SandboxConfig};

use crate::print::{read, too_large, violations_text, Document, Failure};
use crate::{note, operation, operation_arg, out, source_name, InputArgs};

/// Where Ferma is and how to reach it.
#[derive(Args, Debug)]
pub struct Connection {
    // clap prints this comment as `--help` text, where a bare URL reads best.
    #[allow(rustdoc::bare_urls)]
    /// Ferma's base URL (https://ferma-test-at.ofd.ru for the test server). `send` without one starts the built-in
    /// sandbox; `status` needs one (`ofdkit sandbox` runs a sandbox to point it at).
    #[arg(long, env = "OFDKIT_BASE_URL")]
    base_url: Option<String>,
    /// Ferma login.
    #[arg(long, env = "OFDKIT_LOGIN")]
    login: Option<String>,
    /// Ferma password (prefer the environment variable).
    #[arg(long, env = "OFDKIT_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Ferma cashbox group.
    #[arg(long, env = "OFDKIT_GROUP_CODE")]
    group_code: Option<String>,
    /// A PEM file of certificates to trust besides the system's store (a TLS-inspecting proxy's CA, …).
    #[arg(long, env = "OFDKIT_CA_BUNDLE")]
    ca_bundle: Option<PathBuf>,
    /// The proxy: a URL (http://host:port), `direct`, or `environment` (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY,
    /// NO_PROXY; the default).
    #[arg(long, env = "OFDKIT_PROXY")]
    proxy: Option<String>,
}

#[derive(Args, Debug)]
pub struct SendArgs {
    /// The receipt request (`-` for standard input).
    file: PathBuf,
    /// The operation to send it as.
    #[arg(long, default_value = "sell", value_parser = operation_arg())]
    operation: String,
    /// How long everything may take, in seconds: the token, sending, recovering a lost answer and waiting for the
    /// result.
    #[arg(long, default_value_t = 60)]
    deadline: u64,
    /// Refuse to send a receipt that has any warning, as if it were an error.
    #[arg(long)]
    strict: bool,
    /// Print the result as ofdkit's JSON: {"outcome", "external_id", "parts" | "error" | "uuids", …}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connection: Connection,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The document's uuid, as `send` printed it.
    uuid: String,
    /// How long asking may take, in seconds.
    #[arg(long, default_value_t = 30)]
    deadline: u64,
    /// Print the report as ofdkit's JSON: {"state", "payload" | "error", "uuid", "external_id", "report", …}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connection: Connection,
}

#[derive(Args, Debug)]
pub struct AnswerArgs {
    /// What the file holds.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(AnswerKind::ALL.map(AnswerKind::name)))]
    kind: String,
    /// The answer's body (`-` for standard input).
    file: PathBuf,
    /// The answer's HTTP status.
    #[arg(long, default_value_t = 200)]
    status: u16,
    #[command(flatten)]
    input: InputArgs,
}

pub fn send(args: SendArgs) -> Result<u8, Failure> {
    let operation = operation(&args.operation)?;
    let max = args.input.max_input_bytes;
    let body = match read(&args.file, max)? {
        Document::Read(body) => body,
        Document::TooLarge => return Err(Failure(1, too_large(&source_name(&args.file), max))),
    };
    // Nothing goes out, not even to a sandbox, before the receipt passes.
    let strictness = if args.strict { Strictness::Strict } else { Strictness::Spec };
    match ferma::prepare_receipt(Input::new(&body).max_bytes(max), operation).and_then(|c| c.require(strictness)) {
        Ok(_) => {}
        Err(ofdkit::Error::Invalid(violations)) => {
            violations_text(&violations, "");
            return Ok(1);
        }
        Err(e) => return Err(Failure(1, format!("{}: {e}", source_name(&args.file)))),
    }
    let deadline = Duration::from_secs(args.deadline);
    let (client, _sandbox) = connect(&args.connection, deadline, true)?;
    fiscalize(&client, operation, &body, deadline, args.json)
}

pub fn status(args: StatusArgs) -> Result<u8, Failure> {
    let (client, _sandbox) = connect(&args.connection, Duration::from_secs(args.deadline), false)?;
    let outcome = client.report(&args.uuid).map_err(|e| {
        let code = if e.is_outcome_unknown() { 3 } else { 2 };
        Failure(code, e.to_string())
    })?;
    if args.json {
        out!("{}", output::report(&outcome));
    } else {
        match &outcome.state {
            ReceiptState::Pending => out!("{}: still processing (wait)", args.uuid),
            ReceiptState::Done(payload) => print_payload(&args.uuid, payload),
            ReceiptState::Failed(error) => out!("{}: failed: {error}", args.uuid),
        }
    }
    Ok(0)
}

pub fn answer(args: AnswerArgs) -> Result<u8, Failure> {
    let kind: AnswerKind = args.kind.parse()?;
    let max = args.input.max_input_bytes;
    let body = match read(&args.file, max)? {
        Document::Read(body) => body,
        Document::TooLarge => return Err(Failure(1, too_large(&source_name(&args.file), max))),
    };
    match kind.read(&HttpResponse::new(args.status, body)) {
        Ok(json) => {
            out!("{json}");
            Ok(0)
        }
        Err(e) => {
            out!("{}", output::error(&e));
            Ok(1)
        }
    }
}

/// The configured server, or the built-in sandbox when there is none and
/// `sandbox_allowed`. `deadline` bounds each call the command makes.
fn connect(
    connection: &Connection,
    deadline: Duration,
    sandbox_allowed: bool,
) -> Result<(FermaClient, Option<Sandbox>), Failure> {
    let (builder, sandbox) = match &connection.base_url {
        Some(url) => {
            let missing = |what: &str| {
                Failure(2, format!("{what} is needed with --base-url (or OFDKIT_{})", what.to_uppercase()))
            };
            let builder = FermaConfig::builder()
                .base_url(url)
                .login(connection.login.clone().ok_or_else(|| missing("login"))?)
                .password(connection.password.clone().ok_or_else(|| missing("password"))?)
                .group_code(connection.group_code.clone().ok_or_else(|| missing("group_code"))?);
            (builder, None)
        }
        None if sandbox_allowed => {
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
        None => {
            return Err(Failure(
                2,
                "no server: set --base-url (or OFDKIT_BASE_URL, with OFDKIT_LOGIN, OFDKIT_PASSWORD and OFDKIT_GROUP_CODE). \
                 A sandbox started for this command alone would know no document; run `ofdkit sandbox` in another \
                 terminal and use the settings it prints"
                    .to_owned(),
            ))
        }
    };
    let mut builder = builder.call_timeout(deadline).request_timeout(deadline);
    if let Some(path) = &connection.ca_bundle {
        builder = builder.ca_bundle_file(path);
    }
    if let Some(proxy) = &connection.proxy {
        builder = builder.proxy_str(proxy);
    }
    Ok((FermaClient::new(builder.build()?)?, sandbox))
}

/// Sends the receipt through the client's one outcome path (send, recover
/// a lost answer by its external_id, wait) and prints where it ended.
fn fiscalize(
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
                let _ = write!(std::io::stderr().lock(), "\rwaiting for Ferma: {:.1} s, {polls} checks ", elapsed.as_secs_f64());
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
                violations_text(violations, "");
                return Ok(1);
            }
            // Nothing of the receipt reached Ferma: running again is safe.
            return Err(Failure(2, e.to_string()));
        }
    };
    if json {
        out!("{}", ofdkit_client::output::fiscalization(&result));
    } else {
        for warning in &result.warnings {
            note!("{warning}");
        }
    }
    match &result.outcome {
        Outcome::Done(parts) => {
            note!("done in {:.2} s", started.elapsed().as_secs_f64());
            if !json {
                for (uuid, payload) in parts {
                    print_payload(uuid, payload);
                }
            }
            Ok(0)
        }
        Outcome::Failed(error) => {
            if !json {
                out!("{}: not fiscalised: {error}", result.external_id);
            }
            Ok(1)
        }
        Outcome::Unknown { uuids, reason, .. } => {
            if !json {
                out!("{}: outcome unknown: {reason}", result.external_id);
                for uuid in uuids {
                    out!("  ask later: ofdkit status {uuid}");
                }
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
