//! The Ferma API as the spec describes it: tokens that expire, receipts
//! checked with the core's rules, `wait` then `done` (or `fail`) with
//! fiscal requisites, callbacks, split receipts, cashbox errors, duplicate
//! `external_id`s and cashbox statistics. State lives in memory only.
//!
//! Choices where the spec is silent (documented in the README): errors come
//! with HTTP 400 (401 for credentials and tokens), in the spec's error body;
//! a refused request has error code 1, a known `external_id` code 2 with
//! the spec's text, an unknown token code 11.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ofdkit::codes::{Code, FermaErrorCode, Operation, PaymentType};
use ofdkit::datetime::DateTime;
use ofdkit::ferma::{self, Payment, ReceiptRequest, SPLIT_THRESHOLD_CHARS};
use ofdkit::money::Amount;
use ofdkit::protocol::FERMA_UTC_OFFSET_SECONDS;
use serde_json::{json, Value};

use crate::cashbox::{Cashbox, Fiscalised, OWNER_INN};
use crate::config::{TokenTimestamp, MAX_DELAY, MAX_TOKEN_TTL};
use crate::faults::{Endpoint, FaultKind};
use crate::http::{Reply, Request};
use crate::State;

/// The sandbox's Ferma state.
#[derive(Debug, Default)]
pub(crate) struct FermaState {
    tokens: HashMap<String, Instant>,
    receipts: HashMap<String, StoredReceipt>,
    /// Registrations of each (group, external_id): the uuids they got.
    registered: HashMap<(String, String), Vec<String>>,
    cashboxes: Vec<Cashbox>,
    next_cashbox: usize,
    counter: u64,
}

#[derive(Debug)]
struct StoredReceipt {
    uuid: String,
    external_id: String,
    group_code: String,
    callback_url: Option<String>,
    ready_at: Instant,
    created_unix: i64,
    total: Amount,
    result: Result<Fiscalised, (i64, String)>,
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Ferma's timestamps: Moscow time.
fn moscow(unix: i64) -> String {
    DateTime::from_unix(unix, FERMA_UTC_OFFSET_SECONDS).map(|t| t.to_string()).unwrap_or_default()
}

fn utc(unix: i64) -> String {
    DateTime::from_unix(unix, 0).map(|t| t.to_string()).unwrap_or_default()
}

impl FermaState {
    pub(crate) fn new(cashboxes: usize) -> Self {
        // The count may have been changed while running: clamp, never allocate without bound.
        let cashboxes = cashboxes.clamp(1, crate::config::MAX_CASHBOXES);
        FermaState { cashboxes: (0..cashboxes).map(Cashbox::new).collect(), ..FermaState::default() }
    }

