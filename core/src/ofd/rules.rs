//! The rules of the registration API that span fields: what §2.5.1
//! requires before documents can be prepared (depending on the company
//! type), the purpose's reasons, the secondary request's fiscal data, the
//! registration number's CRC, and partner registration (appendix 1).

use crate::catalog::{self, Rule};
use crate::codes::{ApplicationPurpose, CompanyType};
use crate::context::Context;
use crate::rules::{check_kkt_registration_number, inn_error, ogrn_check, OgrnKind};

use super::application::{ApplicationRequest, ApplicationUpdate, CompanyDetails, KktDetails};
use super::partner::PartnerRegistration;
use super::ApplicationCheck;

/// A field §2.5.1 requires: its path from the request root and whether it
/// is there.
struct Needed {
    path: &'static [&'static str],
    present: bool,
}

/// Present; an empty value is the field's own check's business.
fn is_set(value: &Option<String>) -> bool {
    value.is_some()
}

/// §2.5.1, in its order, for the company type given (KPP for legal
/// entities only, the director's names for entrepreneurs only).
fn needed_before_documents(company: Option<&CompanyDetails>, kkt: Option<&KktDetails>) -> Vec<Needed> {
    let company_type = company.and_then(|c| c.company_type);
    let c = |f: fn(&CompanyDetails) -> bool| company.is_some_and(f);
    let k = |f: fn(&KktDetails) -> bool| kkt.is_some_and(f);
    let mut needed = vec![
        Needed { path: &["CompanyDetails", "CompanyType"], present: company_type.is_some() },
        Needed { path: &["CompanyDetails", "FnsBranchCode"], present: c(|c| is_set(&c.fns_branch_code)) },
        Needed { path: &["CompanyDetails", "Inn"], present: c(|c| is_set(&c.inn)) },
    ];
    if company_type == Some(CompanyType::LegalEntity) {
        needed.push(Needed { path: &["CompanyDetails", "Kpp"], present: c(|c| is_set(&c.kpp)) });
    }
    needed.extend([
        Needed { path: &["CompanyDetails", "CompanyName"], present: c(|c| is_set(&c.company_name)) },
        Needed { path: &["CompanyDetails", "Ogrn"], present: c(|c| is_set(&c.ogrn)) },
        Needed {
            path: &["CompanyDetails", "LegalAddress", "RegionCode"],
            present: c(|c| c.legal_address.as_ref().is_some_and(|a| is_set(&a.region_code))),
        },
        Needed {
            path: &["CompanyDetails", "Signatory", "Email"],
            present: c(|c| c.signatory.as_ref().is_some_and(|s| is_set(&s.email))),
        },
        Needed {
            path: &["CompanyDetails", "Signatory", "FirstName"],
            present: c(|c| c.signatory.as_ref().is_some_and(|s| is_set(&s.first_name))),
        },
        Needed {
            path: &["CompanyDetails", "Signatory", "LastName"],
            present: c(|c| c.signatory.as_ref().is_some_and(|s| is_set(&s.last_name))),
        },
        Needed {
            path: &["CompanyDetails", "Signatory", "MiddleName"],
            present: c(|c| c.signatory.as_ref().is_some_and(|s| is_set(&s.middle_name))),
        },
        Needed {
            path: &["CompanyDetails", "Signatory", "Phone"],
            present: c(|c| c.signatory.as_ref().is_some_and(|s| is_set(&s.phone))),
        },
        Needed {
            path: &["CompanyDetails", "Signatory", "Position"],
            present: c(|c| c.signatory.as_ref().is_some_and(|s| is_set(&s.position))),
        },
    ]);
    if company_type == Some(CompanyType::PrivateEnterpreneur) {
        needed.extend([
            Needed {
                path: &["CompanyDetails", "Director", "FirstName"],
                present: c(|c| c.director.as_ref().is_some_and(|d| is_set(&d.first_name))),
            },
            Needed {
                path: &["CompanyDetails", "Director", "MiddleName"],
                present: c(|c| c.director.as_ref().is_some_and(|d| is_set(&d.middle_name))),
            },
            Needed {
                path: &["CompanyDetails", "Director", "LastName"],
                present: c(|c| c.director.as_ref().is_some_and(|d| is_set(&d.last_name))),
            },
        ]);
    }
    needed.extend([
        Needed { path: &["KktDetails", "FnName"], present: k(|k| is_set(&k.fn_name)) },
        Needed { path: &["KktDetails", "FnNumber"], present: k(|k| is_set(&k.fn_number)) },
        Needed { path: &["KktDetails", "Model"], present: k(|k| is_set(&k.model)) },
        Needed { path: &["KktDetails", "SerialNumber"], present: k(|k| is_set(&k.serial_number)) },
        Needed { path: &["KktDetails", "FnsBranchCode"], present: k(|k| is_set(&k.fns_branch_code)) },
        Needed {
            path: &["KktDetails", "InstallmentAddress", "RegionCode"],
            present: k(|k| k.installment_address.as_ref().is_some_and(|a| is_set(&a.region_code))),
        },
        Needed {
            path: &["KktDetails", "InstallmentAddress", "FiasCode"],
            present: k(|k| k.installment_address.as_ref().is_some_and(|a| is_set(&a.fias_code))),
        },
        Needed {
            path: &["KktDetails", "InstallmentPlace"],
            present: k(|k| k.installment_place.as_ref().is_some_and(|p| is_set(&p.name) || is_set(&p.fias_code))),
        },
    ]);
    needed
}

