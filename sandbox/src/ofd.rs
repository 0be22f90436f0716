//! The OFD.ru registration API: applications driven through the core's
//! life cycle ([`ofdkit::ofd::ApplicationState`]) with their documents, and
//! partner registration of new clients. State lives in memory only.
//!
//! Choices where the spec is silent (documented in the README): a failed
//! answer is `{"Status": "Failed", "Error": "<error value>", "Message":
//! "<text>"}` with HTTP 400 (401 for a wrong `AuthToken`, 404 for an
//! unknown application); the processing steps after the last signature
//! (checked, sent to the FNS, the FNS's answer) each take `fns_step_delay`.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ofdkit::codes::{ApplicationStage, Code, DocumentKind, SignatureState};
use ofdkit::datetime::{DateTime, IsoDateTime};
use ofdkit::json::{self, Value as JsonValue};
use ofdkit::ofd::{
    self, ApplicationCheck, ApplicationRequest, ApplicationState, ApplicationUpdate, PartnerRegistration, SignRequest,
    Step, UserAction,
};
use ofdkit::rules::{is_base64, kkt_registration_number};
use ofdkit::ViolationCode;
use serde_json::{json, Value};

use crate::faults::{Endpoint, FaultKind};
use crate::http::{Reply, Request};
use crate::State;

#[derive(Debug, Default)]
pub(crate) struct OfdState {
    applications: HashMap<String, StoredApplication>,
    /// Legal entities registered through partners: (INN, KPP) → email.
    clients: HashMap<(String, String), String>,
    agreements: Vec<String>,
    counter: u64,
}

#[derive(Debug)]
struct StoredApplication {
    id: String,
    request: ApplicationRequest,
    state: ApplicationState,
    /// When the last signature arrived: processing runs from then.
    signed_at: Option<Instant>,
    /// Processing steps taken since then.
    steps_taken: u32,
    /// The FNS rejects this application, for this reason.
    rejection: Option<String>,
    status_reason: Option<String>,
    reg_number: Option<String>,
    documents: Vec<StoredDocument>,
    created: IsoDateTime,
    updated: IsoDateTime,
}

#[derive(Debug)]
struct StoredDocument {
    id: String,
    kind: DocumentKind,
    signature: SignatureState,
    content: Vec<u8>,
    file_name: String,
}

fn now_iso() -> IsoDateTime {
    let unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let t = DateTime::from_unix(unix, 3 * 3600)
        .unwrap_or_else(|| DateTime::new(2026, 1, 1, 0, 0, 0).expect("a valid date"));
    IsoDateTime::new(t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()).expect("a valid date")
}

