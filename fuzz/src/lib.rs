//! The bodies of ofdkit's fuzz targets: one function for every reader of
//! untrusted bytes, named as the target that runs it
//! (`fuzz_targets/<name>.rs` is one line). A function returns quietly or
//! panics, on a crash of ofdkit or on a property it checks beyond "no
//! panic", so that libFuzzer and the corpus replay on stable
//! (`tests/replay.rs`) see the same failures.

mod answers;
mod c_accessors;
mod json;
mod requests;
mod support;
mod values;

pub use answers::{ferma_answers, ofd_answers};
pub use c_accessors::json_accessors;
pub use json::json;
pub use requests::{
    application, application_update, partner_registration, receipt, receipt_totals, request_kind, sign_request,
};
pub use values::{dates, money};

/// A target's body.
pub type Body = fn(&[u8]);

/// Every target, by name, for the corpus replay.
pub const TARGETS: &[(&str, Body)] = &[
    ("receipt", receipt),
    ("receipt_totals", receipt_totals),
    ("application", application),
    ("application_update", application_update),
    ("partner_registration", partner_registration),
    ("sign_request", sign_request),
    ("request_kind", request_kind),
    ("ferma_answers", ferma_answers),
    ("ofd_answers", ofd_answers),
    ("json_accessors", json_accessors),
    ("money", money),
    ("dates", dates),
    ("json", json),
];
