//! Helpers shared by the sandbox's integration tests: a raw HTTP/1.1
//! client for what a well-behaved client never does, a ureq agent for
//! what it does, and receipts.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use ofdkit_sandbox::Sandbox;
use serde_json::{json, Value};

pub fn addr(sandbox: &Sandbox) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], sandbox.port()))
}

/// A connection that has sent `head` (and nothing else).
pub fn send_raw(sandbox: &Sandbox, head: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr(sandbox)).unwrap();
    stream.set_nodelay(true).unwrap();
    stream.write_all(head).unwrap();
    stream
}

/// An answer read off a raw connection.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Reads one answer with a `Content-Length` body within `within`; `None`
/// when none came (timeout, or the connection closed first).
pub fn read_answer(stream: &mut TcpStream, within: Duration) -> Option<Answer> {
    let deadline = Instant::now() + within;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let left = deadline.checked_duration_since(Instant::now())?;
        stream.set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let left = deadline.checked_duration_since(Instant::now())?;
        stream.set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    Some(Answer { status, headers, body })
}

/// Whether the server closed the connection within `within` (EOF or reset)
/// rather than leaving it open.
pub fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let mut chunk = [0u8; 4096];
    loop {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else { return false };
        stream.set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
        match stream.read(&mut chunk) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// Status and body of a request through a well-behaved client.
pub fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<&str>) -> (u16, String) {
    let result = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        (_, Some(body)) => agent.post(url).header("Content-Type", "application/json").send(body),
        (_, None) => agent.post(url).send_empty(),
    };
    let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let text = response.body_mut().with_config().limit(64 << 20).read_to_string().unwrap();
    (status, text)
}

pub fn token(agent: &ureq::Agent, sandbox: &Sandbox) -> String {
    let config = sandbox.config();
    let body = json!({"login": config.login, "pass": config.password}).to_string();
    let (status, text) = call(agent, "POST", &format!("{}/possystem/v1/getToken", sandbox.base_url()), Some(&body));
    assert_eq!(status, 200, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["token"].as_str().unwrap().to_owned()
}

pub fn sell_url(sandbox: &Sandbox, token: &str) -> String {
    format!("{}/possystem/v1/1/sell?token={token}", sandbox.base_url())
}

/// A valid sale of `items` items of 1.00 ₽ each.
pub fn receipt(external_id: &str, items: usize) -> String {
    let items: Vec<Value> = (0..items)
        .map(|i| {
            json!({
                "name": format!("Товар номер {i} с достаточно длинным наименованием"),
                "price": 1.0, "quantity": 1, "sum": 1.0, "measure": 0,
                "payment_method": "full_payment", "payment_object": 1,
                "vat": {"type": "vat20", "sum": 0.17},
            })
        })
        .collect();
    let total = items.len() as f64;
    json!({
        "external_id": external_id,
        "receipt": {
            "client": {"email": "buyer@example.ru"},
            "company": {"email": "sales@example.ru", "sno": "osn", "inn": "7825706086", "payment_address": "https://shop.example.ru"},
            "items": items,
            "payments": [{"type": 1, "sum": total}],
            "total": total,
        }
    })
    .to_string()
}

/// The status, and the body of a 200, of a receipt sent well.
pub fn sell(agent: &ureq::Agent, sandbox: &Sandbox, token: &str, external_id: &str) -> (u16, String) {
    call(agent, "POST", &sell_url(sandbox, token), Some(&receipt(external_id, 1)))
}

/// The raw head of a receipt request declaring `length` body bytes.
pub fn sell_head(token: &str, length: usize) -> Vec<u8> {
    format!(
        "POST /possystem/v1/1/sell?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes()
}

/// Whether `condition` holds within `within` (counters are updated just
/// after the connection they count is closed).
pub fn eventually(within: Duration, condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The `ofdkit-sandbox` binary run with `args`, killed when dropped (also
/// when the test panics), and the base URL it printed.
pub struct Binary {
    child: std::process::Child,
    pub base_url: String,
}

impl Binary {
    pub fn start(args: &[&std::ffi::OsStr]) -> Binary {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ofdkit-sandbox"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut binary = Binary { child, base_url: String::new() };
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
        binary.base_url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or_else(|| panic!("no base URL in {line:?}"))
            .to_owned();
        binary
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
