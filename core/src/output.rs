//! The one JSON form of every answer, written here and nowhere else: the
//! CLI's `--json`, the C library, Python, WebAssembly and 1C give the same
//! bytes for the same input.
//!
//! The form is ofdkit's own, made for programs: money as decimal strings
//! (`"1598.00"`, exact in every language), date-times as ISO 8601 without a
//! zone (`"2026-11-24T12:00:00"`, the API's own clock: Moscow time for
//! Ferma's timestamps, UTC for `receipt_datetime`, table 4.1), codes by
//! their wire names, and the API's whole answer kept under `"report"` or as
//! the model itself, so nothing the server sent is lost. `docs/outputs.md`
//! and the answer schemas describe every member.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::datetime::DateTime;
use crate::error::{ApiError, Error};
use crate::ferma::{CashboxStats, FiscalPayload};
use crate::ofd::Application;
use crate::protocol::{self, Created, HttpResponse, ReceiptState, ReportOutcome, TokenGrant};
use crate::violation::Violations;

/// `2026-11-24T12:00:00`.
pub fn iso(datetime: &DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        datetime.year(),
        datetime.month(),
        datetime.day(),
        datetime.hour(),
        datetime.minute(),
        datetime.second()
    )
}

fn iso_or_null(datetime: Option<&DateTime>) -> Value {
    datetime.map_or(Value::Null, |d| Value::String(iso(d)))
}

/// A model as the core serialises it (applications, statistics, lists of
/// them); models hold only maps with string keys, so this cannot fail, and
/// `null` stands in if it ever did.
pub fn model<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A token: `{"token", "valid_until"}`.
pub fn token(grant: &TokenGrant) -> Value {
    json!({ "token": grant.token.expose(), "valid_until": iso_or_null(grant.valid_until.as_ref()) })
}

/// A receipt's registration, one uuid or several for a split receipt:
/// `{"uuids", "timestamp"}`.
pub fn created(created: &Created) -> Value {
    json!({ "uuids": created.uuids, "timestamp": iso_or_null(created.timestamp.as_ref()) })
}

/// The fiscal requisites: the answer's members, the total as a decimal
/// string and `receipt_datetime` in ISO form.
pub fn payload(payload: &FiscalPayload) -> Value {
    let mut out = model(payload);
    if let Value::Object(members) = &mut out {
        if let Some(total) = payload.total {
            members.insert("total".to_owned(), Value::String(total.to_string()));
        }
        if let Some(at) = &payload.receipt_datetime {
            members.insert("receipt_datetime".to_owned(), Value::String(iso(at)));
        }
    }
    out
}

/// An error the API answered with: ofdkit's code and name, the API's own
/// code, name, error_id and text, and a message in one line.
pub fn api_error(error: &ApiError) -> Value {
    json!({
        "error_code": error.kind.number(),
        "error_name": error.kind.name(),
        "api": error.api,
        "http_status": error.http_status,
        "code": error.code,
        "name": error.name,
        "error_id": error.error_id,
        "text": error.text,
        "message": error.to_string(),
    })
}

/// A document's state: `{"state": "pending"}`, `{"state": "done",
/// "payload"}` or `{"state": "failed", "error"}`.
pub fn state(state: &ReceiptState) -> Map<String, Value> {
    let mut out = Map::new();
    match state {
        ReceiptState::Pending => {
            out.insert("state".to_owned(), json!("pending"));
        }
        ReceiptState::Done(p) => {
            out.insert("state".to_owned(), json!("done"));
            out.insert("payload".to_owned(), self::payload(p));
        }
        ReceiptState::Failed(e) => {
            out.insert("state".to_owned(), json!("failed"));
            out.insert("error".to_owned(), api_error(e));
        }
    }
    out
}

/// A report or callback: the state, the document's uuid, external_id and
/// timestamp, and the whole answer under `"report"`.
pub fn report(outcome: &ReportOutcome) -> Value {
    let mut out = state(&outcome.state);
    let report = &outcome.report;
    out.insert("uuid".to_owned(), json!(report.uuid));
    out.insert("external_id".to_owned(), json!(report.external_id));
    out.insert("timestamp".to_owned(), iso_or_null(report.timestamp.as_ref()));
    out.insert("report".to_owned(), model(report));
    Value::Object(out)
}