/// Runs `f` at `path` below the current path.
fn at_path(cx: &mut Context, path: &[&'static str], f: impl FnOnce(&mut Context)) {
    for key in path {
        cx.push_key(key);
    }
    f(cx);
    for _ in path {
        cx.pop();
    }
}

fn check_kind(cx: &Context) -> ApplicationCheck {
    cx.facts.application_check.unwrap_or(ApplicationCheck::Draft)
}

pub(crate) fn application_rules(app: &ApplicationRequest, cx: &mut Context) {
    let check = check_kind(cx);
    // §2.5.1: errors when documents are to be prepared now, warnings on a draft.
    let rule: &'static Rule = if check == ApplicationCheck::Draft {
        catalog::DOCUMENTS_FIELD_PENDING
    } else {
        catalog::DOCUMENTS_FIELD_MISSING
    };
    // Every field here is optional in the model: one that could not be read
    // is absent, and its path is tainted, so nothing is reported twice.
    for needed in needed_before_documents(app.company_details.as_ref(), app.kkt_details.as_ref()) {
        if !needed.present {
            at_path(cx, needed.path, |cx| {
                cx.violate(
                    rule,
                    "is required before documents can be prepared (§2.5.1)",
                    "обязательно для подготовки документов (§2.5.1)",
                )
            });
        }
    }
    purpose_reasons(app, cx);
    if check == ApplicationCheck::Secondary {
        secondary_request_data(app.kkt_details.as_ref(), cx);
    }
    if let Some(company) = &app.company_details {
        cx.at("CompanyDetails", |cx| company_identity(company, cx));
    }
    registration_number(app, cx);
}

pub(crate) fn update_rules(update: &ApplicationUpdate, cx: &mut Context) {
    if let Some(company) = &update.company_details {
        cx.at("companyDetails", |cx| company_identity(company, cx));
    }
    if check_kind(cx) == ApplicationCheck::Secondary {
        secondary_request_data(update.kkt_details.as_ref(), cx);
    }
}

/// A reregistration needs a reason, an unregistration too (table 1); a
/// reason given for another purpose is ignored by the server.
fn purpose_reasons(app: &ApplicationRequest, cx: &mut Context) {
    if !cx.is_clean("purpose") || !cx.is_clean("KktDetails") {
        return;
    }
    let kkt = app.kkt_details.as_ref();
    let rereg = kkt.and_then(|k| k.reregistration_reasons.as_ref()).is_some_and(|r| r.any());
    let unreg = kkt.and_then(|k| k.unregistration_reasons.as_ref()).is_some_and(|r| r.any());
    let (missing, stray) = match app.purpose {
        ApplicationPurpose::Reregistration => {
            ((!rereg).then_some("ReregistrationReasons"), unreg.then_some("UnregistrationReasons"))
        }
        ApplicationPurpose::Unregistration => {
            ((!unreg).then_some("UnregistrationReasons"), rereg.then_some("ReregistrationReasons"))
        }
        ApplicationPurpose::InitialRegistration => {
            (None, if rereg { Some("ReregistrationReasons") } else { unreg.then_some("UnregistrationReasons") })
        }
    };
    if let Some(field) = missing {
        at_path(cx, &["KktDetails", field], |cx| {
            cx.violate(
                catalog::PURPOSE_REASON_REQUIRED,
                format!("must give at least one reason set to true for the purpose {}", app.purpose),
                format!("должно содержать хотя бы одну причину со значением true для цели {}", app.purpose),
            )
        });
    }
    if let Some(field) = stray {
        at_path(cx, &["KktDetails", field], |cx| {
            cx.violate(
                catalog::PURPOSE_REASON_IGNORED,
                format!("does not apply to the purpose {} and is ignored", app.purpose),
                format!("не относится к цели {} и не учитывается", app.purpose),
            )
        });
    }
}

