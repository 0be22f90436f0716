//! Delivering the result to `callback_url` (§4): a POST of the report's
//! body once the document is processed.

use std::time::Duration;

use crate::State;

/// Whether `url` points at this machine: the sandbox calls back only there,
/// never out to the network.
fn is_loopback(url: &str) -> bool {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or_default();
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host =
        host.rsplit_once(':').map_or(host, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// POSTs `body` to `url` after `delay`, in the background; the outcome is
/// counted in the sandbox's statistics. URLs off this machine are counted
/// as not delivered.
pub(crate) fn deliver(shared: &State, url: String, body: String, delay: Duration) {
    if !is_loopback(&url) {
        shared.count(|s| s.callbacks_failed += 1);
        return;
    }
    let Some(state) = shared.this() else { return };
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let delivered = tokio::task::spawn_blocking(move || post(&url, &body)).await.unwrap_or(false);
        state.count(|s| if delivered { s.callbacks_delivered += 1 } else { s.callbacks_failed += 1 });
    });
}

fn post(url: &str, body: &str) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .build()
        .into();
    // One retry: a listener that is not up yet gets a second chance.
    for _ in 0..2 {
        match agent.post(url).header("Content-Type", "application/json; charset=utf-8").send(body) {
            Ok(response) if response.status().is_success() => return true,
            Ok(_) => return false,
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_back_only_to_this_machine() {
        assert!(is_loopback("http://127.0.0.1:8080/cb"));
        assert!(is_loopback("http://localhost/cb?x=1"));
        assert!(is_loopback("http://[::1]:9/"));
        assert!(!is_loopback("https://shop.example.ru/cb"));
        assert!(!is_loopback("http://127.0.0.1.evil.ru/"));
    }
}