    fn next_id(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn uuid(&mut self) -> String {
        let n = self.next_id();
        format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", n >> 32, (n >> 16) & 0xffff, n & 0xfff, (n >> 4) & 0xfff, n)
    }

    /// How many times each external_id was registered (the fault test's check).
    pub(crate) fn registrations(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for ((_, external_id), _) in self.registered.iter() {
            *counts.entry(external_id.clone()).or_insert(0) += 1;
        }
        counts
    }

    pub(crate) fn receipt_count(&self) -> usize {
        self.receipts.len()
    }
}

fn error_body(id: u64, code: i64, text: &str) -> Value {
    json!({
        "error_id": format!("00000000-0000-4000-8000-{id:012x}"),
        "code": code,
        "text": text,
        "type": "system",
    })
}

fn error_reply(state: &mut FermaState, status: u16, code: i64, text: &str) -> Reply {
    let id = state.next_id();
    let body = json!({"status": "fail", "error": error_body(id, code, text), "timestamp": moscow(unix_now())});
    Reply::json(status, body.to_string())
}

/// An error in Ferma's shape from outside the handlers (a body too large),
/// numbered without taking the state's lock.
pub(crate) fn plain_error(status: u16, code: i64, text: &str) -> Reply {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1 << 40);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let body = json!({"status": "fail", "error": error_body(id, code, text), "timestamp": moscow(unix_now())});
    Reply::json(status, body.to_string())
}

/// `now + by`, for deadlines from settings that may be huge: clamped to
/// `max`, and never past what an `Instant` can hold.
fn deadline(by: Duration, max: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(by.min(max)).unwrap_or(now + Duration::from_secs(365 * 24 * 3600))
}

/// `POST /possystem/v1/getToken` with a JSON body, or `GET` with a query (§2).
///
/// `timestamp` is the token's expiry («Время действия токена», §2) or,
/// when `token_timestamp` says so, the time it was issued (issue 10).
pub(crate) fn token(shared: &State, request: &Request) -> Reply {
    let (login, pass) = if request.method == "GET" {
        (request.query("login").unwrap_or_default().to_owned(), request.query("pass").unwrap_or_default().to_owned())
    } else {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(v) => {
                (v["login"].as_str().unwrap_or_default().to_owned(), v["pass"].as_str().unwrap_or_default().to_owned())
            }
            Err(_) => (String::new(), String::new()),
        }
    };
    let (right, ttl, form) = shared
        .settings(|c| (login == c.login && pass == c.password, c.token_ttl.min(MAX_TOKEN_TTL), c.token_timestamp));
    let mut state = shared.ferma();
    if !right {
        return error_reply(&mut state, 401, 12, "Неверный логин или пароль");
    }
    let n = state.next_id();
    let issued = unix_now();
    let token = format!("{:016x}{:016x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15), issued as u64 ^ n);
    state.tokens.insert(token.clone(), deadline(ttl, MAX_TOKEN_TTL));
    drop(state);
    shared.count(|s| s.tokens_issued += 1);
    let timestamp = match form {
        TokenTimestamp::Expiry => issued.saturating_add(ttl.as_secs() as i64),
        TokenTimestamp::Issue => issued,
    };
    Reply::json(200, json!({"error": null, "token": token, "timestamp": moscow(timestamp)}).to_string())
}

/// Checks the `token` query parameter.
fn authorised(state: &mut FermaState, request: &Request) -> Result<(), Reply> {
    let now = Instant::now();
    match request.query("token").and_then(|t| state.tokens.get(t)) {
        Some(expiry) if *expiry > now => Ok(()),
        _ => Err(error_reply(state, 401, 11, "Токен недействителен или истёк; получите новый через getToken")),
    }
}

/// Checks the `token` query parameter: before the body is read, and again
/// by each handler.
pub(crate) fn authenticate(shared: &State, request: &Request) -> Result<(), Reply> {
    authorised(&mut shared.ferma(), request)
}

/// `POST /possystem/v1/{group_code}/{operation}` (§3).
///
/// The receipt is read, checked and split without any lock held: a big
/// one takes long, and tokens and reports must be answered meanwhile. Only
/// the duplicate check and the registration hold the state.
pub(crate) fn create(shared: &State, request: &Request, group: &str, operation: &str) -> Reply {
    let config = shared.config();
    if let Err(refused) = authenticate(shared, request) {
        return refused;
    }
    let Ok(operation) = operation.parse::<Operation>() else {
        return plain_error(404, 1, &format!("Неизвестная операция {operation}"));
    };
    if group != config.group_code {
        return plain_error(400, 1, &format!("Неизвестная группа ККТ {group}"));
    }
    // The connection may be dropped now that the body has been read.
    let drop_after = {
        let mut faults = shared.faults();
        if config.drop_rate > 0.0 && faults.random() < config.drop_rate {
            if faults.random() < 0.5 {
                return Reply::Drop;
            }
            true
        } else {
            false
        }
    };
    let prepared = match ferma::prepare_receipt(&request.body, operation) {
        Ok(p) => p.value,
        Err(ofdkit::Error::Invalid(violations)) => {
            let text: Vec<String> = violations.errors().take(5).map(|v| v.to_string()).collect();
            return plain_error(400, 1, &format!("Запрос не прошёл проверку: {}", text.join("; ")));
        }
        Err(e) => return plain_error(400, 1, &format!("Запрос не прошёл проверку: {e}")),
    };
    let wire_chars = ferma::wire_chars(&prepared);
    let parts = if wire_chars > SPLIT_THRESHOLD_CHARS {
        if !config.split_enabled {
            // The spec names no code for this: 1, a refused request (README).
            return plain_error(400, 1, "Чек длиннее 20 000 символов, а деление чеков не включено (§3.2)");
        }
        split(&prepared)
    } else {
        vec![prepared.clone()]
    };
    let totals: Vec<Amount> = parts.iter().map(|p| p.receipt.total.unwrap_or(Amount::ZERO)).collect();
    drop(parts);
    let callback_url = prepared.service.as_ref().and_then(|s| s.callback_url.clone());
    let key = (group.to_owned(), prepared.external_id.clone());
    let ready_at = deadline(config.processing_delay, MAX_DELAY);
    let mut state = shared.ferma();
    if state.registered.contains_key(&key) {
        // The spec's text (table 3.2).
        return error_reply(&mut state, 400, 2, "Идентификатор счёта(external_id) уже существует.");
    }
    let (cashbox_error, fails) = {
        let mut faults = shared.faults();
        let error = match faults.take(Endpoint::Receipt, |k| matches!(k, FaultKind::CashboxError(_))) {
            Some(FaultKind::CashboxError(code)) => Some(code),
            _ => None,
        };
        let fails =
            error.is_none() && faults.take(Endpoint::Receipt, |k| matches!(k, FaultKind::FiscalisationFails)).is_some();
        (error, fails)
    };
    if let Some(code) = cashbox_error {
        let text = FermaErrorCode::from_number(code)
            .and_then(FermaErrorCode::symbol)
            .unwrap_or("CASHBOX_STATE_UNKNOWN")
            .to_owned();
        return error_reply(&mut state, 400, i64::from(code), &text);
    }
    let mut uuids = Vec::new();
    for total in totals {
        let uuid = state.uuid();
        let result = if fails {
            Err((1, "Касса вернула ошибку при фискализации документа".to_owned()))
        } else {
            let n = state.cashboxes.len();
            let index = state.next_cashbox % n;
            state.next_cashbox += 1;
            Ok(state.cashboxes[index].fiscalise(total))
        };
        state.receipts.insert(
            uuid.clone(),
            StoredReceipt {
                uuid: uuid.clone(),
                external_id: prepared.external_id.clone(),
                group_code: group.to_owned(),
                callback_url: callback_url.clone(),
                ready_at,
                created_unix: unix_now(),
                total,
                result,
            },
        );
        uuids.push(uuid);
    }
    state.registered.insert(key, uuids.clone());
    let reports: Vec<String> = match &callback_url {
        Some(_) => {
            uuids.iter().filter_map(|u| state.receipts.get(u).map(|r| report_body(r, true).to_string())).collect()
        }
        None => Vec::new(),
    };
    drop(state);
    shared.count(|s| s.receipts_registered += 1);
    if let Some(url) = callback_url {
        for report in reports {
            crate::callback::deliver(shared, url.clone(), report, config.processing_delay.min(MAX_DELAY));
        }
    }
    if drop_after {
        return Reply::Drop;
    }
    let body = if uuids.len() == 1 {
        json!({"uuid": uuids[0], "timestamp": moscow(unix_now()), "error": null, "status": "wait"})
    } else {
        let parts: Vec<Value> = uuids.iter().map(|u| json!({"uuid": u})).collect();
        json!({"uuid": null, "split_receipt_data": parts, "status": "wait", "error": null, "timestamp": moscow(unix_now())})
    };
    Reply::json(200, body.to_string())
}

/// Splits a receipt into parts of at most 20 000 characters (§3.2). Each
/// part keeps its items, gets its own total and VAT sums, and is paid by
/// the first payment's type.
fn split(request: &ReceiptRequest) -> Vec<ReceiptRequest> {
    let mut empty = request.clone();
    empty.receipt.items.clear();
    let overhead = ferma::wire_chars(&empty) + 200;
    let payment_type = request.receipt.payments.first().map_or(PaymentType::Electronic, |p| p.payment_type);
    let mut parts: Vec<ReceiptRequest> = Vec::new();
    let mut current = empty.clone();
    let mut size = overhead;
    for item in &request.receipt.items {
        let item_chars = serde_json::to_string(item).map_or(0, |s| s.chars().count()) + 1;
        if size + item_chars > SPLIT_THRESHOLD_CHARS && !current.receipt.items.is_empty() {
            parts.push(std::mem::replace(&mut current, empty.clone()));
            size = overhead;
        }
        current.receipt.items.push(item.clone());
        size += item_chars;
    }
    parts.push(current);
    for part in &mut parts {
        // Fill the part's own total and VAT sums; the items keep theirs.
        let item_vats: Vec<_> = part.receipt.items.iter().map(|i| i.vat.sum).collect();
        let _ = part.receipt.fill_totals();
        for (item, vat) in part.receipt.items.iter_mut().zip(item_vats) {
            item.vat.sum = vat.or(item.vat.sum);
        }
        let total = part.receipt.total.unwrap_or(Amount::ZERO);
        part.receipt.payments = vec![Payment::new(payment_type, total)];
    }
    parts
}

/// The report of a receipt as §4 shows it (`done`, `fail`, or `wait` with
/// error 34 while it is processed).
fn report_body(receipt: &StoredReceipt, finished: bool) -> Value {
    if !finished {
        return json!({
            "error": error_body(0, 34, "Состояние чека не найдено. Попробуйте позднее"),
            "status": "wait",
            "timestamp": moscow(unix_now()),
            "callback_url": receipt.callback_url.clone().unwrap_or_default(),
        });
    }
    match &receipt.result {
        Ok(f) => json!({
            "error": null,
            "timestamp": moscow(receipt.created_unix),
            "uuid": receipt.uuid,
            "status": "done",
            "payload": {
                "total": receipt.total,
                "ofd_inn": "7709364346",
                "fns_site": "www.nalog.gov.ru",
                "fn_number": f.fn_number,
                "ecr_registration_number": f.registration_number,
                "shift_number": f.shift_number,
                "receipt_datetime": utc(receipt.created_unix),
                "fiscal_receipt_number": f.fiscal_receipt_number,
                "fiscal_document_number": f.fiscal_document_number,
                "fiscal_document_attribute": f.fiscal_document_attribute,
                "ofd_receipt_url": format!(
                    "https://check.ofd.ru/rec/{OWNER_INN}/{}/{}/{}/{}",
                    f.registration_number, f.fn_number, f.fiscal_document_number, f.fiscal_document_attribute
                ),
            },
            "group_code": receipt.group_code,
            "daemon_code": "ofdkit-sandbox",
            "external_id": receipt.external_id,
            "callback_url": receipt.callback_url.clone().unwrap_or_default(),
        }),
        Err((code, text)) => json!({
            "error": error_body(0, *code, text),
            "timestamp": moscow(receipt.created_unix),
            "uuid": receipt.uuid,
            "status": "fail",
            "group_code": receipt.group_code,
            "daemon_code": "ofdkit-sandbox",
            "external_id": receipt.external_id,
            "callback_url": receipt.callback_url.clone().unwrap_or_default(),
        }),
    }
}

/// `GET /possystem/v1/{group_code}/report/{uuid}` (§4).
pub(crate) fn report(shared: &State, request: &Request, group: &str, uuid: &str) -> Reply {
    let mut state = shared.ferma();
    if let Err(reply) = authorised(&mut state, request) {
        return reply;
    }
    match state.receipts.get(uuid).filter(|r| r.group_code == group) {
        Some(receipt) => Reply::json(200, report_body(receipt, Instant::now() >= receipt.ready_at).to_string()),
        None => error_reply(
            &mut state,
            400,
            30,
            &format!("Передан некорректный UUID: \"{uuid}\". Необходимо повторить запрос с корректными данными"),
        ),
    }
}

/// `GET /possystem/v1/stats/cashboxes/extended` (§7), with its filters.
pub(crate) fn cashbox_stats(shared: &State, request: &Request) -> Reply {
    let mut state = shared.ferma();
    if let Err(reply) = authorised(&mut state, request) {
        return reply;
    }
    let filters = [("deviceId", 0), ("rn", 1), ("zn", 2), ("fn", 3)];
    let data: Vec<Value> = state
        .cashboxes
        .iter()
        .filter(|c| {
            let values = [c.device_id.to_string(), c.registration_number.clone(), c.serial_number.clone(), c.fn_number.clone()];
            filters.iter().all(|(name, i)| request.query(name).is_none_or(|v| v == values[*i]))
        })
        .map(|c| {
            json!({
                "deviceId": c.device_id,
                "fn": c.fn_number,
                "zn": c.serial_number,
                "rnm": c.registration_number,
                "kktModel": c.model,
                "kktState": ofdkit::codes::KktState::Ready.wire(),
                "tariffType": ofdkit::codes::TariffType::Yearly.wire(),
                "tariffEndDate": "2027-12-31",
                "tariffChecksCnt": null,
                "fnName": "Шифровальное (криптографическое) средство защиты фискальных данных фискальный накопитель «ФН-1.1М» исполнение 15-2",
                "fnModelName": "FN15",
                "checksCnt": c.documents,
                "fnVolumePercent": f64::from(c.documents) / 2500.0,
                "projectedFnReplaceDate": "2028-03-19",
                "projectedFnFilledDate": "2029-03-19",
                "fnLastChangeDate": "2026-01-09",
            })
        })
        .collect();
    Reply::json(200, json!({"Status": "Success", "Data": data}).to_string())
}

impl FermaState {
    /// Makes every token expire now, for tests of the client's refresh.
    pub(crate) fn expire_tokens(&mut self) {
        let now = Instant::now();
        let past = now.checked_sub(Duration::from_secs(1)).unwrap_or(now);
        for expiry in self.tokens.values_mut() {
            *expiry = past;
        }
    }
}
