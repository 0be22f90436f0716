//! `ofdkit sandbox`: the simulator of both APIs on 127.0.0.1, kept running
//! so that `send` and `status` in another terminal can use it (a sandbox
//! started for one command forgets everything when the command ends).

use std::time::Duration;

use clap::Args;
use ofdkit_sandbox::{Sandbox, SandboxConfig};

use crate::out;
use crate::print::Failure;

#[derive(Args, Debug)]
pub struct SandboxArgs {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// How long a receipt stays `wait` before it is fiscalised, in milliseconds.
    #[arg(long, default_value_t = 300)]
    processing_delay_ms: u64,
}

pub fn run(args: SandboxArgs) -> Result<u8, Failure> {
    let config = SandboxConfig {
        port: args.port,
        processing_delay: Duration::from_millis(args.processing_delay_ms),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).map_err(|e| Failure(2, format!("the sandbox did not start: {e}")))?;
    let c = sandbox.config();
    out!("The sandbox of Ferma and the registration API runs at {} until stopped (Ctrl-C).", sandbox.base_url());
    out!("Nothing is fiscalised for real; everything is in memory. In another terminal:");
    out!(
        "  export OFDKIT_BASE_URL={} OFDKIT_LOGIN={} OFDKIT_PASSWORD={} OFDKIT_GROUP_CODE={}",
        sandbox.base_url(),
        c.login,
        c.password,
        c.group_code
    );
    out!("  ofdkit send examples/receipt.json && ofdkit status <uuid>");
    out!("Faults for tests: POST {}/sandbox/faults (see sandbox/README.md).", sandbox.base_url());
    // The sandbox serves on its own threads; this one only keeps the process
    // alive until a signal ends it.
    loop {
        std::thread::park();
    }
}
