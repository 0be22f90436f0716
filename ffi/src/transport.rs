//! Clients of both APIs for C (cargo feature `transport`, on in the
//! shipped library). Results are JSON strings (free with
//! `ofdkit_string_free`); failures distinguish a request that was not sent
//! (`OFDKIT_E_CONNECT`, `_TIMEOUT`, `_TLS`, `_IO`: for a request that
//! changes something, nothing reached the server and sending it again is
//! safe) from one whose outcome is unknown (`OFDKIT_E_OUTCOME_UNKNOWN`:
//! it went out and no clear answer came back; the details name the
//! receipt's `external_id`), HTTP (`_HTTP_STATUS`), API (`_API`, `_AUTH`,
//! `_CASHBOX`, … with Ferma's code in the details) and protocol
//! (`_UNEXPECTED_RESPONSE`) errors. Every call ends by its deadline.

use std::os::raw::{c_char, c_int};
use std::time::Duration;

use ofdkit_client::{FermaClient, FermaConfig, RegistrationClient, RegistrationConfig};
use ofdkit_core::ofd::{self, ApplicationRequest, ApplicationUpdate, PartnerRegistration, SignRequest};
use ofdkit_core::protocol::CashboxFilter;

use crate::client_options::{timeouts, OfdkitClientOptions};
use crate::landing::{guard, Fail, OFDKIT_OK};
use crate::memory::{bytes, give, give_bytes, optional_text, out, out_value, text};
use crate::validate::operation;

/// A Ferma client (opaque; free with `ofdkit_ferma_client_free`). Use it
/// from one thread at a time, or share it: it is thread-safe.
pub struct OfdkitFermaClient(FermaClient);

/// A registration API client (opaque; free with `ofdkit_registration_client_free`).
pub struct OfdkitRegistrationClient(RegistrationClient);

unsafe fn ferma<'a>(client: *const OfdkitFermaClient) -> Result<&'a FermaClient, Fail> {
    client.as_ref().map(|c| &c.0).ok_or_else(|| Fail::argument("client is NULL"))
}

unsafe fn registration<'a>(client: *const OfdkitRegistrationClient) -> Result<&'a RegistrationClient, Fail> {
    client.as_ref().map(|c| &c.0).ok_or_else(|| Fail::argument("client is NULL"))
}

/// Creates a Ferma client. Timeouts in milliseconds; 0 takes the default
/// (10 s to connect, 30 s for one exchange; each call ends within 60 s —
/// `ofdkit_ferma_client_new_with_options` sets that too).
///
/// # Safety
/// The strings are NUL-terminated; `client_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_client_new(
    base_url: *const c_char,
    login: *const c_char,
    password: *const c_char,
    group_code: *const c_char,
    connect_timeout_ms: u32,
    request_timeout_ms: u32,
    client_out: *mut *mut OfdkitFermaClient,
) -> c_int {
    guard(|| {
        let slot = out(client_out, "client_out")?;
        let mut options = OfdkitClientOptions::default();
        options.network.timeouts = timeouts(connect_timeout_ms, request_timeout_ms, 0);
        *slot = Box::into_raw(Box::new(ferma_client(base_url, login, password, group_code, &options)?));
        Ok(OFDKIT_OK)
    })
}

unsafe fn ferma_client(
    base_url: *const c_char,
    login: *const c_char,
    password: *const c_char,
    group_code: *const c_char,
    options: &OfdkitClientOptions,
) -> Result<OfdkitFermaClient, Fail> {
    let mut builder = FermaConfig::builder()
        .base_url(text(base_url, "base_url")?)
        .login(text(login, "login")?)
        .password(text(password, "password")?)
        .group_code(text(group_code, "group_code")?)
        .network(options.network.clone());
    if let Some(attempts) = options.attempts {
        builder = builder.attempts(attempts);
    }
    if let Some(pause) = options.retry_pause {
        builder = builder.retry_pause(pause);
    }
    Ok(OfdkitFermaClient(FermaClient::new(builder.build()?)?))
}

/// Creates a Ferma client with `options` (NULL: every default). The
/// options may be freed or changed afterwards; the client keeps a copy.
///
/// # Safety
/// The strings are NUL-terminated; `options` is NULL or live;
/// `client_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_client_new_with_options(
    base_url: *const c_char,
    login: *const c_char,
    password: *const c_char,
    group_code: *const c_char,
    options: *const OfdkitClientOptions,
    client_out: *mut *mut OfdkitFermaClient,
) -> c_int {
    guard(|| {
        let slot = out(client_out, "client_out")?;
        let default = OfdkitClientOptions::default();
        let options = options.as_ref().unwrap_or(&default);
        *slot = Box::into_raw(Box::new(ferma_client(base_url, login, password, group_code, options)?));
        Ok(OFDKIT_OK)
    })
}

