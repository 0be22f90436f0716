//! The application request (§2.1, table 1), its update (§2.2, table 3)
//! and the structures both share with the answers (tables 2, 5, 6, 8).

use ofdkit_derive::Model;

use crate::catalog;
use crate::codes::{ApplicationPurpose, CompanyType};
use crate::datetime::IsoDateTime;
use crate::decode::Extra;
use crate::rules::{Base64, Digits, Email, Inn, InnKind, Kpp, Ogrn, OgrnKind, Phone, Uuid};
use crate::validate::{chars, NOT_EMPTY};

use super::place::InstallmentPlace;

/// The body of `POST api/kkt/application` (table 1). Every detail may be
/// filled later with an update (§2.2); §2.5.1 lists what must be there
/// before documents can be prepared.
#[derive(Clone, Debug, PartialEq, Model)]
#[json(rules = super::rules::application_rules)]
pub struct ApplicationRequest {
    /// The user's personal cabinet (`OfdAgreement`).
    #[json(rename = "ofdAgreementId", alias = "OfdAgreementId", check = Uuid(catalog::OFD_AGREEMENT_ID_FORMAT))]
    pub ofd_agreement_id: String,
    /// What the application is for: register, re-register or unregister the KKT (table 1 `purpose`, §2.1.4).
    #[json(rename = "purpose", alias = "Purpose")]
    pub purpose: ApplicationPurpose,
    /// The KKT to register (table 1 `KktDetails`).
    #[json(rename = "KktDetails", alias = "kktDetails")]
    pub kkt_details: Option<KktDetails>,
    /// The company the KKT is registered to (table 1 `CompanyDetails`).
    #[json(rename = "CompanyDetails", alias = "companyDetails")]
    pub company_details: Option<CompanyDetails>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The body of `PUT api/kkt/application/{id}` (table 3): the details to
/// change, in the structure of table 1. Table 3 writes `kktDetails` and
/// `companyDetails`; the table 1 spelling is read too.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rules = super::rules::update_rules)]
pub struct ApplicationUpdate {
    /// The KKT's details to change (table 3 `kktDetails`).
    #[json(rename = "kktDetails", alias = "KktDetails")]
    pub kkt_details: Option<KktDetails>,
    /// The company's details to change (table 3 `companyDetails`).
    #[json(rename = "companyDetails", alias = "CompanyDetails")]
    pub company_details: Option<CompanyDetails>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The cash register (table 1 `KktDetails.*`, tables 2 and 5).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct KktDetails {
    /// The fiscal drive's name.
    #[json(check = NOT_EMPTY)]
    pub fn_name: Option<String>,
    /// The fiscal drive's number: 16 digits (FFD tag 1041).
    #[json(check = Digits { min: 16, max: 16, rule: catalog::FN_NUMBER_FORMAT })]
    pub fn_number: Option<String>,
    /// The KKT's model (table 1 `KktDetails.Model`).
    #[json(check = NOT_EMPTY)]
    pub model: Option<String>,
    /// The KKT's serial number (at most 20 characters: the registration
    /// number's CRC pads it to 20).
    #[json(check = chars(1, 20))]
    pub serial_number: Option<String>,
    /// The code of the tax office where the KKT is installed: 4 digits.
    #[json(check = Digits { min: 4, max: 4, rule: catalog::FNS_BRANCH_CODE_FORMAT })]
    pub fns_branch_code: Option<String>,
    /// The automated device the KKT is part of, if any.
    #[json(check = chars(1, 20))]
    pub automatic_device_number: Option<String>,
    /// Where the KKT is installed (table 1 `KktDetails.InstallmentAddress.*`).
    pub installment_address: Option<Address>,
    /// The name of the place where the KKT is installed (table 1 `KktDetails.InstallmentPlace`).
    pub installment_place: Option<InstallmentPlace>,
    /// How the KKT is used (table 1 `KktDetails.UsageMode.*`).
    pub usage_mode: Option<UsageMode>,
    /// The registration report's data, for the secondary request.
    pub fiscal_document_data: Option<FiscalDocumentData>,
    /// Why the KKT is taken off the register (table 1 `KktDetails.UnregistrationReasons.*`).
    pub unregistration_reasons: Option<UnregistrationReasons>,
    /// Why the KKT is re-registered (table 1 `KktDetails.ReregistrationReasons.*`).
    pub reregistration_reasons: Option<ReregistrationReasons>,
    /// The registration number the FNS assigned (answers, table 5): 16
    /// digits whose last 6 are a CRC over the INN and serial number.
    #[json(check = Digits { min: 16, max: 16, rule: catalog::REG_NUMBER_FORMAT })]
    pub reg_number: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// An address: where the KKT is installed, or the company's legal address.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct Address {
    /// The object's identifier in FIAS: a UUID.
    #[json(check = Uuid(catalog::FIAS_CODE_FORMAT))]
    pub fias_code: Option<String>,
    /// 6 digits.
    #[json(check = Digits { min: 6, max: 6, rule: catalog::POSTAL_CODE_FORMAT })]
    pub postal_code: Option<String>,
    /// 2 digits.
    #[json(check = Digits { min: 2, max: 2, rule: catalog::REGION_CODE_FORMAT })]
    pub region_code: Option<String>,
    /// The region's name (table 1 `Region`).
    pub region: Option<String>,
    /// The locality: city, town or village (table 1 `Settlement`).
    pub settlement: Option<String>,
    /// The street (table 1 `Street`).
    pub street: Option<String>,
    /// The house number (table 1 `HouseNumber`).
    pub house_number: Option<String>,
    /// The block or structure of the house (table 1 `Building`).
    pub building: Option<String>,
    /// The office or flat (table 1 `Office`).
    pub office: Option<String>,
    /// The whole address as one line (answers, table 2).
    pub full_address: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// How the KKT is used (table 1 `KktDetails.UsageMode.*`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct UsageMode {
    /// By a bank paying agent (subagent).
    pub banking: Option<bool>,
    /// To sell excisable goods.
    pub excisable_goods: Option<bool>,
    /// As an automated system for strict reporting forms.
    pub forms_for_reports: Option<bool>,
    /// For gambling.
    pub gambling: Option<bool>,
    /// For lotteries.
    pub lottery: Option<bool>,
    /// By a paying agent (subagent).
    pub agent: Option<bool>,
    /// In an automated device for settlements.
    pub automated_device: Option<bool>,
    /// For settlements on the Internet.
    pub internet: Option<bool>,
    /// For delivery or peddling trade.
    pub mobile: Option<bool>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The registration report's fiscal data (table 1
/// `KktDetails.FiscalDocumentData.*`), needed by the secondary request.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct FiscalDocumentData {
    /// When the fiscal sign was produced (ISO).
    pub date_time: Option<IsoDateTime>,
    /// The report's fiscal document number (table 1: a string of digits).
    #[json(check = Digits { min: 1, max: 10, rule: catalog::FISCAL_DOCUMENT_NUMBER_FORMAT })]
    pub document_number: Option<String>,
    /// The fiscal sign.
    #[json(check = NOT_EMPTY)]
    pub signature: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// Why the KKT is taken off the register (table 1).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct UnregistrationReasons {
    /// The KKT was lost (table 1 `UnregistrationReasons.Lost`).
    pub lost: Option<bool>,
    /// The KKT was stolen (table 1 `UnregistrationReasons.Stolen`).
    pub stolen: Option<bool>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl UnregistrationReasons {
    /// Whether any reason is set.
    pub fn any(&self) -> bool {
        [self.lost, self.stolen].contains(&Some(true))
    }
}

/// Why the KKT is re-registered (table 1).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct ReregistrationReasons {
    /// The KKT's use in an automated device for settlements changed (table 1 `AutomatedDeviceChanged`).
    pub automated_device_changed: Option<bool>,
    /// The fiscal drive was replaced (table 1 `FnChanged`).
    pub fn_changed: Option<bool>,
    /// The installation address or place changed (table 1 `InstallmentPlaceChanged`).
    pub installment_place_changed: Option<bool>,
    /// The server's spelling `OfdChaged` (sic) is written; `OfdChanged` is read too.
    #[json(rename = "OfdChaged", alias = "OfdChanged")]
    pub ofd_changed: Option<bool>,
    /// Other reasons (table 1 `Other`).
    pub other: Option<bool>,
    /// The KKT moves from offline to online mode (table 1 `SwitchedFromOfflineToOnlineMode`).
    pub switched_from_offline_to_online_mode: Option<bool>,
    /// The KKT moves from online to offline mode (table 1 `SwitchedFromOnlineToOfflineMode`).
    pub switched_from_online_to_offline_mode: Option<bool>,
    /// The KKT user's name changed (table 1 `UserChanged`).
    pub user_changed: Option<bool>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl ReregistrationReasons {
    /// Whether any reason is set.
    pub fn any(&self) -> bool {
        [
            self.automated_device_changed,
            self.fn_changed,
            self.installment_place_changed,
            self.ofd_changed,
            self.other,
            self.switched_from_offline_to_online_mode,
            self.switched_from_online_to_offline_mode,
            self.user_changed,
        ]
        .contains(&Some(true))
    }
}

/// The company the KKT is registered to (table 1 `CompanyDetails.*`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct CompanyDetails {
    /// The form of ownership (table 1 `CompanyDetails.CompanyType`, §2.1.2).
    pub company_type: Option<CompanyType>,
    /// 10 digits for a legal entity, 12 for an entrepreneur.
    #[json(check = Inn(InnKind::Any))]
    pub inn: Option<String>,
    /// Legal entities only.
    #[json(check = Kpp)]
    pub kpp: Option<String>,
    /// OGRN (13 digits) or OGRNIP (15 digits).
    #[json(check = Ogrn(OgrnKind::Any))]
    pub ogrn: Option<String>,
    /// The company's name (table 1 `CompanyDetails.CompanyName`).
    #[json(check = NOT_EMPTY)]
    pub company_name: Option<String>,
    /// The tax office the company is registered with: 4 digits.
    #[json(check = Digits { min: 4, max: 4, rule: catalog::FNS_BRANCH_CODE_FORMAT })]
    pub fns_branch_code: Option<String>,
    /// The head: needed for an entrepreneur (§2.5.1).
    pub director: Option<Person>,
    /// The company's legal address (table 1 `CompanyDetails.LegalAddress.*`).
    pub legal_address: Option<Address>,
    /// Who signs the documents (table 1 `CompanyDetails.Signatory.*`).
    pub signatory: Option<Signatory>,
    /// When the application was created (answers, table 2).
    pub created_date: Option<IsoDateTime>,
    /// When it was last changed (answers, table 2).
    pub updated_date: Option<IsoDateTime>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// A person's names.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct Person {
    /// The first name (table 1 `Director.FirstName`).
    #[json(check = NOT_EMPTY)]
    pub first_name: Option<String>,
    /// The last name (table 1 `Director.LastName`).
    #[json(check = NOT_EMPTY)]
    pub last_name: Option<String>,
    /// The patronymic (table 1 `Director.MiddleName`).
    #[json(check = NOT_EMPTY)]
    pub middle_name: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// Who signs the application's documents.
#[derive(Clone, Debug, PartialEq, Default, Model)]
#[json(rename_all = "PascalCase")]
pub struct Signatory {
    /// The signatory's first name (table 1 `Signatory.FirstName`).
    #[json(check = NOT_EMPTY)]
    pub first_name: Option<String>,
    /// The signatory's last name (table 1 `Signatory.LastName`).
    #[json(check = NOT_EMPTY)]
    pub last_name: Option<String>,
    /// The signatory's patronymic (table 1 `Signatory.MiddleName`).
    #[json(check = NOT_EMPTY)]
    pub middle_name: Option<String>,
    /// The full name, as answers give it (table 2).
    pub name: Option<String>,
    /// The signatory's email (table 1 `Signatory.Email`).
    #[json(check = Email)]
    pub email: Option<String>,
    /// The signatory's phone number (table 1 `Signatory.Phone`).
    #[json(check = Phone)]
    pub phone: Option<String>,
    /// The signatory's position (table 1 `Signatory.Position`).
    #[json(check = NOT_EMPTY)]
    pub position: Option<String>,
    /// The document that gives the signatory their authority.
    pub reason: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The body of `POST api/kkt/application/{id}/sign` (table 7).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct SignRequest {
    /// The identifier of the document signed (table 7 `documentId`).
    #[json(rename = "documentId", alias = "DocumentId", check = NOT_EMPTY)]
    pub document_id: String,
    /// The detached signature, base64.
    #[json(check = Base64)]
    pub signature: String,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl SignRequest {
    /// A request to sign a document with a base64 signature, with no other members.
    pub fn new(document_id: impl Into<String>, signature_base64: impl Into<String>) -> Self {
        SignRequest { document_id: document_id.into(), signature: signature_base64.into(), extra: Extra::default() }
    }
}
