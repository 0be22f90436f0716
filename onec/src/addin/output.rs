//! The JSON texts the add-in hands to 1C that are not the client's results
//! (which `ofdkit_client::output` writes, in [`super::client`]). Each is
//! the core's one form (`ofdkit::output`: violations, reports,
//! applications, failures); the add-in only adds the Russian message to a
//! failure, and lists the code tables as the core serialises them.

use ofdkit::codes::{self, CodeTable};
use ofdkit::ofd::Application;
use ofdkit::output as core;
use ofdkit::protocol::ReportOutcome;
use ofdkit::Violations;
use serde_json::{json, Map, Value};

use super::errors::{Detail, ErrorReport};

/// `[{path, code, rule, severity, message, message_ru}]`.
pub fn violations(violations: &Violations) -> String {
    core::violations(violations).to_string()
}

/// The core's form of a failure (`{error_code, error_name, message}` and
/// `violations`, `api`, `line` and `column` as they apply), with
/// `message_ru`; a transport failure adds `may_have_arrived` and
/// `attempts`, an unknown outcome `may_have_arrived`, `external_id`,
/// `sends` and `cause` (as the C library's details do).
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
        Detail::Transport { may_have_arrived, attempts } => {
            error.insert("may_have_arrived".to_owned(), json!(may_have_arrived));
            error.insert("attempts".to_owned(), json!(attempts));
        }
        Detail::OutcomeUnknown { external_id, sends, cause } => {
            error.insert("may_have_arrived".to_owned(), json!(true));
            error.insert("external_id".to_owned(), json!(external_id));
            error.insert("sends".to_owned(), json!(sends));
            error.insert("cause".to_owned(), json!(cause));
        }
        Detail::None | Detail::Core(_) => {}
    }
    Value::Object(error).to_string()
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