pub(crate) fn failed(status: u16, error: &str, message: &str) -> Reply {
    Reply::json(
        status,
        json!({"Status": "Failed", "Error": error, "Message": message, "Elapsed": "00:00:00.0010000"}).to_string(),
    )
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl OfdState {
    pub(crate) fn new(agreements: &[String]) -> Self {
        OfdState { agreements: agreements.to_vec(), ..OfdState::default() }
    }

    fn id(&mut self) -> String {
        self.counter += 1;
        let n = self.counter;
        format!("{:08x}-{:04x}-4{:03x}-9{:03x}-{:012x}", 0x5fe3_c011u32 ^ n as u32, n & 0xffff, n & 0xfff, n & 0xfff, n)
    }

    /// Runs the processing steps that are due by now: one every
    /// `step_delay` after the last signature (all at once when it is zero).
    fn advance(&mut self, id: &str, step_delay: Duration) {
        let first_ten = format!("{:010}", 9_000_000 + self.counter);
        let Some(app) = self.applications.get_mut(id) else { return };
        let Some(signed_at) = app.signed_at else { return };
        let purpose = app.request.purpose;
        let due = signed_at.elapsed().as_nanos().checked_div(step_delay.as_nanos()).unwrap_or(u128::MAX);
        // ProcessingSignedDocuments → ReadyToBeSentToFns → SentToFns → the FNS's answer.
        while u128::from(app.steps_taken) < due {
            use ofdkit::codes::ApplicationStatus as S;
            let step = match app.state.status {
                S::ProcessingSignedDocuments => Step::DataChecked,
                S::ReadyToBeSentToFns => Step::SentToFns,
                S::SentToFns if app.rejection.is_some() => Step::Rejected,
                S::SentToFns => Step::FnsAccepted,
                _ => break,
            };
            let Ok(transition) = app.state.step(purpose, step) else { break };
            app.steps_taken += 1;
            if step == Step::Rejected {
                app.status_reason = app.rejection.take();
            }
            if step == Step::FnsAccepted && app.state.stage == ApplicationStage::Initialization {
                let kkt = app.request.kkt_details.as_ref();
                let inn = app.request.company_details.as_ref().and_then(|c| c.inn.clone()).unwrap_or_default();
                let serial = kkt.and_then(|k| k.serial_number.clone()).unwrap_or_default();
                app.reg_number = kkt_registration_number(&first_ten, &inn, &serial).ok();
            }
            for issued in transition.issued {
                let doc = document(app, issued.kind, issued.signature);
                app.documents.push(doc);
            }
            app.state = transition.state;
            app.updated = now_iso();
        }
        if !matches!(
            app.state.status,
            ofdkit::codes::ApplicationStatus::ProcessingSignedDocuments
                | ofdkit::codes::ApplicationStatus::ReadyToBeSentToFns
                | ofdkit::codes::ApplicationStatus::SentToFns
        ) {
            app.signed_at = None;
        }
    }
}

fn document(app: &StoredApplication, kind: DocumentKind, signature: SignatureState) -> StoredDocument {
    let n = app.documents.len() + 1;
    let id = format!("{}{:04x}", &app.id[..app.id.len() - 4], n);
    let inn = app.request.company_details.as_ref().and_then(|c| c.inn.clone()).unwrap_or_default();
    let reg = app.reg_number.clone().unwrap_or_default();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Файл ИдФайл=\"{kind}_{inn}_{id}\" ВерсФорм=\"5.00\">\n  \
         <Документ КНД=\"{}\" ИННЮЛ=\"{inn}\" РегНомерККТ=\"{reg}\">{}</Документ>\n</Файл>\n",
        kind.wire(),
        kind.description_ru()
    )
    .into_bytes();
    StoredDocument { id, kind, signature, file_name: format!("{}_{inn}_{n}.xml", kind.wire()), content }
}

fn application_json(app: &StoredApplication) -> Value {
    let mut data = serde_json::to_value(&app.request).unwrap_or_else(|_| json!({}));
    let kkt = data.get("KktDetails").cloned().unwrap_or_else(|| json!({}));
    let mut kkt = if kkt.is_object() { kkt } else { json!({}) };
    if let Some(reg) = &app.reg_number {
        kkt["RegNumber"] = json!(reg);
    }
    let mut company = data.get("CompanyDetails").cloned().filter(Value::is_object).unwrap_or_else(|| json!({}));
    company["CreatedDate"] = json!(app.created.to_string());
    company["UpdatedDate"] = json!(app.updated.to_string());
    let documents: Vec<Value> = app
        .documents
        .iter()
        .map(|d| {
            json!({
                "Id": d.id,
                "Kind": d.kind.wire(),
                "Content": base64(&ofdkit::rules::crc16_ccitt_false(&d.content).to_be_bytes()),
                "Signature": d.signature.wire(),
                "FileName": d.file_name,
                "Description": d.kind.description_ru(),
            })
        })
        .collect();
    data = json!({
        "Id": app.id,
        "CompanyDetails": company,
        "KktDetails": kkt,
        "Status": app.state.status.wire(),
        "Stage": app.state.stage.wire(),
        "Purpose": app.request.purpose.wire(),
        "Gateway": "ofdkit-sandbox",
        "OfdAgreementId": app.request.ofd_agreement_id,
        "Documents": documents,
    });
    if let Some(reason) = &app.status_reason {
        data["StatusReason"] = json!(reason);
    }
    data
}

fn success(data: Value, started: Instant) -> Reply {
    let elapsed = ofdkit::datetime::TimeSpan::new(started.elapsed());
    Reply::json(200, json!({"Status": "Success", "Data": data, "Elapsed": elapsed.to_string()}).to_string())
}