/// Frees a Ferma client. NULL is ignored.
///
/// # Safety
/// `client` is NULL or a client from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_client_free(client: *mut OfdkitFermaClient) {
    if !client.is_null() {
        drop(Box::from_raw(client));
    }
}

/// Validates and sends a receipt (JSON) as `operation`, once.
/// `*result_out`: `{"external_id", "uuids": [...], "warnings": [...]}`.
/// `OFDKIT_E_CONNECT`, `_TIMEOUT`, `_TLS` or `_IO`: nothing reached Ferma,
/// sending again is safe. `OFDKIT_E_OUTCOME_UNKNOWN`: it went out and no
/// clear answer came back; it was not sent again — call
/// `ofdkit_ferma_recover` (or use `ofdkit_ferma_fiscalize`, which does).
///
/// # Safety
/// `client` is live; `json` points to `json_len` bytes; `operation` is
/// NUL-terminated; `result_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_send(
    client: *const OfdkitFermaClient,
    operation: *const c_char,
    json: *const c_char,
    json_len: usize,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let (client, operation) = (ferma(client)?, self::operation(text(operation, "operation")?)?);
        let sent = client.send_json(operation, bytes(json, json_len, "json")?)?;
        *slot = give(ofdkit_client::output::sent(&sent).to_string());
        Ok(OFDKIT_OK)
    })
}

/// Finds out, safely, what became of a receipt whose outcome was unknown:
/// sends it again with the same `external_id`, which Ferma refuses when an
/// earlier send registered it. `*result_out`: `{"recovery": "sent",
/// "uuids": [...]}` or `{"recovery": "already_registered"}` (the proof it
/// exists).
///
/// # Safety
/// As `ofdkit_ferma_send`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_recover(
    client: *const OfdkitFermaClient,
    operation: *const c_char,
    json: *const c_char,
    json_len: usize,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let (client, operation) = (ferma(client)?, self::operation(text(operation, "operation")?)?);
        let recovery = client.recover_json(operation, bytes(json, json_len, "json")?)?;
        *slot = give(ofdkit_client::output::recovery(&recovery).to_string());
        Ok(OFDKIT_OK)
    })
}

/// The report of a document: `{"state": "pending" | "done" | "failed",
/// "payload" | "error", "report"}`.
///
/// # Safety
/// `client` is live; `uuid` is NUL-terminated; `result_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_report(
    client: *const OfdkitFermaClient,
    uuid: *const c_char,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let outcome = ferma(client)?.report(text(uuid, "uuid")?)?;
        *slot = give(ofdkit_core::output::report(&outcome).to_string());
        Ok(OFDKIT_OK)
    })
}

/// Polls a document's report with backoff until it is done or failed, or
/// `deadline_ms` passes (then the state is "pending").
///
/// # Safety
/// As `ofdkit_ferma_report`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_wait(
    client: *const OfdkitFermaClient,
    uuid: *const c_char,
    deadline_ms: u32,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let state = ferma(client)?.wait(text(uuid, "uuid")?, Duration::from_millis(deadline_ms.into()))?;
        *slot = give(serde_json::Value::Object(ofdkit_core::output::state(&state)).to_string());
        Ok(OFDKIT_OK)
    })
}

/// Sends a receipt and follows it to its end within `deadline_ms`
/// (everything included), recovering a lost answer by its external_id:
/// `{"external_id", "outcome": "done" | "failed" | "unknown", "parts":
/// [{"uuid", "payload"}] | "error" | "uuids", "registered", "reason"}`.
/// An error status means Ferma certainly does not hold the receipt and
/// gave no verdict on it (invalid, credentials refused, not sent).
///
/// # Safety
/// As `ofdkit_ferma_send`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_fiscalize(
    client: *const OfdkitFermaClient,
    operation: *const c_char,
    json: *const c_char,
    json_len: usize,
    deadline_ms: u32,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let (client, operation) = (ferma(client)?, self::operation(text(operation, "operation")?)?);
        let result = client.fiscalize_json(
            operation,
            bytes(json, json_len, "json")?,
            Duration::from_millis(deadline_ms.into()),
        )?;
        *slot = give(ofdkit_client::output::fiscalization(&result).to_string());
        Ok(OFDKIT_OK)
    })
}

