//! Small servers of the tests' own on 127.0.0.1 that do exactly the bad
//! thing a test needs (hang, drip, send without end, cut the body short,
//! answer 5xx, echo the request), and a CONNECT proxy. Every thread they
//! start ends when the server is dropped or within a minute.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ofdkit::codes::{Operation, PaymentType, Sno, VatType};
use ofdkit::datetime::DateTime;
use ofdkit::ferma::{Company, ItemSpec, ReceiptBuilder, ReceiptRequest};
use ofdkit::protocol::{PollPolicy, FERMA_UTC_OFFSET_SECONDS};
use ofdkit_client::{FermaConfig, FermaConfigBuilder};

/// The longest any server thread lives, whatever its handler does.
const LIFETIME: Duration = Duration::from_secs(60);

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path with its query.
    pub target: String,
    pub body: Vec<u8>,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn is_token(&self) -> bool {
        self.path().ends_with("/getToken")
    }

    pub fn is_receipt(&self) -> bool {
        self.method == "POST" && !self.is_token()
    }

    pub fn is_report(&self) -> bool {
        self.path().contains("/report/")
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What a handler gets: the request, the connection and the stop flag.
pub struct Exchange<'a> {
    pub request: &'a Request,
    pub stream: &'a mut TcpStream,
    stop: &'a AtomicBool,
    /// How many requests of this kind came before this one.
    pub nth: usize,
}

