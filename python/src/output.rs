//! The JSON the Python result types (`ofdkit/results.py`) are built from:
//! money as decimal strings (read into `Decimal`), date-times in ISO 8601
//! (read by `datetime.fromisoformat`), everything else as the core
//! serialises it.

use ofdkit::datetime::DateTime;
use ofdkit::ferma::FiscalPayload;
use ofdkit::protocol::{Created, ReceiptState, ReportOutcome, TokenGrant};
use ofdkit::ApiError;
use serde_json::{json, Value};

pub fn serialized<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `2026-11-24T12:00:00`: the API's wall-clock time, without a zone.
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

fn iso_opt(datetime: Option<&DateTime>) -> Value {
    datetime.map_or(Value::Null, |d| Value::String(iso(d)))
}

pub fn token(grant: &TokenGrant) -> Value {
    json!({ "token": grant.token.expose(), "valid_until": iso_opt(grant.valid_until.as_ref()) })
}

pub fn created(created: &Created) -> Value {
    json!({ "uuids": created.uuids, "timestamp": iso_opt(created.timestamp.as_ref()) })
}

pub fn payload(payload: &FiscalPayload) -> Value {
    let mut out = serialized(payload);
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

pub fn state(state: &ReceiptState) -> Value {
    match state {
        ReceiptState::Pending => json!({ "state": "pending" }),
        ReceiptState::Done(p) => json!({ "state": "done", "payload": payload(p) }),
        ReceiptState::Failed(e) => json!({ "state": "failed", "error": api_error(e) }),
    }
}

pub fn report(outcome: &ReportOutcome) -> Value {
    let mut out = state(&outcome.state);
    let report = &outcome.report;
    out["uuid"] = json!(report.uuid);
    out["external_id"] = json!(report.external_id);
    out["timestamp"] = iso_opt(report.timestamp.as_ref());
    out["report"] = serialized(report);
    out
}
