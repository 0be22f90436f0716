//! `ofdkit-sandbox`: runs the simulator of both APIs on 127.0.0.1 until
//! interrupted. State is kept in memory and lost when it stops.

use std::time::Duration;

use clap::Parser;
use ofdkit_sandbox::{Sandbox, SandboxConfig};

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
    /// Lifetime of a Ferma token, in seconds.
    #[arg(long, default_value_t = 86_400)]
    token_ttl_seconds: u64,
    /// How long a receipt stays `wait`, in milliseconds.
    #[arg(long, default_value_t = 300)]
    processing_delay_ms: u64,
    /// A pause before every answer, in milliseconds.
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
    /// Each processing step of a registration application, in milliseconds.
    #[arg(long, default_value_t = 300)]
    fns_step_delay_ms: u64,
    /// Cashboxes in the group.
    #[arg(long, default_value_t = 2)]
    cashboxes: usize,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let config = SandboxConfig {
        port: args.port,
        login: args.login,
        password: args.password,
        group_code: args.group_code,
        token_ttl: Duration::from_secs(args.token_ttl_seconds),
        processing_delay: Duration::from_millis(args.processing_delay_ms),
        response_delay: Duration::from_millis(args.response_delay_ms),
        split_enabled: !args.no_split,
        drop_rate: args.drop_rate.clamp(0.0, 1.0),
        seed: args.seed,
        ofd_auth_token: args.ofd_auth_token,
        fns_step_delay: Duration::from_millis(args.fns_step_delay_ms),
        cashboxes: args.cashboxes.max(1),
        ..SandboxConfig::default()
    };
    match Sandbox::start(config) {
        Ok(sandbox) => {
            println!("ofdkit sandbox on {} (state in memory; Ctrl-C stops it)", sandbox.base_url());
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            eprintln!("cannot start the sandbox: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