impl Exchange<'_> {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Answers with this status and body and closes the connection.
    pub fn respond(&mut self, status: u16, body: &str) {
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = self.stream.write_all(head.as_bytes());
        let _ = self.stream.write_all(body.as_bytes());
        let _ = self.stream.flush();
    }

    /// Never answers (until the server stops).
    pub fn hang(&mut self) {
        let start = Instant::now();
        while !self.stopped() && start.elapsed() < LIFETIME {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A 200 whose body never ends.
    pub fn endless_body(&mut self) {
        let _ =
            self.stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
        let chunk = vec![b' '; 64 * 1024];
        let start = Instant::now();
        while !self.stopped() && start.elapsed() < LIFETIME {
            if self.stream.write_all(&chunk).is_err() {
                return;
            }
        }
    }

    /// A status line and then one byte every 100 ms, forever.
    pub fn drip(&mut self) {
        let _ = self.stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
        let start = Instant::now();
        while !self.stopped() && start.elapsed() < LIFETIME {
            if self.stream.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A 200 that promises more than it sends, then closes.
    pub fn truncated(&mut self, body: &str) {
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len() + 100);
        let _ = self.stream.write_all(head.as_bytes());
        let _ = self.stream.write_all(body.as_bytes());
        let _ = self.stream.flush();
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    /// Closes the connection without a word.
    pub fn drop_connection(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    /// A token answer with this `timestamp`.
    pub fn token(&mut self, token: &str, timestamp: &str) {
        self.respond(200, &format!(r#"{{"error":null,"token":"{token}","timestamp":"{timestamp}"}}"#));
    }

    /// A receipt registered under this uuid.
    pub fn registered(&mut self, uuid: &str) {
        self.respond(200, &format!(r#"{{"uuid":"{uuid}","status":"wait","error":null,"timestamp":"{}"}}"#, moscow(0)));
    }

    /// Ferma's refusal of a known external_id (table 3.2).
    pub fn duplicate(&mut self) {
        self.respond(
            400,
            r#"{"status":"fail","error":{"code":2,"text":"Идентификатор счёта(external_id) уже существует."}}"#,
        );
    }

    /// A report of a fiscalised receipt.
    pub fn done(&mut self) {
        self.respond(
            200,
            r#"{"status":"done","error":null,"payload":{"total":100,"fiscal_document_number":1,"fiscal_document_attribute":3449555955,"fn_number":"9999078900004792","ecr_registration_number":"0007795807005569","shift_number":1,"fiscal_receipt_number":1,"receipt_datetime":"30.11.2026 12:00:00"}}"#,
        );
    }
}

pub const LOGIN: &str = "fermatest2";
pub const PASSWORD: &str = "Go2999483Mb";

/// A config for a server at `url`, quick to retry and to poll.
pub fn ferma_config(url: &str) -> FermaConfigBuilder {
    FermaConfig::builder()
        .base_url(url)
        .login(LOGIN)
        .password(PASSWORD)
        .group_code("1")
        .retry_pause(Duration::from_millis(10))
        .poll(PollPolicy::new(Duration::from_millis(10), Duration::from_millis(50)))
}

/// A valid sale.
pub fn receipt(external_id: &str) -> ReceiptRequest {
    ReceiptBuilder::new(Operation::Sell, external_id, Company::new(Sno::Osn, "7825706086", "https://shop.example.ru"))
        .client_email("buyer@example.ru")
        .item(ItemSpec::new("Чай", "100".parse().unwrap(), "1".parse().unwrap(), VatType::Vat20))
        .pay_rest(PaymentType::Electronic)
        .build()
        .unwrap()
        .value
}

/// Moscow time `offset_seconds` from now, as Ferma writes it.
pub fn moscow(offset_seconds: i64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    DateTime::from_unix(now + offset_seconds, FERMA_UTC_OFFSET_SECONDS).unwrap().to_string()
}

type Handler = dyn Fn(&mut Exchange<'_>) + Send + Sync;

/// A server on 127.0.0.1 that reads each request and hands it to its handler.
pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    port: u16,
}

impl Server {
    pub fn start(handler: impl Fn(&mut Exchange<'_>) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let (seen, stop, handler) = (seen.clone(), stop.clone(), handler.clone());
                    std::thread::spawn(move || serve(stream, &seen, &stop, &*handler));
                }
            })
        };
        Server { url: format!("http://127.0.0.1:{port}"), seen, stop, accept: Some(accept), port }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, what: impl Fn(&Request) -> bool) -> usize {
        self.requests().iter().filter(|r| what(r)).count()
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn serve(mut stream: TcpStream, seen: &Mutex<Vec<Request>>, stop: &AtomicBool, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&mut stream) else { return };
    let nth = {
        let mut seen = seen.lock().unwrap();
        let nth = seen.iter().filter(|r| r.method == request.method && r.path() == request.path()).count();
        seen.push(request.clone());
        nth
    };
    let mut exchange = Exchange { request: &request, stream: &mut stream, stop, nth };
    handler(&mut exchange);
}

/// Reads one request (line, headers, a body of Content-Length bytes).
pub fn read_request(stream: &mut impl Read) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let length = lines
        .filter_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
        .next()
        .map_or(Some(0), |v| v.parse().ok())?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some(Request { method, target, body })
}

/// A CONNECT proxy on 127.0.0.1 that tunnels to any target, or refuses
/// every tunnel with 403 when `refuse` is set; it counts the tunnels asked for.
pub struct ConnectProxy {
    pub url: String,
    pub targets: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl ConnectProxy {
    pub fn start(refuse: bool) -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let targets = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (targets, stop) = (targets.clone(), stop.clone());
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok(mut client) = client else { continue };
                    let targets = targets.clone();
                    std::thread::spawn(move || {
                        let Some(request) = read_request(&mut client) else { return };
                        targets.lock().unwrap().push(format!("{} {}", request.method, request.target));
                        if refuse || request.method != "CONNECT" {
                            let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                            return;
                        }
                        let Ok(server) = TcpStream::connect(&request.target) else {
                            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                            return;
                        };
                        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                        pipe(client, server);
                    });
                }
            });
        }
        ConnectProxy { url: format!("http://127.0.0.1:{port}"), targets, stop, port }
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies both ways until either side closes.
pub fn pipe(a: TcpStream, b: TcpStream) {
    let (mut a_read, mut b_write) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let forward = std::thread::spawn(move || {
        let _ = std::io::copy(&mut a_read, &mut b_write);
        let _ = b_write.shutdown(Shutdown::Write);
    });
    let (mut b_read, mut a_write) = (b, a);
    let _ = std::io::copy(&mut b_read, &mut a_write);
    let _ = a_write.shutdown(Shutdown::Write);
    let _ = forward.join();
}