/// Checks the `AuthToken` (query or header): before the body is read, and
/// again by the handlers.
pub(crate) fn authenticate(shared: &State, request: &Request) -> Result<(), Reply> {
    let given = request.query("AuthToken").or_else(|| request.header("AuthToken"));
    if shared.settings(|c| given == Some(c.ofd_auth_token.as_str())) {
        Ok(())
    } else {
        Err(failed(401, "AccessDenied", "нет доступа: неверный AuthToken"))
    }
}

/// Appendix 1's envelope with `Success: false`.
fn partner_failure(text: &str, value: &str) -> Reply {
    Reply::json(200, json!({"data": null, "Success": false, "errorText": text, "errorValue": value}).to_string())
}

/// [`authenticate`] for partner registration, refused in its envelope.
pub(crate) fn authenticate_partner(shared: &State, request: &Request) -> Result<(), Reply> {
    authenticate(shared, request).map_err(|_| partner_failure("Нет прав доступа", "AccessDenied"))
}

/// Reads and checks a request body; done before the state is locked.
fn checked_body<T>(
    request: &Request,
    check: impl FnOnce(&JsonValue<'_>) -> (T, ofdkit::Violations),
) -> Result<T, Reply> {
    let Ok(value) = json::parse_bytes(&request.body) else {
        return Err(failed(400, "ValidationError", "тело запроса не JSON"));
    };
    let (checked, violations) = check(&value);
    match first_error(&violations) {
        Some(reply) => Err(reply),
        None => Ok(checked),
    }
}

/// The first error of a check, as the API would name it: `Missing_<Field>`
/// for a required field (§2.5.2), `ValidationError` otherwise.
fn first_error(violations: &ofdkit::Violations) -> Option<Reply> {
    let error = violations.errors().next()?;
    Some(if error.code == ViolationCode::Required {
        failed(400, &format!("Missing_{}", error.path), &error.message_ru)
    } else {
        failed(400, "ValidationError", &format!("{}: {}", error.path, error.message_ru))
    })
}

/// Merges the members of `update` into `base`, object by object.
fn merge(base: &mut JsonValue<'static>, update: &JsonValue<'_>) {
    match (base, update) {
        (JsonValue::Object(members), JsonValue::Object(changes)) => {
            for (key, value) in changes {
                match members.iter_mut().find(|(k, _)| k == key) {
                    Some((_, existing)) if value.as_object().is_some() => merge(existing, value),
                    Some((_, existing)) => *existing = value.clone().into_owned(),
                    None => members.push((key.clone().into_owned().into(), value.clone().into_owned())),
                }
            }
        }
        (base, update) => *base = update.clone().into_owned(),
    }
}

/// Routes `/api/kkt/application…` and `/api/partner/v2/kkt/application`.
/// Bodies are read and checked before the state is locked.
pub(crate) fn handle(shared: &State, request: &Request, segments: &[String]) -> Reply {
    let started = Instant::now();
    if let Err(reply) = authenticate(shared, request) {
        return reply;
    }
    let step_delay = shared.settings(|c| c.fns_step_delay);
    let method = request.method.as_str();
    match (method, segments) {
        ("POST", []) => create(shared, request, started),
        ("GET", []) => {
            let agreement = request.query("ofdAgreementId").unwrap_or_default().to_owned();
            let mut state = shared.ofd();
            let ids: Vec<String> = state
                .applications
                .values()
                .filter(|a| a.request.ofd_agreement_id == agreement)
                .map(|a| a.id.clone())
                .collect();
            let mut data = Vec::new();
            for id in ids {
                state.advance(&id, step_delay);
                data.push(application_json(&state.applications[&id]));
            }
            success(Value::Array(data), started)
        }
        (_, [id, rest @ ..]) => {
            let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
            let changes = (method == "PUT" && rest.is_empty()).then(|| {
                checked_body(request, |v| ofd::check_request::<ApplicationUpdate>(v, ApplicationCheck::Draft))
            });
            let signature = (method == "POST" && rest == ["sign"])
                .then(|| checked_body(request, |v| ofd::check_request::<SignRequest>(v, ApplicationCheck::Draft)));
            let mut state = shared.ofd();
            if !state.applications.contains_key(id.as_str()) {
                return failed(404, "ApplicationNotFound", "не найдена заявка");
            }
            state.advance(id, step_delay);
            match (method, rest.as_slice(), changes, signature) {
                ("GET", [], _, _) => success(application_json(&state.applications[id.as_str()]), started),
                ("PUT", [], Some(changes), _) => update(&mut state, id, changes, started),
                ("POST", ["prepareDocuments"], _, _) => prepare(&mut state, id, started),
                ("POST", ["sign"], _, Some(signature)) => sign(&mut state, id, signature, started),
                ("GET", ["document", doc_id, "download"], _, _) => {
                    match state.applications[id.as_str()].documents.iter().find(|d| d.id == *doc_id) {
                        Some(d) => Reply::bytes(200, "application/xml; charset=utf-8", d.content.clone()),
                        // The spec names no error for a document id the application lacks (README).
                        None => failed(404, "DocumentNotFound", "не найден документ"),
                    }
                }
                // Nor for a method it does not have (README).
                _ => failed(404, "NotFound", "нет такого метода"),
            }
        }
        _ => failed(404, "NotFound", "нет такого метода"),
    }
}

fn create(shared: &State, request: &Request, started: Instant) -> Reply {
    let Ok(value) = json::parse_bytes(&request.body) else {
        return failed(400, "ValidationError", "тело запроса не JSON");
    };
    let (application, violations) = ofd::check_application_value(&value, ApplicationCheck::Draft);
    if let Some(reply) = first_error(&violations) {
        return reply;
    }
    let mut state = shared.ofd();
    if !state.agreements.contains(&application.ofd_agreement_id) {
        return failed(400, "OfdAgreementNotFound", "не найдены данные о компании");
    }
    let rejection = shared.faults().take(Endpoint::Registration, |k| matches!(k, FaultKind::RejectApplication(_)));
    let id = state.id();
    let now = now_iso();
    let stored = StoredApplication {
        id: id.clone(),
        request: application,
        state: ApplicationState::CREATED,
        signed_at: None,
        steps_taken: 0,
        rejection: match rejection {
            Some(FaultKind::RejectApplication(reason)) => Some(reason),
            _ => None,
        },
        status_reason: None,
        reg_number: None,
        documents: Vec::new(),
        created: now,
        updated: now,
    };
    let data = application_json(&stored);
    state.applications.insert(id, stored);
    success(data, started)
}

fn update(state: &mut OfdState, id: &str, changes: Result<ApplicationUpdate, Reply>, started: Instant) -> Reply {
    let Some(app) = state.applications.get_mut(id) else {
        return failed(404, "ApplicationNotFound", "не найдена заявка");
    };
    let step = match app.state.step(app.request.purpose, Step::Update) {
        Ok(t) => t,
        Err(_) => return failed(400, "InvalidStatus", "у заявки неверный статус"),
    };
    let changes = match changes {
        Ok(changes) => changes,
        Err(reply) => return reply,
    };
    // Merge the changes into the application's details, member by member.
    let current = json::parse(&ofd::to_wire_json(&app.request)).map(JsonValue::into_owned);
    let Ok(mut merged) = current else { return failed(500, "InternalError", "заявка не читается") };
    let changes_json = json::parse(&ofd::to_wire_json(&changes)).map(JsonValue::into_owned).unwrap_or_default();
    for (from, to) in [("kktDetails", "KktDetails"), ("companyDetails", "CompanyDetails")] {
        if let Some(part) = changes_json.get(from) {
            let wrapper = JsonValue::Object(vec![(to.into(), part.clone())]);
            merge(&mut merged, &wrapper);
        }
    }
    let (request, _) = ofd::check_application_value(&merged, ApplicationCheck::Draft);
    app.request = request;
    if step.discards_prepared {
        app.documents.retain(|d| d.signature != SignatureState::Unsigned);
    }
    app.state = step.state;
    app.updated = now_iso();
    success(application_json(app), started)
}

fn prepare(state: &mut OfdState, id: &str, started: Instant) -> Reply {
    let Some(app) = state.applications.get_mut(id) else {
        return failed(404, "ApplicationNotFound", "не найдена заявка");
    };
    if !app.state.allows(UserAction::PrepareDocuments) {
        return failed(400, "InvalidStatus", "у заявки неверный статус");
    }
    let check = if app.state.stage == ApplicationStage::Finalization {
        ApplicationCheck::Secondary
    } else {
        ApplicationCheck::Complete
    };
    if let Some(reply) = first_error(&ofd::validate_application(&app.request, check)) {
        return reply;
    }
    let Ok(transition) = app.state.step(app.request.purpose, Step::PrepareDocuments) else {
        return failed(400, "InvalidStatus", "у заявки неверный статус");
    };
    if transition.discards_prepared {
        app.documents.retain(|d| d.signature != SignatureState::Unsigned);
    }
    for issued in transition.issued {
        let doc = document(app, issued.kind, issued.signature);
        app.documents.push(doc);
    }
    app.state = transition.state;
    app.updated = now_iso();
    success(application_json(app), started)
}

fn sign(state: &mut OfdState, id: &str, signature: Result<SignRequest, Reply>, started: Instant) -> Reply {
    let signature = match signature {
        Ok(signature) => signature,
        Err(reply) => return reply,
    };
    let Some(app) = state.applications.get_mut(id) else {
        return failed(404, "ApplicationNotFound", "не найдена заявка");
    };
    if !app.state.allows(UserAction::Sign) {
        return failed(400, "InvalidStatus", "у заявки неверный статус");
    }
    let Some(document) = app.documents.iter_mut().find(|d| d.id == signature.document_id) else {
        return failed(404, "DocumentNotFound", "не найден документ");
    };
    if document.signature != SignatureState::Unsigned || !is_base64(&signature.signature) {
        return failed(400, "InvalidStatus", "документ не ожидает подписи");
    }
    document.signature = SignatureState::Signed;
    let all_signed = app.documents.iter().all(|d| d.signature != SignatureState::Unsigned);
    let Ok(transition) = app.state.step(app.request.purpose, Step::Sign { all_signed }) else {
        return failed(400, "InvalidStatus", "у заявки неверный статус");
    };
    app.state = transition.state;
    app.updated = now_iso();
    if all_signed {
        app.signed_at = Some(Instant::now());
        app.steps_taken = 0;
    }
    success(application_json(app), started)
}

/// `POST /api/partner/v2/kkt/application` (appendix 1).
pub(crate) fn partner(shared: &State, request: &Request) -> Reply {
    let envelope = |success: bool, data: Value, text: &str, value: &str| {
        let mut body = json!({"data": data, "Success": success});
        if !success {
            body["errorText"] = json!(text);
            body["errorValue"] = json!(value);
        }
        Reply::json(200, body.to_string())
    };
    if let Err(refused) = authenticate_partner(shared, request) {
        return refused;
    }
    let Ok(value) = json::parse_bytes(&request.body) else {
        return envelope(false, Value::Null, "Введенные данные непригодны к использованию", "ValidationError");
    };
    let (registration, violations) = ofd::check_partner_registration_value(&value);
    if let Some(error) = violations.errors().next() {
        return envelope(false, Value::Null, &format!("{}: {}", error.path, error.message_ru), "ValidationError");
    }
    let PartnerRegistration { inn, kpp, email, .. } = registration;
    let mut state = shared.ofd();
    // Without an email or INN the registration has errors and was refused above.
    let (inn, email) = (inn.unwrap_or_default(), email.unwrap_or_default());
    let key = (inn, kpp.unwrap_or_default());
    match state.clients.get(&key) {
        // Appendix 1: an entity already registered in another cabinet is an error.
        Some(existing) if *existing != email => {
            return envelope(
                false,
                Value::Null,
                "Юридическое лицо уже зарегистрировано в другом личном кабинете",
                "ValidationError",
            );
        }
        _ => {}
    }
    state.clients.insert(key, email);
    let agreement = state.id();
    state.agreements.push(agreement.clone());
    envelope(true, json!({"agreement": agreement}), "", "")
}
