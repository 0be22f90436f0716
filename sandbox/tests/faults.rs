//! Every fault kind does what its documentation says, before or after the
//! request is processed, and is reachable over HTTP.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::*;
use ofdkit_sandbox::{Endpoint, Fault, FaultKind, Sandbox, SandboxConfig};
use serde_json::{json, Value};

fn start() -> (Sandbox, ureq::Agent, String) {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let agent = agent();
    let token = token(&agent, &sandbox);
    (sandbox, agent, token)
}

fn inject(agent: &ureq::Agent, sandbox: &Sandbox, fault: Value) {
    let (status, text) =
        call(agent, "POST", &format!("{}/sandbox/faults", sandbox.base_url()), Some(&fault.to_string()));
    assert_eq!(status, 200, "{fault}: {text}");
}

fn registered(sandbox: &Sandbox, external_id: &str) -> usize {
    sandbox.registrations().get(external_id).copied().unwrap_or(0)
}

/// Sends a receipt on a raw connection, returning it for the test to read.
fn sell_raw(sandbox: &Sandbox, token: &str, external_id: &str) -> std::net::TcpStream {
    let body = receipt(external_id, 1);
    let mut head = sell_head(token, body.len());
    head.extend_from_slice(body.as_bytes());
    send_raw(sandbox, &head)
}

/// Waits until the sandbox serves `open` connections.
fn wait_for_open(sandbox: &Sandbox, open: u64, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if sandbox.stats().connections_open == open {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn every_kind_is_listed_and_accepted_over_http() {
    let (sandbox, agent, _) = start();
    let (status, text) = call(&agent, "GET", &format!("{}/sandbox/faults", sandbox.base_url()), None);
    assert_eq!(status, 200);
    let listed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listed["kinds"], json!(FaultKind::ALL_NAMES));
    for example in listed["examples"].as_array().unwrap() {
        let mut fault = example.clone();
        fault["endpoint"] = "report".into();
        inject(&agent, &sandbox, fault);
    }
    let (status, text) =
        call(&agent, "POST", &format!("{}/sandbox/faults", sandbox.base_url()), Some(r#"{"fault":"meltdown"}"#));
    assert_eq!(status, 400);
    assert!(text.contains("hang_after_processing"), "{text}");
}

#[test]
fn an_error_before_processing_registers_nothing() {
    let (sandbox, agent, token) = start();
    inject(&agent, &sandbox, json!({"endpoint": "receipt", "fault": "error_before_processing", "status": 504}));
    let (status, text) = sell(&agent, &sandbox, &token, "e-before");
    assert_eq!(status, 504);
    assert!(text.contains("504 Gateway Time-out") || text.contains("504 Gateway Timeout"), "{text}");
    assert_eq!(registered(&sandbox, "e-before"), 0);
    assert_eq!(sell(&agent, &sandbox, &token, "e-before").0, 200);
}

#[test]
fn an_error_after_processing_hides_a_registration() {
    let (sandbox, agent, token) = start();
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::ErrorAfterProcessing(500)));
    assert_eq!(sell(&agent, &sandbox, &token, "e-after").0, 500);
    assert_eq!(registered(&sandbox, "e-after"), 1);
    // Sending again is refused as a duplicate: the client must ask instead.
    let (status, text) = sell(&agent, &sandbox, &token, "e-after");
    assert_eq!(status, 400);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["error"]["code"], 2);
}

#[test]
fn a_truncated_answer_promises_more_than_it_sends() {
    let (sandbox, agent, token) = start();
    inject(&agent, &sandbox, json!({"endpoint": "receipt", "fault": "truncated_after_processing"}));
    let mut stream = sell_raw(&sandbox, &token, "cut");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received);
    let text = String::from_utf8_lossy(&received);
    let (head, body) = text.split_once("\r\n\r\n").expect("the headers");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let promised: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
        .expect("a Content-Length");
    assert!(!body.is_empty() && body.len() < promised, "{} of {promised}", body.len());
    assert_eq!(registered(&sandbox, "cut"), 1);
}

