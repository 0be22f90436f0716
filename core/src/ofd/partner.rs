//! Registering a new client through a partner (appendix 1): the request
//! (table П1.1) and the `{data, Success, errorText, errorValue}` answer.

use ofdkit_derive::Model;

use crate::catalog;
use crate::decode::Extra;
use crate::rules::{Base64, Digits, Email, Inn, InnKind, Kpp, Ogrn, OgrnKind, Okved, Phone};
use crate::validate::NOT_EMPTY;

/// The body of `POST api/partner/v2/kkt/application` (table П1.1). The
/// table marks no field as required: the email and INN every registration
/// scenario starts from are errors when absent, the rest warnings (rules
/// `partner_identity_required`, `partner_field_recommended`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "camelCase", rules = super::rules::partner_rules)]
pub struct PartnerRegistration {
    /// The organisation's short name.
    pub nick_name: Option<String>,
    /// The organisation's full name: `Name` in the example, `name` in the table.
    #[json(rename = "Name", alias = "name", check = NOT_EMPTY)]
    pub name: Option<String>,
    /// The contact email, which identifies the client's cabinet.
    #[json(check = Email, required_by = catalog::PARTNER_IDENTITY_REQUIRED)]
    pub email: Option<String>,
    /// The client's INN, which every scenario of appendix 1 starts from.
    #[json(check = Inn(InnKind::Any), required_by = catalog::PARTNER_IDENTITY_REQUIRED)]
    pub inn: Option<String>,
    /// Legal entities only.
    #[json(check = Kpp)]
    pub kpp: Option<String>,
    /// OGRN (13 digits) or OGRNIP (15 digits).
    #[json(check = Ogrn(OgrnKind::Any))]
    pub ogrn: Option<String>,
    /// The main activity's OKVED code.
    #[json(check = Okved)]
    pub okved: Option<String>,
    pub legal_address: Option<PartnerAddress>,
    pub actual_address: Option<PartnerAddress>,
    pub tax_payer: Option<TaxPayer>,
    #[json(check = Phone)]
    pub phone_number: Option<String>,
    /// The signed agreement, base64.
    #[json(check = Base64)]
    pub agreement: Option<String>,
    #[json(flatten)]
    pub extra: Extra,
}

/// An address in appendix 1's form.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "camelCase")]
pub struct PartnerAddress {
    #[json(check = Digits { min: 2, max: 2, rule: catalog::REGION_CODE_FORMAT })]
    pub region_code: Option<String>,
    pub region: Option<String>,
    /// 6 digits.
    #[json(check = Digits { min: 6, max: 6, rule: catalog::POSTAL_CODE_FORMAT })]
    pub zip_code: Option<String>,
    #[json(check = NOT_EMPTY)]
    pub city: Option<String>,
    #[json(check = NOT_EMPTY)]
    pub settlement: Option<String>,
    #[json(check = NOT_EMPTY)]
    pub street: Option<String>,
    #[json(check = NOT_EMPTY)]
    pub building: Option<String>,
    pub housing: Option<String>,
    pub apartment: Option<String>,
    #[json(flatten)]
    pub extra: Extra,
}

/// The person responsible (table П1.1 `taxPayer`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "camelCase")]
pub struct TaxPayer {
    #[json(check = NOT_EMPTY)]
    pub last_name: Option<String>,
    #[json(check = NOT_EMPTY)]
    pub first_name: Option<String>,
    pub second_name: Option<String>,
    #[json(flatten)]
    pub extra: Extra,
}

/// The answer of appendix 1: `Success`, and either `data` or
/// `errorText`/`errorValue`.
#[derive(Clone, Debug, PartialEq, Model)]
pub struct PartnerResponse {
    #[json(alias = "Data")]
    pub data: Option<PartnerData>,
    #[json(rename = "Success", alias = "success")]
    pub success: Option<bool>,
    #[json(rename = "errorText", alias = "ErrorText")]
    pub error_text: Option<String>,
    #[json(rename = "errorValue", alias = "ErrorValue")]
    pub error_value: Option<String>,
    #[json(flatten)]
    pub extra: Extra,
}

/// What a successful registration returns: the agreement's identifier.
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct PartnerData {
    pub agreement: Option<String>,
    #[json(flatten)]
    pub extra: Extra,
}
