//! # ofdkit-client
//!
//! The blocking HTTP client of ofdkit — the one place with network I/O. It
//! drives the core's sans-IO protocol and only moves bytes (ureq, rustls).
//!
//! - [`FermaClient`]: tokens cached and refreshed before they expire (and
//!   once more on an authentication error), receipts of all 8 operations,
//!   reports, [`FermaClient::wait`] with backoff, callbacks, cashbox
//!   statistics. **A receipt is never sent twice by a retry**: only a
//!   request that certainly did not arrive is repeated; otherwise the
//!   outcome is reported unknown, and [`FermaClient::recover`] finds out
//!   safely through Ferma's refusal of a known `external_id`.
//! - [`RegistrationClient`]: the OFD.ru registration API.
//!
//! Passwords and tokens never appear in `Debug` output or in errors.

mod error;
mod ferma;
mod ofd;
mod transport;

pub use error::{Error, TransportError, TransportKind};
pub use ferma::{FermaClient, FermaConfig, Fiscalization, Outcome, Recovery, Sent};
pub use ofd::{RegistrationClient, RegistrationConfig};
pub use transport::Timeouts;

// The README's Rust examples are compiled (and run, unless marked no_run) as
// doc tests here, where both ofdkit and this client are in scope.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
