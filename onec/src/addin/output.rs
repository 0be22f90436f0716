//! Every JSON text the add-in hands to 1C, in one place. The core writes
//! the one form of every answer (`ofdkit::output`: violations, reports,
//! states, fiscal requisites, the API's errors, applications, failures);
//! this module only puts the client's results together from those pieces,
//! in the shapes the C library gives (`ofdkit_ferma_send`,
//! `ofdkit_ferma_fiscalize`, `ofdkit_ferma_recover`), and adds the Russian
//! message to a failure. When the core writes the client's results too,
//! these become calls to it.

use ofdkit::codes::{self, CodeTable};
use ofdkit::ofd::Application;
use ofdkit::output as core;
use ofdkit::protocol::{ReceiptState, ReportOutcome};
use ofdkit::Violations;
use ofdkit_client::{Fiscalization, Outcome, Recovery, Sent};
use serde_json::{json, Map, Value};

use super::errors::{Detail, ErrorReport};

/// `[{path, code, rule, severity, message, message_ru}]`.
pub fn violations(violations: &Violations) -> String {
    core::violations(violations).to_string()
}

/// The core's form of a failure (`{error_code, error_name, message}` and
/// `violations`, `api`, `line` and `column` as they apply), with
/// `message_ru`; a transport failure adds `may_have_arrived`, an unknown
/// outcome `external_id` and `cause`.
pub fn last_error(report: &ErrorReport) -> String {
    let mut error = match &*report.detail {
        Detail::Core(error) => match core::error(error) {
            Value::Object(members) => members,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    error.insert("error_code".to_owned(), json!(report.code.number()));
    error.insert("error_name".to_owned(), json!(report.code.name()));
    error.insert("message".to_owned(), json!(report.message));
    error.insert("message_ru".to_owned(), json!(report.message_ru));
    match &*report.detail {
        Detail::Transport { may_have_arrived } => {
            error.insert("may_have_arrived".to_owned(), json!(may_have_arrived));
        }
        Detail::OutcomeUnknown { external_id, cause } => {
            error.insert("external_id".to_owned(), json!(external_id));
            error.insert("cause".to_owned(), json!(cause));
        }
        Detail::None | Detail::Core(_) => {}
    }
    Value::Object(error).to_string()
}

/// `{external_id, uuids, warnings}`.
pub fn sent(sent: &Sent) -> String {
    json!({"external_id": sent.external_id, "uuids": sent.uuids, "warnings": core::violations(&sent.warnings)})
        .to_string()
}

/// `{recovery: "sent", external_id, uuids}` or `{recovery: "already_registered", external_id}`.
pub fn recovery(recovery: &Recovery) -> String {
    match recovery {
        Recovery::Sent(sent) => json!({"recovery": "sent", "external_id": sent.external_id, "uuids": sent.uuids}),
        Recovery::AlreadyRegistered { external_id } => {
            json!({"recovery": "already_registered", "external_id": external_id})
        }
    }
    .to_string()
}

/// `{external_id, outcome: "done", parts: [{uuid, payload}]}`, `{…,
/// outcome: "failed", error}` or `{…, outcome: "unknown", uuids, reason}`,
/// with the validation `warnings`.
pub fn fiscalization(result: &Fiscalization) -> String {
    let mut outcome = match &result.outcome {
        Outcome::Done(parts) => json!({
            "outcome": "done",
            "parts": parts.iter().map(|(uuid, payload)| json!({"uuid": uuid, "payload": core::payload(payload)})).collect::<Vec<_>>(),
        }),
        Outcome::Failed(error) => json!({"outcome": "failed", "error": core::api_error(error)}),
        Outcome::Unknown { uuids, reason } => json!({"outcome": "unknown", "uuids": uuids, "reason": reason}),
    };
    outcome["external_id"] = json!(result.external_id);
    outcome["warnings"] = core::violations(&result.warnings);
    outcome.to_string()
}

/// `{state: "pending" | "done" | "failed", payload | error}`.
pub fn state(state: &ReceiptState) -> String {
    Value::Object(core::state(state)).to_string()
}

/// A report: its state, uuid, external_id and timestamp, and the whole
/// answer under `report`.
pub fn report(outcome: &ReportOutcome) -> String {
    core::report(outcome).to_string()
}

pub fn application(application: &Application) -> String {
    core::application(application).to_string()
}

pub fn applications(applications: &[Application]) -> String {
    core::application_list(applications).to_string()
}

/// `{name, source, wire_kind, entries: [{name, wire, number, tag, aliases,
/// description_ru}]}`: the core's table as it serialises itself.
pub fn code_table(table: &CodeTable) -> String {
    serde_json::to_string(table).unwrap_or_default()
}

/// The names of every code table, as a JSON array.
pub fn code_table_names() -> String {
    Value::from(codes::tables().iter().map(|t| t.name).collect::<Vec<_>>()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ofdkit::ErrorCode;

    #[test]
    fn last_error_is_the_cores_form_with_the_russian_message() {
        let violations = ofdkit::ferma::validate_receipt_json(
            br#"{"external_id": "1", "receipt": {}}"#,
            ofdkit::codes::Operation::Sell,
        )
        .unwrap();
        let error = ofdkit::Error::Invalid(violations);
        let report = ErrorReport::from_core(error.clone());
        let json: Value = serde_json::from_str(&last_error(&report)).unwrap();
        let mut core_form = core::error(&error);
        core_form["message_ru"] = json!(report.message_ru);
        assert_eq!(json, core_form);
        assert_eq!(json["error_code"], 1002);
        assert!(json["message_ru"].as_str().unwrap().starts_with("запрос нарушает"));

        let argument = ErrorReport::argument("bad", "плохо");
        let json: Value = serde_json::from_str(&last_error(&argument)).unwrap();
        assert_eq!(json["error_code"], ErrorCode::InvalidArgument.number());
        assert_eq!(json["error_name"], "INVALID_ARGUMENT");
        assert_eq!(json["message_ru"], "недопустимый аргумент: плохо");
    }

    #[test]
    fn code_tables_are_the_cores() {
        let names: Vec<String> = serde_json::from_str(&code_table_names()).unwrap();
        assert!(names.iter().any(|n| n == "measure"));
        let measure: Value = serde_json::from_str(&code_table(codes::table("measure").unwrap())).unwrap();
        assert_eq!(measure["name"], "measure");
        assert!(measure["entries"].as_array().unwrap().iter().any(|e| e["description_ru"] == "Килограмм"));
    }
}
