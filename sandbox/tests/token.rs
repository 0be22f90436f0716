//! getToken's `timestamp`: the expiry by default (the spec's «Время
//! действия токена»), the issue time when asked (issue 10), switched by
//! the config, `POST /sandbox/config` and the binary's flag.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use ofdkit::datetime::DateTime;
use ofdkit::protocol::FERMA_UTC_OFFSET_SECONDS;
use ofdkit_sandbox::{Sandbox, SandboxConfig, TokenTimestamp};
use serde_json::{json, Value};

/// Seconds from now to the `timestamp` of a fresh token from `base`.
fn timestamp_from_now(agent: &ureq::Agent, base: &str, sandbox: Option<&Sandbox>) -> i64 {
    let (login, pass) = sandbox.map_or(("fermatest2".into(), "Go2999483Mb".into()), |s| {
        let c = s.config();
        (c.login, c.password)
    });
    let body = json!({"login": login, "pass": pass}).to_string();
    let (status, text) = call(agent, "POST", &format!("{base}/possystem/v1/getToken"), Some(&body));
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    let stamp = DateTime::parse_lenient(answer["timestamp"].as_str().unwrap()).unwrap().value;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    stamp.to_unix(FERMA_UTC_OFFSET_SECONDS) - now
}

fn near(seconds: i64, expected: i64) -> bool {
    (seconds - expected).abs() <= 2
}

#[test]
fn the_timestamp_is_the_expiry_unless_told_otherwise() {
    let ttl = 3600;
    let sandbox =
        Sandbox::start(SandboxConfig { token_ttl: Duration::from_secs(ttl), ..SandboxConfig::instant() }).unwrap();
    let agent = agent();
    assert!(near(timestamp_from_now(&agent, &sandbox.base_url(), Some(&sandbox)), ttl as i64));

    sandbox.configure(|c| c.token_timestamp = TokenTimestamp::Issue);
    assert!(near(timestamp_from_now(&agent, &sandbox.base_url(), Some(&sandbox)), 0));

    let control = format!("{}/sandbox/config", sandbox.base_url());
    assert_eq!(call(&agent, "POST", &control, Some(r#"{"token_timestamp": "expiry"}"#)).0, 200);
    assert!(near(timestamp_from_now(&agent, &sandbox.base_url(), Some(&sandbox)), ttl as i64));
    assert_eq!(call(&agent, "POST", &control, Some(r#"{"token_timestamp": "issue", "token_ttl_seconds": 60}"#)).0, 200);
    assert!(near(timestamp_from_now(&agent, &sandbox.base_url(), Some(&sandbox)), 0));
    assert_eq!(sandbox.config().token_ttl, Duration::from_secs(60));
}

#[test]
fn wrong_settings_change_nothing_and_say_why() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let agent = agent();
    let control = format!("{}/sandbox/config", sandbox.base_url());
    for (body, says) in [
        (r#"{"token_timestamp": "issue", "token_ttl_seconds": 1e30}"#, "token_ttl_seconds must be"),
        (r#"{"token_timestamp": "later"}"#, "token_timestamp must be"),
        (r#"{"drop_rate": 2}"#, "drop_rate must be"),
        (r#"{"processing_delay_ms": 18446744073709551615}"#, "processing_delay_ms must be"),
        (r#"{"port": 1}"#, "port cannot be changed"),
        (r#"[1]"#, "a JSON object"),
    ] {
        let (status, text) = call(&agent, "POST", &control, Some(body));
        assert_eq!(status, 400, "{body}");
        assert!(text.contains(says), "{body}: {text}");
    }
    assert_eq!(sandbox.config().token_timestamp, TokenTimestamp::Expiry);
}

#[test]
fn the_binary_sends_the_issue_time_when_asked() {
    let args = ["--port", "0", "--token-timestamp", "issue", "--token-ttl-seconds", "7200"];
    let binary = Binary::start(&args.map(std::ffi::OsStr::new));
    assert!(near(timestamp_from_now(&agent(), &binary.base_url, None), 0));
}
