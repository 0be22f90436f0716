//! The sandbox survives its clients: every test here failed on the
//! sandbox before the hardening (checked by reverting each fix once).

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::*;
use ofdkit_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).unwrap()
}

#[test]
fn a_huge_token_ttl_is_refused_at_start_and_clamped_while_running() {
    let refused = Sandbox::start(SandboxConfig { token_ttl: Duration::MAX, ..SandboxConfig::instant() }).err().unwrap();
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
    assert!(refused.to_string().starts_with("token_ttl must be at most"), "{refused}");

    // Changed while running, it used to panic every getToken.
    let sandbox = start(SandboxConfig::instant());
    sandbox.configure(|c| c.token_ttl = Duration::MAX);
    let agent = agent();
    let token = token(&agent, &sandbox);
    let (status, text) = sell(&agent, &sandbox, &token, "ttl-1");
    assert_eq!(status, 200, "{text}");
}

#[test]
fn extreme_settings_while_running_never_panic() {
    let sandbox = start(SandboxConfig::instant());
    let agent = agent();
    let token = token(&agent, &sandbox);
    sandbox.configure(|c| {
        c.token_ttl = Duration::MAX;
        c.processing_delay = Duration::MAX;
        c.fns_step_delay = Duration::MAX;
        c.header_read_timeout = Duration::MAX;
        c.body_read_timeout = Duration::MAX;
        c.write_timeout = Duration::MAX;
        c.max_body_bytes = u64::MAX;
        c.drop_rate = f64::NAN;
        c.cashboxes = usize::MAX;
    });
    // New connections, which take the new settings.
    let (status, text) = sell(&common::agent(), &sandbox, &token, "extreme-1");
    assert_eq!(status, 200, "{text}");
    let (status, _) = call(&common::agent(), "POST", &format!("{}/sandbox/reset", sandbox.base_url()), None);
    assert_eq!(status, 200);
    let token = common::token(&common::agent(), &sandbox);
    assert_eq!(sell(&common::agent(), &sandbox, &token, "extreme-2").0, 200);
    sandbox.configure(|c| {
        c.header_read_timeout = Duration::ZERO;
        c.body_read_timeout = Duration::ZERO;
        c.write_timeout = Duration::ZERO;
        c.max_body_bytes = 0;
    });
    let fresh = common::agent();
    let body = r#"{"login":"fermatest2","pass":"Go2999483Mb"}"#;
    let url = format!("{}/possystem/v1/getToken", sandbox.base_url());
    // Whatever the answer, the server is still there afterwards.
    let _ = fresh.post(&url).send(body);
    sandbox.configure(|c| *c = SandboxConfig::instant());
    let _ = common::token(&common::agent(), &sandbox);
}

#[test]
fn the_binary_refuses_impossible_flags_with_a_message() {
    for (flag, value, says) in [
        ("--token-ttl-seconds", "18446744073709551615", "--token-ttl-seconds must be at most"),
        ("--cashboxes", "0", "--cashboxes must be 1 to 1000"),
        ("--drop-rate", "NaN", "--drop-rate must be between 0 and 1"),
        ("--max-connections", "0", "--max-connections must be"),
        ("--header-read-timeout-ms", "0", "--header-read-timeout-ms must be at least 1 ms"),
        ("--processing-delay-ms", "18446744073709551615", "--processing-delay-ms must be at most"),
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ofdkit-sandbox"))
            .args(["--port", "0", flag, value])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("{flag} {value} was accepted: the sandbox started");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(2), "{flag} {value}: {stderr}");
        assert!(stderr.contains(says), "{flag} {value}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_declared_body_over_the_limit_is_refused_before_it_is_read() {
    let sandbox = start(SandboxConfig { max_body_bytes: 64 * 1024, ..SandboxConfig::instant() });
    let token = token(&agent(), &sandbox);
    // A gigabyte is announced and not a byte of it sent: the answer must
    // come from the head alone.
    let mut stream = send_raw(&sandbox, &sell_head(&token, 1 << 30));
    let answer = read_answer(&mut stream, Duration::from_secs(3)).expect("an answer without the body");
    assert_eq!(answer.status, 413);
    assert_eq!(answer.header("connection"), Some("close"));
    let error = &answer.json()["error"];
    assert_eq!(error["code"], 1);
    assert!(error["text"].as_str().unwrap().contains("65536"), "{error}");
    assert!(closed_within(&mut stream, Duration::from_secs(2)));

    // The registration API answers in its own shape.
    let head = format!(
        "POST /api/kkt/application HTTP/1.1\r\nHost: x\r\nAuthToken: {}\r\nContent-Length: 1000000\r\n\r\n",
        sandbox.config().ofd_auth_token
    );
    let answer = read_answer(&mut send_raw(&sandbox, head.as_bytes()), Duration::from_secs(3)).unwrap();
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["Error"], "RequestTooLarge");
    assert_eq!(sandbox.stats().bodies_too_large, 2);
    assert_eq!(sandbox.stats().receipts_registered, 0);
}

