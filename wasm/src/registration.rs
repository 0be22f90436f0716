//! The KKT registration API: applications, their updates, document
//! signatures and partner registrations, each checked by the core.

use js_sys::Array;
use ofdkit::codes::Code;
use ofdkit::ofd::{self, ApplicationCheck, ApplicationState, SignRequest};
use wasm_bindgen::prelude::*;

use crate::codes::set;
use crate::convert::with_text;
use crate::errors::{to_js_violations, Fail};
use crate::receipts::strictness;

fn check(value: Option<String>) -> Result<ApplicationCheck, Fail> {
    match value {
        None => Ok(ApplicationCheck::Draft),
        Some(text) => text.parse().map_err(|e: ofdkit::ParseNameError| Fail::argument(e.to_string())),
    }
}

/// Every violation of an application (`POST api/kkt/application`). `check`
/// is `draft` (default: what §2.5.1 still needs comes as warnings),
/// `complete` (before prepareDocuments) or `secondary`.
#[wasm_bindgen(js_name = validateApplication)]
pub fn validate_application(input: &JsValue, check: Option<String>, strict: Option<bool>) -> Result<Array, JsValue> {
    let check = self::check(check)?;
    Ok(with_text(input, |json| ofd::validate_application_json(json, check))?
        .map(|v| to_js_violations(&v.with_strictness(strictness(strict))))
        .map_err(Fail::from)?)
}

/// Every violation of an application update (`PUT api/kkt/application/{id}`).
#[wasm_bindgen(js_name = validateApplicationUpdate)]
pub fn validate_application_update(
    input: &JsValue,
    check: Option<String>,
    strict: Option<bool>,
) -> Result<Array, JsValue> {
    let check = self::check(check)?;
    Ok(with_text(input, |json| ofd::validate_update_json(json, check))?
        .map(|v| to_js_violations(&v.with_strictness(strictness(strict))))
        .map_err(Fail::from)?)
}

/// Every violation of a partner's client registration (appendix 1).
#[wasm_bindgen(js_name = validatePartnerRegistration)]
pub fn validate_partner_registration(input: &JsValue, strict: Option<bool>) -> Result<Array, JsValue> {
    Ok(with_text(input, |json| ofd::validate_partner_registration_json(json))?
        .map(|v| to_js_violations(&v.with_strictness(strictness(strict))))
        .map_err(Fail::from)?)
}

/// Every violation of a document signature (`POST api/kkt/application/{id}/sign`).
#[wasm_bindgen(js_name = validateSignRequest)]
pub fn validate_sign_request(input: &JsValue, strict: Option<bool>) -> Result<Array, JsValue> {
    let checked = with_text(input, |json| ofd::check_request_json::<SignRequest>(json, ApplicationCheck::Draft))?;
    Ok(to_js_violations(&checked.map_err(Fail::from)?.1.with_strictness(strictness(strict))))
}

/// What an application's stage and status (`"Initialization"`,
/// `"AwaitingSignature"`) mean: `{stage, status, final, nextStep, advice,
/// adviceRu, allowed}`, from the core's one description of the life cycle.
#[wasm_bindgen(js_name = applicationState)]
pub fn application_state(stage: &str, status: &str) -> Result<js_sys::Object, JsValue> {
    let summary = ApplicationState::from_names(stage, status).map_err(Fail::from)?.summary();
    let out = js_sys::Object::new();
    set(&out, "stage", &JsValue::from_str(summary.stage.wire()));
    set(&out, "status", &JsValue::from_str(summary.status.wire()));
    set(&out, "final", &JsValue::from(summary.is_final));
    set(&out, "nextStep", &JsValue::from_str(summary.next_step));
    set(&out, "advice", &JsValue::from_str(summary.advice));
    set(&out, "adviceRu", &JsValue::from_str(summary.advice_ru));
    let allowed: Array = summary.allowed.iter().map(|a| JsValue::from_str(a)).collect();
    set(&out, "allowed", &allowed);
    Ok(out)
}
