//! The OFD.ru KKT registration API (ofd-kkt-registration-api.ru.txt):
//! applications and their life cycle (§§1–2.7), partner registration of
//! new clients (appendix 1), their rules and the entry points that check
//! them.
//!
//! ```
//! use ofdkit::ofd::{self, ApplicationCheck};
//! let json = br#"{"ofdAgreementId": "555b55e5-a555-4e55-95d5-5fcbafd5fe55", "purpose": "ReRegistration",
//!   "KktDetails": {"FnNumber": "87100001000000"}}"#;
//! let violations = ofd::validate_application_json(json, ApplicationCheck::Draft).unwrap();
//! assert!(violations.iter().any(|v| v.path == "KktDetails.FnNumber" && v.code.as_str() == "bad_format"));
//! assert!(violations.iter().any(|v| v.path == "KktDetails.ReregistrationReasons" && v.is_error()));
//! ```

mod answer;
mod application;
mod error;
mod lifecycle;
mod partner;
mod place;
mod rules;

pub use answer::{Application, ApplicationListResponse, ApplicationResponse, Applications, Document};
pub use application::{
    Address, ApplicationRequest, ApplicationUpdate, CompanyDetails, FiscalDocumentData, KktDetails, Person,
    ReregistrationReasons, SignRequest, Signatory, UnregistrationReasons, UsageMode,
};
pub use error::OfdError;
pub use lifecycle::{
    ApplicationState, InvalidTransition, IssuedDocument, NextStep, StateSummary, Step, Transition, UserAction,
};
pub use partner::{PartnerAddress, PartnerData, PartnerRegistration, PartnerResponse, TaxPayer};
pub use place::InstallmentPlace;

use crate::context::{Context, Mode};
use crate::decode::{
    decode_document, decode_json, decode_json_in_place, decode_source_in_place, FromJson, Placeholder,
};
use crate::error::Error;
use crate::json::{Input, JsonError, Source, Value};
use crate::validate::Validate;
use crate::violation::Violations;

/// How complete a registration application must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationCheck {
    /// Being filled in: formats are checked, and what §2.5.1 still needs
    /// comes as warnings.
    Draft,
    /// About to prepare documents (§2.5): what §2.5.1 needs is an error.
    Complete,
    /// The secondary request of the finalization stage: as `Complete`, and
    /// the registration report's data is needed too.
    Secondary,
}

impl std::str::FromStr for ApplicationCheck {
    type Err = crate::ParseNameError;

    /// `draft`, `complete` or `secondary`, as the CLI and the bindings spell them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "draft" => Ok(ApplicationCheck::Draft),
            "complete" => Ok(ApplicationCheck::Complete),
            "secondary" => Ok(ApplicationCheck::Secondary),
            other => Err(crate::ParseNameError::new("check level", other, &["draft", "complete", "secondary"])),
        }
    }
}

/// Reads and checks any request of this API (a [`SignRequest`], …) given
/// as a JSON value tree.
pub fn check_request<T: FromJson + Placeholder + Validate>(
    value: &Value<'_>,
    check: ApplicationCheck,
) -> (T, Violations) {
    check_value(value, check, false)
}

/// Reads and checks any request of this API given as JSON text.
pub fn check_request_json<'a, T: FromJson + Placeholder + Validate>(
    json: impl Into<Input<'a>>,
    check: ApplicationCheck,
) -> Result<(T, Violations), JsonError> {
    check_json(json, check, false)
}

fn check_value<T: FromJson + Placeholder + Validate>(
    value: &Value<'_>,
    check: ApplicationCheck,
    update: bool,
) -> (T, Violations) {
    let (model, cx) = decode_document::<T>(value, Mode::Request);
    check_decoded(model, cx, check, update)
}

fn check_json<'a, T: FromJson + Placeholder + Validate>(
    json: impl Into<Input<'a>>,
    check: ApplicationCheck,
    update: bool,
) -> Result<(T, Violations), JsonError> {
    let (model, cx) = decode_json::<T>(json, Mode::Request)?;
    Ok(check_decoded(model, cx, check, update))
}

/// Checks a request held as a binding's own objects (see
/// [`crate::json::Source`]); the violations mean nothing if the source stopped.
pub(crate) fn validate_source<'a, T: FromJson + Placeholder + Validate>(
    source: &'a mut (dyn Source<'a> + 'a),
    check: ApplicationCheck,
    update: bool,
) -> Violations {
    decode_source_in_place::<T, _>(source, Mode::Request, |model, mut cx, _| {
        run_rules(model, check, update, &mut cx);
        cx.into_violations()
    })
}

