//! `ofdkit-sandbox`: runs the simulator of both APIs on 127.0.0.1 until
//! interrupted. State is kept in memory and lost when it stops.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use ofdkit_sandbox::{Sandbox, SandboxConfig, TlsIdentity, TokenTimestamp};

/// A local simulator of the OFD.ru Ferma and KKT registration APIs.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Ferma login.
    #[arg(long, default_value = "fermatest2")]
    login: String,
    /// Ferma password.
    #[arg(long, default_value = "Go2999483Mb")]
    password: String,
    /// Ferma cashbox group.
    #[arg(long, default_value = "1")]
    group_code: String,
    /// Lifetime of a Ferma token, in seconds (at most ten years).
    #[arg(long, default_value_t = 86_400)]
    token_ttl_seconds: u64,
    /// What getToken's `timestamp` carries: `expiry` (the spec) or `issue` (the time it was issued).
    #[arg(long, default_value = "expiry", value_parser = ["expiry", "issue"])]
    token_timestamp: String,
    /// How long a receipt stays `wait`, in milliseconds (at most a day).
    #[arg(long, default_value_t = 300)]
    processing_delay_ms: u64,
    /// A pause before every answer, in milliseconds (at most a day).
    #[arg(long, default_value_t = 0)]
    response_delay_ms: u64,
    /// Refuse receipts over 20 000 characters instead of splitting them.
    #[arg(long)]
    no_split: bool,
    /// Share of receipt requests whose connection is dropped after reading the body (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Seed of the injected failures' random choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The registration API's AuthToken.
    #[arg(long, default_value = "sandbox-ofd-token")]
    ofd_auth_token: String,
    /// Each processing step of a registration application, in milliseconds (at most a day).
    #[arg(long, default_value_t = 300)]
    fns_step_delay_ms: u64,
    /// Cashboxes in the group (1–1000).
    #[arg(long, default_value_t = 2)]
    cashboxes: usize,
    /// Time a client has to send a request's headers (and the TLS handshake); also the idle timeout, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    header_read_timeout_ms: u64,
    /// Time a client has to send a whole request body, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    body_read_timeout_ms: u64,
    /// Time writing an answer may stall before the connection is closed, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    write_timeout_ms: u64,
    /// Largest request body accepted, in bytes; larger ones get 413 unread.
    #[arg(long, default_value_t = 8 << 20)]
    max_body_bytes: u64,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

fn config(args: Args) -> Result<SandboxConfig, String> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsIdentity::from_pem_files(cert, key).map_err(|e| e.to_string())?),
        _ => None,
    };
    let config = SandboxConfig {
        port: args.port,
        login: args.login,
        password: args.password,
        group_code: args.group_code,
        token_ttl: Duration::from_secs(args.token_ttl_seconds),
        token_timestamp: TokenTimestamp::from_name(&args.token_timestamp).unwrap_or_default(),
        processing_delay: Duration::from_millis(args.processing_delay_ms),
        response_delay: Duration::from_millis(args.response_delay_ms),
        split_enabled: !args.no_split,
        drop_rate: args.drop_rate,
        seed: args.seed,
        ofd_auth_token: args.ofd_auth_token,
        fns_step_delay: Duration::from_millis(args.fns_step_delay_ms),
        cashboxes: args.cashboxes,
        header_read_timeout: Duration::from_millis(args.header_read_timeout_ms),
        body_read_timeout: Duration::from_millis(args.body_read_timeout_ms),
        write_timeout: Duration::from_millis(args.write_timeout_ms),
        max_body_bytes: args.max_body_bytes,
        max_connections: args.max_connections,
        tls,
        ..SandboxConfig::default()
    };
    config.check().map_err(|e| in_flag_terms(&e))?;
    Ok(config)
}

/// A message of [`SandboxConfig::check`], naming the flag instead of the setting.
fn in_flag_terms(message: &str) -> String {
    let (setting, rest) = message.split_once(' ').unwrap_or((message, ""));
    let unit = match setting {
        "token_ttl" => "-seconds",
        "processing_delay"
        | "response_delay"
        | "fns_step_delay"
        | "header_read_timeout"
        | "body_read_timeout"
        | "write_timeout" => "-ms",
        "tls" => return format!("--tls-cert/--tls-key {rest}"),
        _ => "",
    };
    format!("--{}{unit} {rest}", setting.replace('_', "-"))
}

fn main() -> std::process::ExitCode {
    let config = match config(Args::parse()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("ofdkit-sandbox: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match Sandbox::start(config) {
        Ok(sandbox) => {
            println!("ofdkit sandbox on {} (state in memory; Ctrl-C stops it)", sandbox.base_url());
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            eprintln!("ofdkit-sandbox: cannot start: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