/// Cashbox statistics (§7), as the model.
pub fn cashbox_stats(stats: &CashboxStats) -> Value {
    model(stats)
}

/// An application (§§2.1–2.6), as the model.
pub fn application(application: &Application) -> Value {
    model(application)
}

/// A list of applications (§2.3).
pub fn application_list(applications: &[Application]) -> Value {
    Value::Array(applications.iter().map(application).collect())
}

/// A partner registration's answer (appendix 1): `{"agreement"}`.
pub fn partner(agreement: &str) -> Value {
    json!({ "agreement": agreement })
}

/// Violations: `[{path, code, rule, severity, message, message_ru}]`.
pub fn violations(violations: &Violations) -> Value {
    model(violations)
}

/// Any failure of the core: `{"error_code", "error_name", "message"}`
/// and, as they apply, `"violations"`, `"api"` (the API's error, as
/// [`api_error`]), `"line"` and `"column"` (malformed JSON), `"size"` and
/// `"max"` (an input over the limit), `"http_status"`.
pub fn error(error: &Error) -> Value {
    let code = error.code();
    let mut out = Map::new();
    out.insert("error_code".to_owned(), json!(code.number()));
    out.insert("error_name".to_owned(), json!(code.name()));
    out.insert("message".to_owned(), json!(error.to_string()));
    match error {
        Error::Invalid(v) => {
            out.insert("violations".to_owned(), violations(v));
        }
        Error::Json(json) => match json.kind {
            crate::json::JsonErrorKind::TooLarge { size, max } => {
                out.insert("size".to_owned(), json!(size));
                out.insert("max".to_owned(), json!(max));
            }
            _ => {
                out.insert("line".to_owned(), json!(json.line));
                out.insert("column".to_owned(), json!(json.column));
            }
        },
        Error::Api(api) => {
            out.insert("api".to_owned(), api_error(api));
        }
        Error::Protocol(p) => {
            out.insert("http_status".to_owned(), json!(p.http_status));
        }
        _ => {}
    }
    Value::Object(out)
}

/// The answers a binding can read, by the names the bindings use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnswerKind {
    /// Ferma's getToken answer (§2).
    Token,
    /// Ferma's answer to a receipt (§3.1.3, §3.2).
    Create,
    /// Ferma's report (§4).
    Report,
    /// What Ferma POSTs to a callback_url (§4).
    Callback,
    /// Ferma's cashbox statistics (§7).
    CashboxStats,
    /// An application (registration API §§2.1–2.6).
    Application,
    /// A list of applications (§2.3).
    ApplicationList,
    /// A partner registration's answer (appendix 1).
    Partner,
}

impl AnswerKind {
    /// Every kind, in the order bindings list them.
    pub const ALL: [AnswerKind; 8] = [
        AnswerKind::Token,
        AnswerKind::Create,
        AnswerKind::Report,
        AnswerKind::Callback,
        AnswerKind::CashboxStats,
        AnswerKind::Application,
        AnswerKind::ApplicationList,
        AnswerKind::Partner,
    ];

    /// `token`, `create`, `report`, `callback`, `cashbox_stats`,
    /// `application`, `application_list`, `partner`.
    pub fn name(self) -> &'static str {
        match self {
            AnswerKind::Token => "token",
            AnswerKind::Create => "create",
            AnswerKind::Report => "report",
            AnswerKind::Callback => "callback",
            AnswerKind::CashboxStats => "cashbox_stats",
            AnswerKind::Application => "application",
            AnswerKind::ApplicationList => "application_list",
            AnswerKind::Partner => "partner",
        }
    }

    /// Reads an answer of this kind and writes its one JSON form; an error
    /// the API answered with, an unexpected status or an unreadable body is
    /// the core's error.
    pub fn read(self, response: &HttpResponse) -> Result<String, Error> {
        let value = match self {
            AnswerKind::Token => token(&protocol::parse_token_response(response)?),
            AnswerKind::Create => created(&protocol::parse_create_response(response)?),
            AnswerKind::Report => report(&protocol::parse_report(response)?),
            AnswerKind::Callback => report(&protocol::parse_callback(&response.body)?),
            AnswerKind::CashboxStats => cashbox_stats(&protocol::parse_cashbox_stats(response)?),
            AnswerKind::Application => application(&protocol::parse_application(response)?),
            AnswerKind::ApplicationList => application_list(&protocol::parse_application_list(response)?),
            AnswerKind::Partner => partner(&protocol::parse_partner_response(response)?),
        };
        Ok(value.to_string())
    }
}