/// The cashboxes and fiscal drives (§7); each filter may be NULL.
/// `*result_out` is the answer's JSON.
///
/// # Safety
/// `client` is live; the filters are NULL or NUL-terminated; `result_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_ferma_cashbox_stats(
    client: *const OfdkitFermaClient,
    device_id: *const c_char,
    registration_number: *const c_char,
    serial_number: *const c_char,
    fn_number: *const c_char,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let filter = CashboxFilter {
            device_id: optional_text(device_id, "device_id")?.map(str::to_owned),
            registration_number: optional_text(registration_number, "registration_number")?.map(str::to_owned),
            serial_number: optional_text(serial_number, "serial_number")?.map(str::to_owned),
            fn_number: optional_text(fn_number, "fn_number")?.map(str::to_owned),
        };
        let stats = ferma(client)?.cashbox_stats(&filter)?;
        *slot = give(serde_json::to_string(&stats).unwrap_or_default());
        Ok(OFDKIT_OK)
    })
}

/// Creates a registration API client with the cabinet's `AuthToken`;
/// timeouts as `ofdkit_ferma_client_new`.
///
/// # Safety
/// The strings are NUL-terminated; `client_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_client_new(
    base_url: *const c_char,
    auth_token: *const c_char,
    connect_timeout_ms: u32,
    request_timeout_ms: u32,
    client_out: *mut *mut OfdkitRegistrationClient,
) -> c_int {
    guard(|| {
        let slot = out(client_out, "client_out")?;
        let mut options = OfdkitClientOptions::default();
        options.network.timeouts = timeouts(connect_timeout_ms, request_timeout_ms, 0);
        *slot = Box::into_raw(Box::new(registration_client(base_url, auth_token, &options)?));
        Ok(OFDKIT_OK)
    })
}

unsafe fn registration_client(
    base_url: *const c_char,
    auth_token: *const c_char,
    options: &OfdkitClientOptions,
) -> Result<OfdkitRegistrationClient, Fail> {
    let mut builder = RegistrationConfig::builder()
        .base_url(text(base_url, "base_url")?)
        .auth_token(text(auth_token, "auth_token")?)
        .network(options.network.clone());
    if let Some(url) = &options.partner_base_url {
        builder = builder.partner_base_url(url);
    }
    if let Some(attempts) = options.attempts {
        builder = builder.attempts(attempts);
    }
    if let Some(pause) = options.retry_pause {
        builder = builder.retry_pause(pause);
    }
    Ok(OfdkitRegistrationClient(RegistrationClient::new(builder.build()?)?))
}

/// Creates a registration API client with `options` (NULL: every default,
/// partner registration at `https://ofd.me`).
///
/// # Safety
/// The strings are NUL-terminated; `options` is NULL or live;
/// `client_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_client_new_with_options(
    base_url: *const c_char,
    auth_token: *const c_char,
    options: *const OfdkitClientOptions,
    client_out: *mut *mut OfdkitRegistrationClient,
) -> c_int {
    guard(|| {
        let slot = out(client_out, "client_out")?;
        let default = OfdkitClientOptions::default();
        let options = options.as_ref().unwrap_or(&default);
        *slot = Box::into_raw(Box::new(registration_client(base_url, auth_token, options)?));
        Ok(OFDKIT_OK)
    })
}

/// Frees a registration client. NULL is ignored.
///
/// # Safety
/// `client` is NULL or a client from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_client_free(client: *mut OfdkitRegistrationClient) {
    if !client.is_null() {
        drop(Box::from_raw(client));
    }
}

fn application_json(app: &ofd::Application) -> String {
    serde_json::to_string(app).unwrap_or_default()
}

/// Creates an application (§2.1) from its JSON; `*application_out` is the
/// application as the server holds it.
///
/// # Safety
/// `client` is live; `json` points to `json_len` bytes; `application_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_create(
    client: *const OfdkitRegistrationClient,
    json: *const c_char,
    json_len: usize,
    application_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(application_out, "application_out")?;
        let request: ApplicationRequest = ofd::parse_request(crate::memory::input(json, json_len, "json")?)?;
        *slot = give(application_json(&registration(client)?.create(&request)?));
        Ok(OFDKIT_OK)
    })
}

/// Changes an application's details (§2.2).
///
/// # Safety
/// As `ofdkit_registration_create`; `id` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_update(
    client: *const OfdkitRegistrationClient,
    id: *const c_char,
    json: *const c_char,
    json_len: usize,
    application_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(application_out, "application_out")?;
        let update: ApplicationUpdate = ofd::parse_request(crate::memory::input(json, json_len, "json")?)?;
        *slot = give(application_json(&registration(client)?.update(text(id, "id")?, &update)?));
        Ok(OFDKIT_OK)
    })
}

