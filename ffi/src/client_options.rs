//! Settings of the clients beyond their server and credentials, for C:
//! timeouts, proxy, extra trusted certificates, attempts, the partner
//! registration URL. New settings come as new setters, so that the
//! constructors' signatures never change.

use std::os::raw::{c_char, c_int};
use std::time::Duration;

use ofdkit_client::{CaBundle, Network, Proxy, Timeouts};

use crate::landing::{guard, Fail, OFDKIT_OK};
use crate::memory::{bytes, optional_text, out};

/// Settings of a client beyond its server and credentials: timeouts,
/// proxy, extra trusted certificates, attempts, the partner registration
/// URL (opaque; free with `ofdkit_client_options_free`). Unset settings
/// keep their defaults.
#[derive(Default)]
pub struct OfdkitClientOptions {
    pub(crate) network: Network,
    pub(crate) attempts: Option<u32>,
    pub(crate) retry_pause: Option<Duration>,
    pub(crate) partner_base_url: Option<String>,
}

fn milliseconds(ms: u32, default: Duration) -> Duration {
    if ms == 0 {
        default
    } else {
        Duration::from_millis(ms.into())
    }
}

pub(crate) fn timeouts(connect_ms: u32, request_ms: u32, call_ms: u32) -> Timeouts {
    let default = Timeouts::default();
    Timeouts::new(
        milliseconds(connect_ms, default.connect),
        milliseconds(request_ms, default.request),
        milliseconds(call_ms, default.call),
    )
}

unsafe fn options_mut<'a>(options: *mut OfdkitClientOptions) -> Result<&'a mut OfdkitClientOptions, Fail> {
    options.as_mut().ok_or_else(|| Fail::argument("options is NULL"))
}

/// Creates a set of client options, every setting at its default.
///
/// # Safety
/// `options_out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_new(options_out: *mut *mut OfdkitClientOptions) -> c_int {
    guard(|| {
        let slot = out(options_out, "options_out")?;
        *slot = Box::into_raw(Box::default());
        Ok(OFDKIT_OK)
    })
}

/// Frees client options. NULL is ignored.
///
/// # Safety
/// `options` is NULL or options from ofdkit not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_free(options: *mut OfdkitClientOptions) {
    if !options.is_null() {
        drop(Box::from_raw(options));
    }
}

/// Timeouts in milliseconds; 0 keeps the default. `connect_ms`: name
/// resolution, TCP, proxy and TLS (10 s); `request_ms`: one exchange (30
/// s); `call_ms`: one whole call — the token, every attempt and pause —
/// which ends by then whatever the server does (60 s). The wait and
/// fiscalize calls take their own deadline.
///
/// # Safety
/// `options` is live.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_set_timeouts(
    options: *mut OfdkitClientOptions,
    connect_ms: u32,
    request_ms: u32,
    call_ms: u32,
) -> c_int {
    guard(|| {
        options_mut(options)?.network.timeouts = timeouts(connect_ms, request_ms, call_ms);
        Ok(OFDKIT_OK)
    })
}

/// The proxy: a URL (`http://host:3128`, `http://user:password@host:3128`),
/// `"direct"` for none, or NULL or `"environment"` for the default:
/// HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY, else on Windows the
/// system proxy; loopback hosts are reached directly.
///
/// # Safety
/// `options` is live; `proxy` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_set_proxy(
    options: *mut OfdkitClientOptions,
    proxy: *const c_char,
) -> c_int {
    guard(|| {
        let options = options_mut(options)?;
        options.network.proxy = match optional_text(proxy, "proxy")? {
            None => Proxy::FromEnvironment,
            Some(text) => text.parse()?,
        };
        Ok(OFDKIT_OK)
    })
}

/// Certificates (PEM) trusted besides the operating system's store: the CA
/// of a TLS-inspecting proxy or of a private deployment. Certificate checks
/// cannot be switched off.
///
/// # Safety
/// `options` is live; `pem` points to `pem_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_set_ca_bundle(
    options: *mut OfdkitClientOptions,
    pem: *const c_char,
    pem_len: usize,
) -> c_int {
    guard(|| {
        let options = options_mut(options)?;
        options.network.ca_bundle = Some(CaBundle::from_pem(bytes(pem, pem_len, "pem")?)?);
        Ok(OFDKIT_OK)
    })
}

/// How many times a request that certainly did not arrive (or a read) is
/// tried, and how many times in all a receipt whose answer was unclear is
/// sent with its external_id (3); the first pause between attempts, which
/// doubles (200 ms). 0 keeps a default.
///
/// # Safety
/// `options` is live.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_set_attempts(
    options: *mut OfdkitClientOptions,
    attempts: u32,
    retry_pause_ms: u32,
) -> c_int {
    guard(|| {
        let options = options_mut(options)?;
        options.attempts = (attempts > 0).then_some(attempts);
        options.retry_pause = (retry_pause_ms > 0).then(|| Duration::from_millis(retry_pause_ms.into()));
        Ok(OFDKIT_OK)
    })
}

/// Where a registration client sends partner registrations (appendix 1):
/// `https://ofd.me` by default. NULL restores the default.
///
/// # Safety
/// `options` is live; `base_url` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ofdkit_client_options_set_partner_base_url(
    options: *mut OfdkitClientOptions,
    base_url: *const c_char,
) -> c_int {
    guard(|| {
        let options = options_mut(options)?;
        options.partner_base_url = optional_text(base_url, "base_url")?.map(str::to_owned);
        Ok(OFDKIT_OK)
    })
}
