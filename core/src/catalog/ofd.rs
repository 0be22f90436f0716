//! Rules of the OFD.ru KKT registration API (ofd-kkt-registration-api.ru.txt):
//! identifiers of Russia's registers, what §2.5.1 needs before documents,
//! the purpose's reasons, the registration number, and partner
//! registration (appendix 1). The spec types almost every field as
//! "строка"; the formats checked here are facts of the registers the values
//! come from, each named.

use super::rules;

rules! { REGISTRATION_RULES:
    /// KPP syntax.
    KPP_FORMAT {
        id: "kpp_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["CompanyDetails.Kpp", "kpp (partner registration)"],
        checks: "A KPP is 9 characters: 4 digits (the tax office), 2 digits or capital Latin letters (the reason), 3 digits.",
        source: "Приказ ФНС от 29.06.2012 № ММВ-7-6/435@ (the KPP's structure NNNNPPXXX).",
    }
    /// OGRN and OGRNIP syntax.
    OGRN_FORMAT {
        id: "ogrn_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["CompanyDetails.Ogrn", "ogrn (partner registration)"],
        checks: "An OGRN is 13 digits, an OGRNIP 15.",
        source: "Постановление Правительства РФ от 19.06.2002 № 438 (OGRN, ЕГРЮЛ) and от 16.10.2003 № 630 (OGRNIP, ЕГРИП).",
    }
    /// OGRN check digit.
    OGRN_CHECKSUM {
        id: "ogrn_checksum",
        api: Registration,
        code: OgrnChecksum,
        severity: Error,
        fields: ["the fields of ogrn_format"],
        checks: "An OGRN's last digit is its first 12 digits mod 11 mod 10; an OGRNIP's, its first 14 mod 13 mod 10.",
        source: "The same registers' rules (ЕГРЮЛ, ЕГРИП): a number that fails its check digit was never issued.",
    }
    /// An OGRN of zeros.
    OGRN_ALL_ZEROS {
        id: "ogrn_all_zeros",
        api: Registration,
        code: OgrnChecksum,
        severity: Error,
        fields: ["the fields of ogrn_format"],
        checks: "An OGRN is not all zeros (it passes the check digit but is never issued).",
        source: "ЕГРЮЛ and ЕГРИП: the first digit is the record's kind (1, 5 for an OGRN, 3 for an OGRNIP), never 0.",
    }
    /// OKVED syntax.
    OKVED_FORMAT {
        id: "okved_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["okved (partner registration)"],
        checks: "An OKVED code is 2 digits, then up to two groups of a dot and 1 or 2 digits (47, 47.9, 47.91, 47.91.1).",
        source: "ОК 029-2014 (КДЕС Ред. 2), the classifier appendix 1's okved names: its codes have this form.",
    }
    /// The FIAS object's identifier.
    FIAS_CODE_FORMAT {
        id: "fias_code_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.InstallmentAddress.FiasCode", "KktDetails.InstallmentPlace.FiasCode", "CompanyDetails.LegalAddress.FiasCode"],
        checks: "A FIAS code is a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
        source: "Registration spec table 1: «идентификатор объекта в ФИАС»; the address register FIAS/ГАР (Федеральный закон от 28.12.2013 № 443-ФЗ) identifies every address object by a GUID.",
    }
    /// The agreement's identifier.
    OFD_AGREEMENT_ID_FORMAT {
        id: "ofd_agreement_id_format",
        api: Registration,
        code: BadFormat,
        severity: Warning,
        fields: ["ofdAgreementId"],
        checks: "The personal cabinet's identifier looks like the GUIDs of the spec's examples.",
        source: "Registration spec table 1 gives ofdAgreementId as \"строка\"; only its examples show GUIDs.",
    }
    /// The fiscal drive's number.
    FN_NUMBER_FORMAT {
        id: "fn_number_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.FnNumber"],
        checks: "A fiscal drive's number is 16 digits.",
        source: "FFD tag 1041 «номер ФН»: 16 digits (приказ ФНС № ЕД-7-20/662@); every fiscal drive in the FNS register has one.",
    }
    /// The tax office's code.
    FNS_BRANCH_CODE_FORMAT {
        id: "fns_branch_code_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.FnsBranchCode", "CompanyDetails.FnsBranchCode"],
        checks: "A tax office's code is 4 digits.",
        source: "The FNS classifier of tax offices (СОУН): 4-digit codes, the same digits that open an INN or KPP (приказ ФНС № ММВ-7-6/435@).",
    }
    /// A postal index.
    POSTAL_CODE_FORMAT {
        id: "postal_code_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.InstallmentAddress.PostalCode", "CompanyDetails.LegalAddress.PostalCode", "legalAddress.zipCode", "actualAddress.zipCode"],
        checks: "A postal index is 6 digits.",
        source: "Every Russian postal index has 6 digits (Почта России's index register); appendix 1's zipCode and table 1's PostalCode are these indexes.",
    }
    /// A region's code.
    REGION_CODE_FORMAT {
        id: "region_code_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.InstallmentAddress.RegionCode", "CompanyDetails.LegalAddress.RegionCode", "legalAddress.regionCode", "actualAddress.regionCode"],
        checks: "A region's code is 2 digits.",
        source: "The codes of the subjects of the Russian Federation in the FNS's address formats and FIAS: 2 digits (01–99).",
    }
    /// The registration report's number.
    FISCAL_DOCUMENT_NUMBER_FORMAT {
        id: "fiscal_document_number_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.FiscalDocumentData.DocumentNumber"],
        checks: "The registration report's fiscal document number is 1 to 10 digits.",
        source: "FFD tag 1040 «номер ФД»: an unsigned 32-bit number, at most 10 digits; registration spec table 1 gives it as a string.",
    }
    /// base64 where the spec says base64.
    BASE64_FORMAT {
        id: "base64_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["signature (sign request)", "agreement (partner registration)"],
        checks: "A signature or agreement is standard base64 with its padding.",
        source: "Registration spec table 7: «Подпись в формате BASE-64»; appendix 1's request template: \"agreement\": \"base64\".",
    }
    /// The registration number's syntax.
    REG_NUMBER_FORMAT {
        id: "reg_number_format",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["KktDetails.RegNumber"],
        checks: "A KKT registration number is 16 digits: the FNS's 10-digit running number and a 6-digit CRC.",
        source: "FFD tag 1037 «регистрационный номер ККТ»; the FNS assigns 16 digits, the last 6 a CRC (see reg_number_checksum).",
    }
    /// The registration number's CRC.
    REG_NUMBER_CHECKSUM {
        id: "reg_number_checksum",
        api: Registration,
        code: RegNumberChecksum,
        severity: Error,
        fields: ["KktDetails.RegNumber"],
        checks: "A KKT registration number's last 6 digits are the CRC-16/CCITT-FALSE of its first 10 digits, the INN and the serial number.",
        source: "The FNS's rule for KKT registration numbers (the number on the KKT registration card); a number that fails it was not issued for this INN and serial number.",
    }
    /// The INN's length and the company type.
    COMPANY_TYPE_INN_LENGTH {
        id: "company_type_inn_length",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["CompanyDetails.Inn"],
        checks: "A legal entity's INN has 10 digits, an entrepreneur's 12.",
        source: "Приказ ФНС № ММВ-7-6/435@: organisations get 10-digit INNs, natural persons (entrepreneurs too) 12-digit ones; registration spec §2.5.1, CompanyType.",
    }
    /// The OGRN's length and the company type.
    COMPANY_TYPE_OGRN_LENGTH {
        id: "company_type_ogrn_length",
        api: Registration,
        code: BadFormat,
        severity: Error,
        fields: ["CompanyDetails.Ogrn", "ogrn (partner registration)"],
        checks: "A legal entity has a 13-digit OGRN, an entrepreneur a 15-digit OGRNIP (in partner registration the kind follows the INN's length).",
        source: "Постановления Правительства РФ № 438 (ЕГРЮЛ) and № 630 (ЕГРИП).",
    }
    /// An entrepreneur's KPP.
    ENTREPRENEUR_KPP {
        id: "entrepreneur_kpp",
        api: Registration,
        code: NotAllowed,
        severity: Warning,
        fields: ["CompanyDetails.Kpp", "kpp (partner registration)"],
        checks: "An entrepreneur gives no KPP; KPPs are for organisations.",
        source: "Registration spec §2.5.1 (KPP for legal entities) and appendix 1 («КПП (если его присвоение имеет смысл при данной форме собственности)»); what the server does with one is not documented.",
    }
    /// §2.5.1 before prepareDocuments.
    DOCUMENTS_FIELD_MISSING {
        id: "documents_field_missing",
        api: Registration,
        code: Required,
        severity: Error,
        fields: ["the fields §2.5.1 lists, by company type"],
        checks: "Before documents are prepared (check complete or secondary) the application has every field §2.5.1 lists.",
        source: "Registration spec §2.5.1: without them prepareDocuments answers Missing_<Field>.",
    }
    /// §2.5.1 in a draft.
    DOCUMENTS_FIELD_PENDING {
        id: "documents_field_pending",
        api: Registration,
        code: Required,
        severity: Warning,
        fields: ["the fields §2.5.1 lists, by company type"],
        checks: "A draft application says which of the fields §2.5.1 lists are still missing.",
        source: "Registration spec §2.2: an application may be completed by updates before documents are prepared.",
    }
    /// A reason for re- and unregistration.
    PURPOSE_REASON_REQUIRED {
        id: "purpose_reason_required",
        api: Registration,
        code: Required,
        severity: Error,
        fields: ["KktDetails.ReregistrationReasons", "KktDetails.UnregistrationReasons"],
        checks: "A reregistration gives at least one reregistration reason set to true, an unregistration one unregistration reason.",
        source: "Registration spec table 1 (the reasons of each purpose); the application to the FNS states the reason of a re- or unregistration (54-FZ art. 4.2).",
    }
    /// Reasons of another purpose.
    PURPOSE_REASON_IGNORED {
        id: "purpose_reason_ignored",
        api: Registration,
        code: NotAllowed,
        severity: Warning,
        fields: ["KktDetails.ReregistrationReasons", "KktDetails.UnregistrationReasons"],
        checks: "Reasons are given only for their purpose; others are ignored.",
        source: "Registration spec table 1: each reason belongs to one purpose.",
    }
    /// The secondary request's fiscal data.
    SECONDARY_FISCAL_DATA_REQUIRED {
        id: "secondary_fiscal_data_required",
        api: Registration,
        code: Required,
        severity: Error,
        fields: ["KktDetails.FiscalDocumentData.DateTime", "KktDetails.FiscalDocumentData.DocumentNumber", "KktDetails.FiscalDocumentData.Signature"],
        checks: "The secondary request gives the registration report's date and time, number and fiscal sign.",
        source: "Registration spec §1, figure 1: the secondary request carries the registration report's data.",
    }
    /// Who registers with a partner.
    PARTNER_IDENTITY_REQUIRED {
        id: "partner_identity_required",
        api: Registration,
        code: Required,
        severity: Error,
        fields: ["email", "inn"],
        checks: "A partner registration gives the email and the INN.",
        source: "Registration spec appendix 1, «Сценарии регистрации»: the email identifies the client's cabinet and the INN the organisation; every scenario starts from both.",
        stricter: "Table П1.1 marks no field as required; without these two no scenario of appendix 1 can run.",
    }
    /// What a partner registration usually needs.
    PARTNER_FIELD_RECOMMENDED {
        id: "partner_field_recommended",
        api: Registration,
        code: Recommended,
        severity: Warning,
        fields: ["Name", "ogrn", "okved", "kpp (an organisation)", "legalAddress and its regionCode, zipCode, city or settlement, street, building", "taxPayer.lastName", "taxPayer.firstName", "phoneNumber", "agreement"],
        checks: "A partner registration gives the organisation's details table П1.1 describes; without them OFD.ru may answer ValidationError.",
        source: "Registration spec appendix 1, table П1.1, which marks no field as required.",
    }
}
