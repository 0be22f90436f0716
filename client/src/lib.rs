//! # ofdkit-client
//!
//! The blocking HTTP client of ofdkit — the one place with network I/O. It
//! drives the core's sans-IO protocol and only moves bytes (ureq, rustls,
//! the operating system's certificate store).
//!
//! - [`FermaClient`]: tokens cached and refreshed before they expire (and
//!   once more on an authentication error), receipts of all 8 operations,
//!   reports, [`FermaClient::wait`] with backoff, callbacks, cashbox
//!   statistics, and [`FermaClient::fiscalize`], the one path from a
//!   receipt to its outcome that every binding uses.
//! - [`RegistrationClient`]: the OFD.ru registration API, and waiting for
//!   the FNS.
//!
//! Outcomes are never guessed. A request that certainly did not reach the
//! server (no name, no connection, no TLS, nothing of its body sent) is
//! [`Error::Transport`] and may be sent again. One that went out without a
//! clear answer (a broken connection, a timeout, a 5xx, garbage) is
//! [`Error::OutcomeUnknown`] and is not sent again blindly: a receipt is
//! recovered with its own `external_id`, which Ferma registers at most once.
//! Every call ends by its [`Deadline`] whatever the server does.
//!
//! Passwords and tokens never appear in `Debug` output or in errors, even
//! when a server echoes them back.

mod deadline;
mod error;
mod ferma;
mod network;
mod ofd;
pub mod output;
mod redact;
mod transport;

pub use deadline::Deadline;
pub use error::{Error, TransportError, TransportKind, Unclear};
pub use ferma::{FermaClient, FermaConfig, FermaConfigBuilder, Fiscalization, Outcome, Progress, Recovery, Sent};
pub use network::{CaBundle, Network, Proxy, Timeouts};
pub use ofd::{RegistrationClient, RegistrationConfig, RegistrationConfigBuilder, Waited};

// The README's Rust examples are compiled (and run, unless marked no_run) as
// doc tests here, where both ofdkit and this client are in scope.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