/// The secondary request of the finalization stage carries the
/// registration report's date and time, number and fiscal sign (§1, figure 1).
fn secondary_request_data(kkt: Option<&KktDetails>, cx: &mut Context) {
    let data = kkt.and_then(|k| k.fiscal_document_data.as_ref());
    let fields: [(&'static str, bool); 3] = [
        ("DateTime", data.is_some_and(|d| d.date_time.is_some())),
        ("DocumentNumber", data.is_some_and(|d| is_set(&d.document_number))),
        ("Signature", data.is_some_and(|d| is_set(&d.signature))),
    ];
    let kkt_key = if cx.facts.application_update { "kktDetails" } else { "KktDetails" };
    for (field, present) in fields {
        if !present {
            at_path(cx, &[kkt_key, "FiscalDocumentData", field], |cx| {
                cx.required_because(
                    catalog::SECONDARY_FISCAL_DATA_REQUIRED,
                    "for the secondary request: the registration report's data (§1, figure 1)",
                    "для вторичного запроса: данные отчёта о регистрации (§1, рис. 1)",
                )
            });
        }
    }
}

/// The INN's and OGRN's length follow the company type; an entrepreneur
/// has no KPP (§2.5.1).
fn company_identity(company: &CompanyDetails, cx: &mut Context) {
    let Some(company_type) = company.company_type else { return };
    let legal = company_type == CompanyType::LegalEntity;
    if let Some(inn) = &company.inn {
        let wrong_length = inn.len() != if legal { 10 } else { 12 };
        if wrong_length && inn_error(inn, crate::rules::InnKind::Any).is_none() {
            cx.at("Inn", |cx| {
                if legal {
                    cx.bad_format(
                        catalog::COMPANY_TYPE_INN_LENGTH,
                        "an INN of 10 digits for a legal entity",
                        "ИНН из 10 цифр для юридического лица",
                    )
                } else {
                    cx.bad_format(
                        catalog::COMPANY_TYPE_INN_LENGTH,
                        "an INN of 12 digits for an entrepreneur",
                        "ИНН из 12 цифр для предпринимателя",
                    )
                }
            });
        }
    }
    if let Some(ogrn) = &company.ogrn {
        let kind = if legal { OgrnKind::Legal } else { OgrnKind::Entrepreneur };
        if ogrn_check(ogrn, OgrnKind::Any).is_ok() && ogrn_check(ogrn, kind).is_err() {
            cx.at("Ogrn", |cx| ogrn_kind_mismatch(legal, cx));
        }
    }
    if !legal && company.kpp.is_some() {
        cx.at("Kpp", |cx| {
            cx.violate(
                catalog::ENTREPRENEUR_KPP,
                "is for legal entities only (§2.5.1); an entrepreneur has none",
                "указывается только для юридических лиц (§2.5.1); у предпринимателя КПП нет",
            )
        });
    }
}

/// A registration number given with the INN and serial number must carry
/// their CRC in its last 6 digits.
fn registration_number(app: &ApplicationRequest, cx: &mut Context) {
    let (Some(kkt), Some(company)) = (&app.kkt_details, &app.company_details) else { return };
    let (Some(reg), Some(inn), Some(serial)) = (&kkt.reg_number, &company.inn, &kkt.serial_number) else { return };
    if !cx.is_clean("KktDetails") || !cx.is_clean("CompanyDetails") {
        return;
    }
    if let Ok(false) = check_kkt_registration_number(reg, inn, serial) {
        at_path(cx, &["KktDetails", "RegNumber"], |cx| {
            cx.violate(
                catalog::REG_NUMBER_CHECKSUM,
                format!("{reg} does not match INN {inn} and serial number {serial}: its last 6 digits are their CRC"),
                format!("{reg} не соответствует ИНН {inn} и заводскому номеру {serial}: последние 6 цифр — их CRC"),
            )
        });
    }
}

fn ogrn_kind_mismatch(legal: bool, cx: &mut Context) {
    if legal {
        cx.bad_format(
            catalog::COMPANY_TYPE_OGRN_LENGTH,
            "an OGRN of 13 digits for a legal entity",
            "ОГРН из 13 цифр для юридического лица",
        )
    } else {
        cx.bad_format(
            catalog::COMPANY_TYPE_OGRN_LENGTH,
            "an OGRNIP of 15 digits for an entrepreneur",
            "ОГРНИП из 15 цифр для предпринимателя",
        )
    }
}

/// Appendix 1: the email and INN identify the cabinet and the organisation
/// in every registration scenario; table П1.1 marks nothing as required,
/// so the organisation's other details are warnings when absent. The OGRN
/// and KPP follow the INN's kind.
pub(crate) fn partner_rules(p: &PartnerRegistration, cx: &mut Context) {
    for (field, present) in [("email", p.email.is_some()), ("inn", p.inn.is_some())] {
        if !present && cx.is_clean(field) {
            at_path(cx, &[field], |cx| {
                cx.required_because(
                    catalog::PARTNER_IDENTITY_REQUIRED,
                    "to register with a partner: it identifies the client in every scenario of appendix 1",
                    "для регистрации через партнёра: по нему клиент определяется во всех сценариях приложения 1",
                )
            });
        }
    }
    let legal = match p.inn.as_deref().map(str::len) {
        Some(10) => Some(true),
        Some(12) => Some(false),
        _ => None,
    };
    let mut recommended: Vec<&'static [&'static str]> = Vec::new();
    for (field, present) in [
        (&["Name"][..], p.name.is_some()),
        (&["ogrn"][..], p.ogrn.is_some()),
        (&["okved"][..], p.okved.is_some()),
        (&["legalAddress"][..], p.legal_address.is_some()),
        (&["taxPayer"][..], p.tax_payer.is_some()),
        (&["phoneNumber"][..], p.phone_number.is_some()),
        (&["agreement"][..], p.agreement.is_some()),
    ] {
        if !present {
            recommended.push(field);
        }
    }
    if let Some(legal) = legal.filter(|_| cx.is_clean("inn")) {
        if legal && p.kpp.is_none() {
            recommended.push(&["kpp"]);
        }
        if !legal && p.kpp.is_some() {
            cx.at("kpp", |cx| {
                cx.violate(
                    catalog::ENTREPRENEUR_KPP,
                    "is for legal entities only; an entrepreneur (an INN of 12 digits) has none",
                    "указывается только для юридических лиц; у предпринимателя (ИНН из 12 цифр) КПП нет",
                )
            });
        }
        let kind = if legal { OgrnKind::Legal } else { OgrnKind::Entrepreneur };
        if let Some(ogrn) = &p.ogrn {
            if cx.is_clean("ogrn") && ogrn_check(ogrn, OgrnKind::Any).is_ok() && ogrn_check(ogrn, kind).is_err() {
                cx.at("ogrn", |cx| ogrn_kind_mismatch(legal, cx));
            }
        }
    }
    if let (Some(a), true) = (&p.legal_address, cx.is_clean("legalAddress")) {
        for (field, present) in [
            ("regionCode", is_set(&a.region_code)),
            ("zipCode", is_set(&a.zip_code)),
            ("street", is_set(&a.street)),
            ("building", is_set(&a.building)),
        ] {
            if !present {
                recommended.push(match field {
                    "regionCode" => &["legalAddress", "regionCode"],
                    "zipCode" => &["legalAddress", "zipCode"],
                    "street" => &["legalAddress", "street"],
                    _ => &["legalAddress", "building"],
                });
            }
        }
        if !is_set(&a.city) && !is_set(&a.settlement) {
            recommended.push(&["legalAddress", "city"]);
        }
    }
    if let (Some(t), true) = (&p.tax_payer, cx.is_clean("taxPayer")) {
        if !is_set(&t.last_name) {
            recommended.push(&["taxPayer", "lastName"]);
        }
        if !is_set(&t.first_name) {
            recommended.push(&["taxPayer", "firstName"]);
        }
    }
    for path in recommended {
        at_path(cx, path, |cx| {
            cx.violate(
                catalog::PARTNER_FIELD_RECOMMENDED,
                "is not given: table П1.1 does not require it, but OFD.ru needs the organisation's details to register it and may answer ValidationError",
                "не передано: табл. П1.1 его не требует, но OFD.ru нужны сведения об организации для регистрации, и он может ответить ValidationError",
            )
        });
    }
}