#[test]
fn a_chunked_body_is_cut_off_at_the_limit() {
    let limit = 64 * 1024;
    let sandbox = start(SandboxConfig { max_body_bytes: limit, ..SandboxConfig::instant() });
    let token = token(&agent(), &sandbox);
    let head =
        format!("POST /possystem/v1/1/sell?token={token} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    let mut stream = send_raw(&sandbox, head.as_bytes());
    let mut writer = stream.try_clone().unwrap();
    // Up to 16 times the limit, paced, stopping at the first failed write:
    // a server that reads it all never answers before the end.
    let feeding = std::thread::spawn(move || {
        let chunk = format!("{:x}\r\n{}\r\n", 4096, " ".repeat(4096));
        let mut sent = 0u64;
        while sent < 16 * limit {
            if writer.write_all(chunk.as_bytes()).is_err() {
                return sent;
            }
            sent += 4096;
            std::thread::sleep(Duration::from_millis(2));
        }
        sent
    });
    let answer = read_answer(&mut stream, Duration::from_secs(5)).expect("413 while the body streams");
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["error"]["code"], 1);
    let sent = feeding.join().unwrap();
    assert!(sent < 16 * limit, "the whole body was taken in");
}

#[test]
fn strangers_are_refused_before_their_body_is_read() {
    let sandbox = start(SandboxConfig::instant());
    // A megabyte announced, none sent: only the head can have been read.
    let mut stream = send_raw(&sandbox, &sell_head("not-a-token", 1 << 20));
    let answer = read_answer(&mut stream, Duration::from_secs(3)).expect("401 without reading the body");
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json()["error"]["code"], 11);
    assert_eq!(answer.header("connection"), Some("close"));

    let application =
        "POST /api/kkt/application HTTP/1.1\r\nHost: x\r\nAuthToken: wrong\r\nContent-Length: 1000000\r\n\r\n";
    let answer = read_answer(&mut send_raw(&sandbox, application.as_bytes()), Duration::from_secs(3)).unwrap();
    assert_eq!((answer.status, answer.json()["Error"].as_str()), (401, Some("AccessDenied")));

    let partner =
        "POST /api/partner/v2/kkt/application?AuthToken=wrong HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
    let answer = read_answer(&mut send_raw(&sandbox, partner.as_bytes()), Duration::from_secs(3)).unwrap();
    assert_eq!((answer.status, answer.json()["errorValue"].as_str()), (200, Some("AccessDenied")));

    // A known client with the same head is waited for.
    let token = token(&agent(), &sandbox);
    let mut stream = send_raw(&sandbox, &sell_head(&token, 1 << 20));
    assert!(read_answer(&mut stream, Duration::from_millis(300)).is_none());
}