impl std::str::FromStr for AnswerKind {
    type Err = crate::error::ParseNameError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const NAMES: &[&str] =
            &["token", "create", "report", "callback", "cashbox_stats", "application", "application_list", "partner"];
        AnswerKind::ALL
            .into_iter()
            .find(|k| k.name() == text)
            .ok_or_else(|| crate::error::ParseNameError::new("kind of answer", text, NAMES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_keeps_money_exact_and_dates_iso() {
        let body = br#"{"error": null, "timestamp": "31.03.2020 13:32:25", "uuid": "0099caf8", "status": "done",
            "payload": {"total": 1598, "fn_number": "1110000100231111", "receipt_datetime": "12.04.2017 20:16:00",
            "fiscal_document_number": 133, "fiscal_document_attribute": 3449555955},
            "external_id": "TRF10601_1"}"#;
        let text = AnswerKind::Report.read(&HttpResponse::new(200, body.to_vec())).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["state"], "done");
        assert_eq!(value["payload"]["total"], "1598.00");
        assert_eq!(value["payload"]["receipt_datetime"], "2017-04-12T20:16:00");
        assert_eq!(value["timestamp"], "2020-03-31T13:32:25");
        assert_eq!(value["report"]["uuid"], "0099caf8");
    }

    #[test]
    fn kinds_parse_by_name_and_list_the_rest() {
        for kind in AnswerKind::ALL {
            assert_eq!(kind.name().parse::<AnswerKind>(), Ok(kind));
        }
        let error = "receipt".parse::<AnswerKind>().unwrap_err();
        assert!(error.to_string().contains("application_list"));
    }

    #[test]
    fn errors_carry_their_code_and_details() {
        let invalid = crate::ferma::normalize_receipt_json(b"{}", crate::codes::Operation::Sell).unwrap_err();
        let value = error(&invalid);
        assert_eq!(value["error_name"], "INVALID_REQUEST");
        assert!(value["violations"].as_array().is_some_and(|v| !v.is_empty()));
        let json = crate::ferma::normalize_receipt_json(b"{", crate::codes::Operation::Sell).unwrap_err();
        assert_eq!(error(&json)["line"], 1);
    }
}

/// What a command line prints for one validated document (`ofdkit
/// validate FILE`, `python -m ofdkit validate FILE`), written here so the
/// two print the same bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CommandReport {
    /// 0 no error, 1 an error or a document that cannot be read.
    pub exit_code: u8,
    /// What goes to standard output.
    pub stdout: String,
    /// What goes to standard error.
    pub stderr: String,
}

impl CommandReport {
    /// The report of `verdict` for the document called `source`: in JSON,
    /// the violations or the error; in text, each violation in English with
    /// the Russian under it, or `source: valid`.
    pub fn of(source: &str, verdict: Result<&Violations, &crate::json::JsonError>, json: bool) -> Self {
        match verdict {
            Ok(violations) => {
                let stdout = if json {
                    format!("{}\n", violations.to_json())
                } else if violations.is_empty() {
                    format!("{source}: valid\n")
                } else {
                    violations.iter().map(|v| format!("{v}\n    {}\n", v.message_ru)).collect()
                };
                CommandReport { exit_code: u8::from(violations.has_errors()), stdout, stderr: String::new() }
            }
            Err(e) if json => CommandReport {
                exit_code: 1,
                stdout: format!("{}\n", error(&Error::Json(e.clone()))),
                stderr: String::new(),
            },
            Err(e) => {
                let message = match e.kind {
                    crate::json::JsonErrorKind::TooLarge { max, .. } => format!(
                        "{source}: larger than the limit of {max} bytes, not read (INPUT_TOO_LARGE); raise it with --max-input-bytes or OFDKIT_MAX_INPUT_BYTES"
                    ),
                    _ => format!("{source}: {e}"),
                };
                CommandReport { exit_code: 1, stdout: String::new(), stderr: format!("ofdkit: {message}\n") }
            }
        }
    }
}