/// [`check_json`]'s violations alone, the model checked where it was decoded.
fn validate_json<'a, T: FromJson + Placeholder + Validate>(
    json: impl Into<Input<'a>>,
    check: ApplicationCheck,
    update: bool,
) -> Result<Violations, JsonError> {
    decode_json_in_place::<T, _>(json, Mode::Request, |model, mut cx| {
        run_rules(model, check, update, &mut cx);
        cx.into_violations()
    })
}

fn check_decoded<T: Validate>(model: T, mut cx: Context, check: ApplicationCheck, update: bool) -> (T, Violations) {
    run_rules(&model, check, update, &mut cx);
    (model, cx.into_violations())
}

fn run_rules<T: Validate>(model: &T, check: ApplicationCheck, update: bool, cx: &mut Context) {
    cx.start_checking();
    cx.facts.application_check = Some(check);
    cx.facts.application_update = update;
    model.validate(cx);
}

fn checked<T: Validate>(model: &T, check: ApplicationCheck, update: bool) -> Violations {
    let mut cx = Context::new(Mode::Request);
    run_rules(model, check, update, &mut cx);
    cx.into_violations()
}

/// Checks an application (`POST api/kkt/application`, table 1) given as JSON.
pub fn validate_application_json<'a>(
    json: impl Into<Input<'a>>,
    check: ApplicationCheck,
) -> Result<Violations, JsonError> {
    validate_json::<ApplicationRequest>(json, check, false)
}

/// Checks an application given as a JSON value tree.
pub fn check_application_value(value: &Value<'_>, check: ApplicationCheck) -> (ApplicationRequest, Violations) {
    check_value(value, check, false)
}

/// Checks a typed application.
pub fn validate_application(application: &ApplicationRequest, check: ApplicationCheck) -> Violations {
    checked(application, check, false)
}

/// Checks an update (`PUT api/kkt/application/{id}`, table 3) given as JSON.
/// An update carries only what changes, so §2.5.1 is not applied; with
/// [`ApplicationCheck::Secondary`] the registration report's data is needed.
pub fn validate_update_json<'a>(json: impl Into<Input<'a>>, check: ApplicationCheck) -> Result<Violations, JsonError> {
    validate_json::<ApplicationUpdate>(json, check, true)
}

/// Checks an update given as a JSON value tree.
pub fn check_update_value(value: &Value<'_>, check: ApplicationCheck) -> (ApplicationUpdate, Violations) {
    check_value(value, check, true)
}

/// Checks a typed update.
pub fn validate_update(update: &ApplicationUpdate, check: ApplicationCheck) -> Violations {
    checked(update, check, true)
}

/// Checks a partner's client registration (appendix 1, table П1.1) given as JSON.
pub fn validate_partner_registration_json<'a>(json: impl Into<Input<'a>>) -> Result<Violations, JsonError> {
    validate_json::<PartnerRegistration>(json, ApplicationCheck::Draft, false)
}

/// Checks a partner registration given as a JSON value tree.
pub fn check_partner_registration_value(value: &Value<'_>) -> (PartnerRegistration, Violations) {
    check_value(value, ApplicationCheck::Draft, false)
}

/// Checks a typed partner registration.
pub fn validate_partner_registration(registration: &PartnerRegistration) -> Violations {
    checked(registration, ApplicationCheck::Draft, false)
}

/// Reads a request of type `T` from JSON without checking the API's rules
/// beyond what the type needs.
pub fn parse_request<'a, T: FromJson + Placeholder>(json: impl Into<Input<'a>>) -> Result<T, Error> {
    let (model, cx) = decode_json::<T>(json, Mode::Request)?;
    if cx.has_errors() {
        let errors = cx.into_violations().into_iter().filter(|v| v.is_error()).collect();
        return Err(Error::Invalid(Violations(errors)));
    }
    Ok(model)
}

/// The exact JSON the OFD.ru API expects for a request. The models'
/// writers have no failing case; should one appear, the error says so
/// rather than an empty body going out.
pub fn to_wire_json<T: serde::Serialize>(request: &T) -> Result<String, Error> {
    serde_json::to_string(request).map_err(|e| Error::Internal(format!("the request could not be written: {e}")))
}