#[test]
fn tokens_are_answered_while_a_big_receipt_is_checked() {
    let sandbox = start(SandboxConfig { max_body_bytes: 64 << 20, ..SandboxConfig::instant() });
    let agent = agent();
    let token = token(&agent, &sandbox);
    let big = receipt("big-receipt", 12_000);
    let mut stream = send_raw(&sandbox, &sell_head(&token, big.len()));
    stream.write_all(big.as_bytes()).unwrap();
    let sent = Instant::now();
    let waiting = std::thread::spawn(move || {
        let answer = read_answer(&mut stream, Duration::from_secs(120)).expect("the big receipt's answer");
        (answer.status, sent.elapsed())
    });
    // getToken again and again while the receipt is checked.
    std::thread::sleep(Duration::from_millis(50));
    let mut slowest = Duration::ZERO;
    while !waiting.is_finished() {
        let started = Instant::now();
        let _ = common::token(&agent, &sandbox);
        slowest = slowest.max(started.elapsed());
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, checking) = waiting.join().unwrap();
    assert_eq!(status, 200);
    eprintln!("big receipt: {} bytes checked in {checking:?}; slowest getToken meanwhile {slowest:?}", big.len());
    assert!(checking > Duration::from_millis(150), "the receipt is too small to show anything: {checking:?}");
    assert!(slowest < checking / 3, "getToken waited {slowest:?} for a check of {checking:?}");
}

#[test]
fn headers_that_trickle_in_are_cut_off() {
    let timeout = Duration::from_millis(400);
    let sandbox = start(SandboxConfig { header_read_timeout: timeout, ..SandboxConfig::instant() });
    let opened = Instant::now();
    let mut stream = send_raw(&sandbox, b"GET /sandbox/stats HTTP/1.1\r\nHost: x\r\n");
    // A header line every 100 ms keeps an inactivity timer happy, not this one.
    let mut closed = false;
    while opened.elapsed() < Duration::from_secs(3) {
        if stream.write_all(b"X-Slow: yes\r\n").is_err() || closed_within(&mut stream, Duration::from_millis(100)) {
            closed = true;
            break;
        }
    }
    let held = opened.elapsed();
    assert!(closed, "a trickling client held its connection for {held:?}");
    assert!(held >= timeout - Duration::from_millis(50), "closed too early: {held:?}");
    assert!(held < timeout + Duration::from_secs(1), "{held:?}");
    assert!(eventually(Duration::from_secs(2), || sandbox.stats().header_timeouts == 1));
}

#[test]
fn idle_connections_are_closed() {
    let sandbox = start(SandboxConfig { header_read_timeout: Duration::from_millis(300), ..SandboxConfig::instant() });
    // Silent from the start.
    let mut silent = send_raw(&sandbox, b"");
    // Silent after one answer (keep-alive).
    let mut kept = send_raw(&sandbox, b"GET /sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(read_answer(&mut kept, Duration::from_secs(2)).unwrap().status, 200);
    assert!(closed_within(&mut silent, Duration::from_secs(2)));
    assert!(closed_within(&mut kept, Duration::from_secs(2)));
}

#[test]
fn a_body_that_does_not_arrive_gets_408() {
    let sandbox = start(SandboxConfig { body_read_timeout: Duration::from_millis(300), ..SandboxConfig::instant() });
    let token = token(&agent(), &sandbox);
    let mut stream = send_raw(&sandbox, &sell_head(&token, 100));
    stream.write_all(b"{\"external_id\":").unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut stream, Duration::from_secs(3)).expect("408 for a body that stopped");
    assert_eq!(answer.status, 408);
    assert_eq!(answer.json()["error"]["code"], 1);
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(closed_within(&mut stream, Duration::from_secs(2)));
    assert!(eventually(Duration::from_secs(2), || sandbox.stats().body_timeouts == 1));
}

#[test]
fn connections_over_the_limit_wait_their_turn() {
    let sandbox = start(SandboxConfig { max_connections: 2, ..SandboxConfig::instant() });
    let first = send_raw(&sandbox, b"");
    let _second = send_raw(&sandbox, b"");
    let mut third = send_raw(&sandbox, b"GET /sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(read_answer(&mut third, Duration::from_millis(500)).is_none(), "served over the limit");
    drop(first);
    let answer = read_answer(&mut third, Duration::from_secs(3)).expect("served once a slot freed");
    assert_eq!(answer.status, 200);
    let stats: Value = answer.json();
    assert_eq!(stats["connections_open"], 2);
}
