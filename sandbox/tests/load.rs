//! Load that stops by itself: 1 000 slowloris connections while a normal
//! client keeps being answered, and 500 clients at once each getting a
//! token and registering a receipt, none lost or doubled. The figures are
//! printed (`cargo test -p ofdkit-sandbox --test load -- --nocapture`);
//! the assertions are about behaviour, never about speed.

#![cfg(target_os = "linux")]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::*;
use ofdkit_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

const SLOWLORIS: usize = 1000;
const CLIENTS: usize = 500;

/// One load at a time, so the figures of one are not the other's.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// Lets this process open what the test needs: both ends of every
/// connection live here.
fn raise_open_file_limit(wanted: u64) {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit read and write only the struct given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < wanted as libc::rlim_t {
            limit.rlim_cur = limit.rlim_max.min(wanted as libc::rlim_t);
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
}

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// One slowloris connection: headers started, never finished.
struct Loris {
    stream: TcpStream,
    opened: Instant,
    held: Option<Duration>,
}

impl Loris {
    /// Sends one more header line and notes whether the server closed.
    fn poke(&mut self) {
        if self.held.is_some() {
            return;
        }
        let _ = self.stream.write(b"X-Still-Here: yes\r\n");
        let mut byte = [0u8; 64];
        match self.stream.read(&mut byte) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            // EOF, a reset, or (never expected) an answer: the server let go.
            _ => self.held = Some(self.opened.elapsed()),
        }
    }
}

