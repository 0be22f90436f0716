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
    /// The organisation's legal address (table П1.1 `legalAddress`).
    pub legal_address: Option<PartnerAddress>,
    /// The organisation's physical address (table П1.1 `actualAddress`).
    pub actual_address: Option<PartnerAddress>,
    /// The taxpayer's details (table П1.1 `taxPayer`).
    pub tax_payer: Option<TaxPayer>,
    /// The contact phone number (table П1.1 `phoneNumber`).
    #[json(check = Phone)]
    pub phone_number: Option<String>,
    /// The signed agreement, base64.
    #[json(check = Base64)]
    pub agreement: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// An address in appendix 1's form.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "camelCase")]
pub struct PartnerAddress {
    /// The region's code (table П1.1 `regionCode`).
    #[json(check = Digits { min: 2, max: 2, rule: catalog::REGION_CODE_FORMAT })]
    pub region_code: Option<String>,
    /// The region's name (table П1.1 `region`).
    pub region: Option<String>,
    /// 6 digits.
    #[json(check = Digits { min: 6, max: 6, rule: catalog::POSTAL_CODE_FORMAT })]
    pub zip_code: Option<String>,
    /// The city (table П1.1 `city`).
    #[json(check = NOT_EMPTY)]
    pub city: Option<String>,
    /// The locality (table П1.1 `settlement`).
    #[json(check = NOT_EMPTY)]
    pub settlement: Option<String>,
    /// The street (table П1.1 `street`).
    #[json(check = NOT_EMPTY)]
    pub street: Option<String>,
    /// The house number (table П1.1 `building`).
    #[json(check = NOT_EMPTY)]
    pub building: Option<String>,
    /// The block of the house (table П1.1 `housing`).
    pub housing: Option<String>,
    /// The flat or office (table П1.1 `apartment`).
    pub apartment: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The person responsible (table П1.1 `taxPayer`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "camelCase")]
pub struct TaxPayer {
    /// The responsible person's last name (table П1.1 `lastName`).
    #[json(check = NOT_EMPTY)]
    pub last_name: Option<String>,
    /// The responsible person's first name (table П1.1 `firstName`).
    #[json(check = NOT_EMPTY)]
    pub first_name: Option<String>,
    /// The responsible person's patronymic (table П1.1 `secondName`).
    pub second_name: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The answer of appendix 1: `Success`, and either `data` or
/// `errorText`/`errorValue`.
#[derive(Clone, Debug, PartialEq, Model)]
pub struct PartnerResponse {
    /// The registration's result, when it succeeded (appendix 1 `data`).
    #[json(alias = "Data")]
    pub data: Option<PartnerData>,
    /// Whether the request was processed without errors (appendix 1 `Success`).
    #[json(rename = "Success", alias = "success")]
    pub success: Option<bool>,
    /// The error's description (appendix 1 `errorText`).
    #[json(rename = "errorText", alias = "ErrorText")]
    pub error_text: Option<String>,
    /// The error's designation, such as `AccessDenied` (appendix 1 `errorValue`).
    #[json(rename = "errorValue", alias = "ErrorValue")]
    pub error_value: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// What a successful registration returns: the agreement's identifier.
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct PartnerData {
    /// The agreement's identifier.
    pub agreement: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}