#[test]
fn an_endless_answer_never_ends_and_a_stalled_reader_is_let_go() {
    let sandbox =
        Sandbox::start(SandboxConfig { write_timeout: Duration::from_millis(300), ..SandboxConfig::instant() })
            .unwrap();
    let agent = agent();
    let token = token(&agent, &sandbox);
    sandbox.inject(Fault { endpoint: Endpoint::Receipt, kind: FaultKind::EndlessAfterProcessing, times: 2 });
    // The agent keeps its connection open.
    let before = sandbox.stats().connections_open;
    let mut stream = sell_raw(&sandbox, &token, "endless-1");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut read = 0;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut first = Vec::new();
    while read < 4 << 20 {
        let n = stream.read(&mut chunk).expect("the body keeps coming");
        assert!(n > 0, "the body ended after {read} bytes");
        if first.len() < 4096 {
            first.extend_from_slice(&chunk[..n.min(4096)]);
        }
        read += n;
    }
    let first = String::from_utf8_lossy(&first);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(first.contains("\"uuid\""), "the answer starts as the real one: {first}");
    assert_eq!(registered(&sandbox, "endless-1"), 1);
    drop(stream);
    assert!(wait_for_open(&sandbox, before, Duration::from_secs(5)), "the endless answer outlived its client");

    // A client that neither reads nor closes is let go after write_timeout.
    let _stalled = sell_raw(&sandbox, &token, "endless-2");
    assert!(wait_for_open(&sandbox, before + 1, Duration::from_secs(2)));
    assert!(wait_for_open(&sandbox, before, Duration::from_secs(10)), "a stalled reader held its connection");
}

#[test]
fn a_hang_before_processing_holds_the_connection_until_the_client_leaves() {
    let (sandbox, agent, token) = start();
    inject(&agent, &sandbox, json!({"endpoint": "receipt", "fault": "hang_before_processing"}));
    // The agent keeps its connection open.
    let before = sandbox.stats().connections_open;
    let mut stream = sell_raw(&sandbox, &token, "hang-before");
    assert!(read_answer(&mut stream, Duration::from_millis(700)).is_none());
    assert!(!closed_within(&mut stream, Duration::from_millis(100)), "the connection was closed");
    assert_eq!(registered(&sandbox, "hang-before"), 0);
    assert_eq!(sandbox.stats().connections_open, before + 1);
    drop(stream);
    assert!(wait_for_open(&sandbox, before, Duration::from_secs(3)), "a hang outlived its client");
}

#[test]
fn a_hang_after_processing_hides_a_registration() {
    let (sandbox, _agent, token) = start();
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::HangAfterProcessing));
    let mut stream = sell_raw(&sandbox, &token, "hang-after");
    assert!(read_answer(&mut stream, Duration::from_millis(500)).is_none());
    assert_eq!(registered(&sandbox, "hang-after"), 1);
}

#[test]
fn a_slow_answer_trickles_in_whole() {
    let (sandbox, agent, token) = start();
    inject(&agent, &sandbox, json!({"endpoint": "receipt", "fault": "slow", "ms": 600}));
    let started = Instant::now();
    let (status, text) = sell(&agent, &sandbox, &token, "slow");
    assert!(started.elapsed() >= Duration::from_millis(550), "{:?}", started.elapsed());
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["status"], "wait");
}

#[test]
fn drops_apply_to_every_endpoint() {
    let (sandbox, agent, _) = start();
    sandbox.inject(Fault::once(Endpoint::Token, FaultKind::DropAfterProcessing));
    let config = sandbox.config();
    let body = json!({"login": config.login, "pass": config.password}).to_string();
    let url = format!("{}/possystem/v1/getToken", sandbox.base_url());
    assert!(agent.post(&url).send(&body).is_err(), "an answer came through a drop");
    assert_eq!(sandbox.stats().tokens_issued, 2, "the token was issued before the drop");
}

#[test]
fn the_controls_are_never_caught_by_faults() {
    let (sandbox, agent, _) = start();
    inject(&agent, &sandbox, json!({"endpoint": "any", "fault": "garbage"}));
    let (status, text) = call(&agent, "GET", &format!("{}/sandbox/stats", sandbox.base_url()), None);
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<Value>(&text).is_ok(), "{text}");
    let config = sandbox.config();
    let body = json!({"login": config.login, "pass": config.password}).to_string();
    let (status, _) = call(&agent, "POST", &format!("{}/possystem/v1/getToken", sandbox.base_url()), Some(&body));
    assert_eq!(status, 502);
}