#[test]
fn a_normal_client_is_answered_through_a_slowloris_attack() {
    let _alone = alone();
    raise_open_file_limit(4 * SLOWLORIS as u64 + 512);
    let header_timeout = Duration::from_secs(2);
    let sandbox =
        Sandbox::start(SandboxConfig { header_read_timeout: header_timeout, ..SandboxConfig::instant() }).unwrap();
    assert!(sandbox.connection_limit() > SLOWLORIS, "the open-file limit leaves {}", sandbox.connection_limit());
    let fds_before = open_descriptors();
    let attack_started = Instant::now();
    let mut lorises: Vec<Loris> = (0..SLOWLORIS)
        .map(|_| {
            let stream = send_raw(&sandbox, b"GET /possystem/v1/getToken?login=fermatest2 HTTP/1.1\r\nHost: x\r\n");
            stream.set_nonblocking(true).unwrap();
            Loris { stream, opened: Instant::now(), held: None }
        })
        .collect();
    let opened_in = attack_started.elapsed();

    // The normal client: a new connection for every getToken, then a report.
    let attacking = Arc::new(AtomicBool::new(true));
    let normal = {
        let attacking = attacking.clone();
        let base = sandbox.base_url();
        std::thread::spawn(move || {
            let mut latencies = Vec::new();
            let mut failures = Vec::new();
            let started = Instant::now();
            while attacking.load(Ordering::Relaxed) {
                let agent = agent();
                let begun = Instant::now();
                let body = r#"{"login":"fermatest2","pass":"Go2999483Mb"}"#;
                match agent.post(format!("{base}/possystem/v1/getToken")).send(body) {
                    Ok(mut r) if r.status() == 200 => {
                        let token: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                        let url =
                            format!("{base}/possystem/v1/1/report/none?token={}", token["token"].as_str().unwrap());
                        match agent.get(url).call() {
                            Ok(r) if r.status() == 400 => latencies.push(begun.elapsed()),
                            other => failures.push(format!("report: {other:?}")),
                        }
                    }
                    other => failures.push(format!("getToken: {other:?}")),
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            (latencies, failures, started.elapsed())
        })
    };

    let mut peak_open = 0;
    let mut peak_fds = 0;
    let give_up = Instant::now() + header_timeout + Duration::from_secs(8);
    while lorises.iter().any(|l| l.held.is_none()) && Instant::now() < give_up {
        for loris in &mut lorises {
            loris.poke();
        }
        peak_open = peak_open.max(sandbox.stats().connections_open);
        peak_fds = peak_fds.max(open_descriptors());
        std::thread::sleep(Duration::from_millis(100));
    }
    attacking.store(false, Ordering::Relaxed);
    let (mut latencies, failures, ran) = normal.join().unwrap();
    latencies.sort();
    let mut held: Vec<Duration> = lorises.iter().filter_map(|l| l.held).collect();
    held.sort();
    let stats = sandbox.stats();

    eprintln!("slowloris: {SLOWLORIS} connections opened in {opened_in:?}, header timeout {header_timeout:?}");
    eprintln!(
        "slowloris: held min {:?}, median {:?}, max {:?}; {} of {SLOWLORIS} closed by the server; header timeouts counted {}",
        held.first().copied().unwrap_or_default(),
        percentile(&held, 0.5),
        held.last().copied().unwrap_or_default(),
        held.len(),
        stats.header_timeouts
    );
    eprintln!(
        "normal client during the attack: {} answers in {ran:?} = {:.0}/s (getToken on a new connection + report), p50 {:?}, p99 {:?}, max {:?}, {} failures",
        latencies.len(),
        latencies.len() as f64 / ran.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default(),
        failures.len()
    );
    eprintln!(
        "descriptors of this process (both ends): {fds_before} before, {peak_fds} at the peak; server connections open at the peak {peak_open}, limit {}",
        sandbox.connection_limit()
    );

    assert!(failures.is_empty(), "{failures:?}");
    assert!(latencies.len() >= 20, "only {} answers during the attack", latencies.len());
    assert!(peak_open >= SLOWLORIS as u64, "the attack never held its connections: {peak_open}");
    assert_eq!(held.len(), SLOWLORIS, "slowloris connections outlived the header timeout");
    assert!(held[0] >= header_timeout - Duration::from_millis(100), "closed before the timeout: {:?}", held[0]);
    assert!(eventually(Duration::from_secs(2), || sandbox.stats().header_timeouts >= SLOWLORIS as u64));
}

#[test]
fn five_hundred_clients_at_once_lose_and_double_nothing() {
    let _alone = alone();
    raise_open_file_limit(4 * CLIENTS as u64 + 512);
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let base = sandbox.base_url();
    let start = Arc::new(Barrier::new(CLIENTS + 1));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (base, start) = (base.clone(), start.clone());
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let agent = agent();
                    start.wait();
                    let begun = Instant::now();
                    let body = r#"{"login":"fermatest2","pass":"Go2999483Mb"}"#;
                    let (status, text) = call(&agent, "POST", &format!("{base}/possystem/v1/getToken"), Some(body));
                    assert_eq!(status, 200, "{text}");
                    let token: Value = serde_json::from_str(&text).unwrap();
                    let url = format!("{base}/possystem/v1/1/sell?token={}", token["token"].as_str().unwrap());
                    let (status, text) = call(&agent, "POST", &url, Some(&receipt(&format!("load-{i}"), 2)));
                    let uuid =
                        serde_json::from_str::<Value>(&text).ok().and_then(|v| v["uuid"].as_str().map(str::to_owned));
                    (status, uuid, begun, Instant::now())
                })
                .unwrap()
        })
        .collect();
    start.wait();
    let results: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let first = results.iter().map(|r| r.2).min().unwrap();
    let took = results.iter().map(|r| r.3).max().unwrap() - first;
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.3 - r.2).collect();
    latencies.sort();
    eprintln!(
        "{CLIENTS} concurrent clients (getToken + sell each): done in {took:?} = {:.0} receipts/s; per client p50 {:?}, p99 {:?}, max {:?}",
        CLIENTS as f64 / took.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );

    let refused: Vec<_> = results.iter().filter(|r| r.0 != 200 || r.1.is_none()).collect();
    assert!(refused.is_empty(), "{refused:?}");
    let mut uuids: Vec<&String> = results.iter().filter_map(|r| r.1.as_ref()).collect();
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), CLIENTS, "uuids given twice");
    let registrations = sandbox.registrations();
    assert_eq!(registrations.len(), CLIENTS, "receipts lost");
    assert!(registrations.values().all(|n| *n == 1), "receipts doubled");
    assert_eq!(sandbox.receipt_count(), CLIENTS);
    let stats = sandbox.stats();
    assert_eq!((stats.tokens_issued, stats.receipts_registered), (CLIENTS as u64, CLIENTS as u64));
}
