//! The KKT registration API: applications, their updates, document
//! signatures and partner registrations, each checked by the core.

use js_sys::Array;
use ofdkit::ofd::{self, ApplicationCheck, SignRequest};
use wasm_bindgen::prelude::*;

use crate::convert::with_text;
use crate::errors::{to_js_violations, Fail};

fn check(value: Option<String>) -> Result<ApplicationCheck, Fail> {
    match value.as_deref() {
        None | Some("draft") => Ok(ApplicationCheck::Draft),
        Some("complete") => Ok(ApplicationCheck::Complete),
        Some("secondary") => Ok(ApplicationCheck::Secondary),
        Some(other) => Err(Fail::argument(format!("check {other:?} is not one of draft, complete, secondary"))),
    }
}

/// Every violation of an application (`POST api/kkt/application`). `check`
/// is `draft` (default: what §2.5.1 still needs comes as warnings),
/// `complete` (before prepareDocuments) or `secondary`.
#[wasm_bindgen(js_name = validateApplication)]
pub fn validate_application(input: &JsValue, check: Option<String>) -> Result<Array, JsValue> {
    let check = self::check(check)?;
    Ok(with_text(input, |json| ofd::validate_application_json(json, check))?
        .map(|v| to_js_violations(&v))
        .map_err(Fail::from)?)
}

/// Every violation of an application update (`PUT api/kkt/application/{id}`).
#[wasm_bindgen(js_name = validateApplicationUpdate)]
pub fn validate_application_update(input: &JsValue, check: Option<String>) -> Result<Array, JsValue> {
    let check = self::check(check)?;
    Ok(with_text(input, |json| ofd::validate_update_json(json, check))?
        .map(|v| to_js_violations(&v))
        .map_err(Fail::from)?)
}

/// Every violation of a partner's client registration (appendix 1).
#[wasm_bindgen(js_name = validatePartnerRegistration)]
pub fn validate_partner_registration(input: &JsValue) -> Result<Array, JsValue> {
    Ok(with_text(input, |json| ofd::validate_partner_registration_json(json))?
        .map(|v| to_js_violations(&v))
        .map_err(Fail::from)?)
}

/// Every violation of a document signature (`POST api/kkt/application/{id}/sign`).
#[wasm_bindgen(js_name = validateSignRequest)]
pub fn validate_sign_request(input: &JsValue) -> Result<Array, JsValue> {
    let checked = with_text(input, |json| ofd::check_request_json::<SignRequest>(json, ApplicationCheck::Draft))?;
    Ok(to_js_violations(&checked.map_err(Fail::from)?.1))
}
