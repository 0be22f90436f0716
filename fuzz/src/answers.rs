//! Answers the servers send back, read by the sans-IO protocol parsers and
//! written in ofdkit's one JSON form (`output`), as every binding does.
//!
//! The input is the body; its length picks the HTTP status (200 most
//! often). An answer is a success only with status 200, an error keeps the
//! status it came with, and everything written is JSON.

use ofdkit::output::{self, AnswerKind};
use ofdkit::protocol::{self, HttpResponse};
use ofdkit::Error;

use crate::support::{assert_json, pick};

/// Statuses servers answer with, the odd ones included.
const STATUSES: [u16; 16] = [200, 200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 422, 500, 503, 0, 999];

/// An answer read by its kind's parser (`AnswerKind::read` calls
/// `protocol::parse_*` and writes the result): success only on 200, errors
/// with their status, and the output is JSON.
fn check(kind: AnswerKind, response: &HttpResponse) {
    match kind.read(response) {
        Ok(json) => {
            assert_json(&json, kind.name());
            if kind != AnswerKind::Callback {
                assert_eq!(response.status, 200, "{} read as a success with status {}", kind.name(), response.status);
            }
        }
        Err(error) => {
            let status = if kind == AnswerKind::Callback { 200 } else { response.status };
            assert_status(&error, status);
            assert_json(&output::error(&error).to_string(), "the error's JSON");
        }
    }
}

fn assert_status(error: &Error, status: u16) {
    let reported = match error {
        Error::Api(api) => api.http_status,
        Error::Protocol(protocol) => protocol.http_status,
        other => panic!("an answer fails as {other:?}, neither an API nor a protocol error"),
    };
    assert_eq!(reported, status, "the error reports another HTTP status: {error}");
}

/// Ferma's answers: getToken (§2), a receipt's creation (§3.1.3, §3.2), a
/// report (§4) and the same body POSTed to a callback_url, and cashbox
/// statistics (§7).
pub fn ferma_answers(data: &[u8]) {
    let response = HttpResponse::new(pick(&STATUSES, data), data);
    for kind in
        [AnswerKind::Token, AnswerKind::Create, AnswerKind::Report, AnswerKind::Callback, AnswerKind::CashboxStats]
    {
        check(kind, &response);
    }
}

/// The registration API's answers: an application (§§2.1–2.6), a list of
/// them (§2.3), a partner registration's answer (appendix 1) and a
/// document download (§2.7), whose bytes come back untouched.
pub fn ofd_answers(data: &[u8]) {
    let response = HttpResponse::new(pick(&STATUSES, data), data);
    for kind in [AnswerKind::Application, AnswerKind::ApplicationList, AnswerKind::Partner] {
        check(kind, &response);
    }
    match protocol::parse_document(&response) {
        Ok(document) => {
            assert_eq!(response.status, 200, "a document with status {}", response.status);
            assert_eq!(document, response.body, "the document's bytes changed");
        }
        Err(error) => {
            assert_status(&error, response.status);
            assert_json(&output::error(&error).to_string(), "the error's JSON");
        }
    }
}
