//! Sans-IO protocol: every endpoint as a function that builds an
//! [`HttpRequest`] and one that turns an [`HttpResponse`] into a typed
//! result or a typed error. Token lifetimes, polling and what an answer to a
//! write says happened are pure decisions of state and a time the caller
//! passes in. The transport only moves bytes.

mod ferma;
mod http;
mod ofd;
mod outcome;
mod polling;
mod token;

pub use ferma::{
    parse_callback, parse_cashbox_stats, parse_create_response, parse_report, parse_token_response, CashboxFilter,
    Created, FermaApi, ReceiptState, ReportOutcome,
};
pub use http::{percent_encode, HttpRequest, HttpResponse, Method};
pub use ofd::{parse_application, parse_application_list, parse_document, parse_partner_response, OfdApi, OfdAuth};
pub use outcome::{verdict, Verdict};
pub use polling::{PollDecision, PollPolicy};
pub use token::{Secret, TokenGrant, FERMA_UTC_OFFSET_SECONDS};
