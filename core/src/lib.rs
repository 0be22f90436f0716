//! # ofdkit
//!
//! The pure core of ofdkit: every model, code table, rule and codec of the
//! OFD.ru Ferma receipts API and KKT registration API, with no I/O, no
//! globals and no clock reads.
//!
//! - [`catalog`]: every rule with its id, severity and source.
//! - [`money`]: exact amounts and quantities.
//! - [`output`]: the one JSON form of every answer, for every binding.
//! - [`schema`]: JSON Schema of every request and answer, from the models.
//! - [`codes`]: every code table with its Russian descriptions.
//! - [`datetime`]: the specs' date formats as types.
//! - [`ferma`]: the receipts API; [`ofd`]: the registration API.
//! - [`protocol`]: sans-IO requests and answers of both.
//! - [`json`]: exact JSON reading; [`decode`] and [`validate`] turn it into
//!   models and collect every [`violation`] with its path.

// Every public item is documented: the API is used from four languages, and
// CI denies warnings, so an undocumented item fails the build.
#![warn(missing_docs)]

// The derive macros name this crate by its public name.
extern crate self as ofdkit;

pub mod catalog;
pub mod codes;
pub mod context;
pub mod datetime;
mod decimal;
pub mod decode;
pub mod error;
pub mod ferma;
pub mod json;
pub mod kind;
pub mod money;
pub mod ofd;
pub mod output;
pub mod protocol;
pub mod rules;
pub mod schema;
pub mod validate;
pub mod vat;
pub mod violation;

pub use decimal::{parse_decimal, DecimalError};
pub use error::{ApiError, ApiKind, Error, ErrorCode, ParseNameError, ProtocolError};
pub use kind::RequestKind;
pub use violation::{Severity, Strictness, Violation, ViolationCode, Violations};