/// The applications of a cabinet (§2.3), as a JSON array.
///
/// # Safety
/// `client` is live; `ofd_agreement_id` is NUL-terminated; `applications_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_list(
    client: *const OfdkitRegistrationClient,
    ofd_agreement_id: *const c_char,
    applications_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(applications_out, "applications_out")?;
        let list = registration(client)?.list(text(ofd_agreement_id, "ofd_agreement_id")?)?;
        *slot = give(serde_json::to_string(&list).unwrap_or_default());
        Ok(OFDKIT_OK)
    })
}

/// One application (§2.4).
///
/// # Safety
/// `client` is live; `id` is NUL-terminated; `application_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_get(
    client: *const OfdkitRegistrationClient,
    id: *const c_char,
    application_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(application_out, "application_out")?;
        *slot = give(application_json(&registration(client)?.get(text(id, "id")?)?));
        Ok(OFDKIT_OK)
    })
}

/// Prepares the documents to sign (§2.5).
///
/// # Safety
/// As `ofdkit_registration_get`.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_prepare_documents(
    client: *const OfdkitRegistrationClient,
    id: *const c_char,
    application_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(application_out, "application_out")?;
        *slot = give(application_json(&registration(client)?.prepare_documents(text(id, "id")?)?));
        Ok(OFDKIT_OK)
    })
}

/// Uploads a document's signature, base64 (§2.6), checked first: a
/// request with an empty document id or a signature that is not base64 is
/// refused with `OFDKIT_E_INVALID_REQUEST` without being sent.
///
/// # Safety
/// `client` is live; the strings are NUL-terminated; `application_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_sign(
    client: *const OfdkitRegistrationClient,
    id: *const c_char,
    document_id: *const c_char,
    signature_base64: *const c_char,
    application_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(application_out, "application_out")?;
        let sign = SignRequest::new(text(document_id, "document_id")?, text(signature_base64, "signature_base64")?);
        *slot = give(application_json(&registration(client)?.sign(text(id, "id")?, &sign)?));
        Ok(OFDKIT_OK)
    })
}

/// Downloads a document's file (§2.7): `*data_out` and `*len_out` (free
/// with `ofdkit_bytes_free(data, len)`).
///
/// # Safety
/// `client` is live; the strings are NUL-terminated; the outs are valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_download(
    client: *const OfdkitRegistrationClient,
    id: *const c_char,
    document_id: *const c_char,
    data_out: *mut *mut u8,
    len_out: *mut usize,
) -> c_int {
    guard(|| {
        let slot = out(data_out, "data_out")?;
        let len = out_value(len_out, "len_out")?;
        *len = 0;
        let file = registration(client)?.download(text(id, "id")?, text(document_id, "document_id")?)?;
        let (data, size) = give_bytes(file);
        (*slot, *len) = (data, size);
        Ok(OFDKIT_OK)
    })
}

/// Registers a new client through a partner (appendix 1); `*agreement_out`
/// is the agreement's identifier.
///
/// # Safety
/// `client` is live; `json` points to `json_len` bytes; `agreement_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_register_partner_client(
    client: *const OfdkitRegistrationClient,
    json: *const c_char,
    json_len: usize,
    agreement_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(agreement_out, "agreement_out")?;
        let request: PartnerRegistration = ofd::parse_request(crate::memory::input(json, json_len, "json")?)?;
        *slot = give(registration(client)?.register_partner_client(&request)?);
        Ok(OFDKIT_OK)
    })
}

/// Waits until the application's stage or status is no longer what it was
/// at the first read (the FNS answers in minutes to days), polling with
/// backoff for at most `deadline_ms`. `*result_out`: `{"changed": true |
/// false, "application": {...}}`, the application as last read.
///
/// # Safety
/// `client` is live; `id` is NUL-terminated; `result_out` is valid.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_registration_wait_for_change(
    client: *const OfdkitRegistrationClient,
    id: *const c_char,
    deadline_ms: u32,
    result_out: *mut *mut c_char,
) -> c_int {
    guard(|| {
        let slot = out(result_out, "result_out")?;
        let waited =
            registration(client)?.wait_for_change(text(id, "id")?, Duration::from_millis(deadline_ms.into()))?;
        *slot = give(ofdkit_client::output::waited_application(&waited).to_string());
        Ok(OFDKIT_OK)
    })
}
