//! The networks real shops sit behind: a server whose certificate comes
//! from a private CA (trusted only through a CA bundle), an HTTP CONNECT
//! proxy (one that tunnels, one that refuses), and both at once.

mod hostile;

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hostile::{ferma_config, moscow, read_request, receipt, ConnectProxy};
use ofdkit::codes::Operation;
use ofdkit::ErrorCode;
use ofdkit_client::{Error, FermaClient, Outcome, Proxy, TransportKind};
use ofdkit_sandbox::{Sandbox, SandboxConfig};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority made for this test, and a certificate it
/// signed for 127.0.0.1.
struct TestPki {
    ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

fn make_pki() -> TestPki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "ofdkit test CA");
    let ca = ca.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    server.subject_alt_names.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let server = server.signed_by(&server_key, &ca, &ca_key).unwrap();
    TestPki {
        ca_pem: ca.pem(),
        chain: vec![server.der().clone(), ca.der().clone()],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
    }
}

/// A tiny Ferma over TLS on 127.0.0.1: tokens and done reports. It counts
/// the requests it read; a client that does not trust it never gets that far.
struct TlsFerma {
    url: String,
    requests: Arc<AtomicUsize>,
}

fn tls_ferma(pki: &TestPki) -> TlsFerma {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(pki.chain.clone(), pki.key.clone_key())
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    std::thread::spawn(move || {
        // Each test makes a handful of connections; the thread ends with the process.
        for stream in listener.incoming().take(32) {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let (config, counted) = (config.clone(), counted.clone());
            std::thread::spawn(move || {
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let Some(request) = read_request(&mut tls) else { return };
                counted.fetch_add(1, Ordering::Relaxed);
                let body = if request.path().ends_with("/getToken") {
                    format!(r#"{{"error":null,"token":"tls-token","timestamp":"{}"}}"#, moscow(3600))
                } else {
                    r#"{"status":"wait","error":null}"#.to_owned()
                };
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                use std::io::Write;
                let _ = tls.write_all(answer.as_bytes());
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    TlsFerma { url: format!("https://127.0.0.1:{port}"), requests }
}

#[test]
fn a_private_ca_is_trusted_only_through_the_ca_bundle() {
    let pki = make_pki();
    let server = tls_ferma(&pki);

    let trusting = FermaClient::new(ferma_config(&server.url).ca_bundle_pem(&pki.ca_pem).build().unwrap()).unwrap();
    assert_eq!(trusting.token().unwrap().expose(), "tls-token");
    trusting.report("6b2a3b1c-0000-4000-8000-000000000001").unwrap();
    assert_eq!(server.requests.load(Ordering::Relaxed), 2);

    // The system's store does not know the test CA: the handshake fails and nothing is sent.
    let stranger = FermaClient::new(ferma_config(&server.url).build().unwrap()).unwrap();
    match stranger.sell(&receipt("tls-1")).unwrap_err() {
        Error::Transport(t) => {
            assert_eq!(t.kind, TransportKind::Tls, "{t}");
            assert!(!t.may_have_arrived && t.attempts == 1, "a certificate failure is not retried: {t}");
        }
        other => panic!("{other:?}"),
    }
    // Another CA's bundle is no help either.
    let other = make_pki();
    let misled = FermaClient::new(ferma_config(&server.url).ca_bundle_pem(&other.ca_pem).build().unwrap()).unwrap();
    assert_eq!(misled.token().unwrap_err().code(), ErrorCode::Tls);
    assert_eq!(server.requests.load(Ordering::Relaxed), 2, "no request got through an untrusted handshake");
}

#[test]
fn a_connect_proxy_carries_the_receipt() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let proxy = ConnectProxy::start(false);
    let c = sandbox.config();
    let config = ferma_config(&sandbox.base_url())
        .login(c.login)
        .password(c.password)
        .proxy(Proxy::Url(proxy.url.clone()))
        .build()
        .unwrap();
    let client = FermaClient::new(config).unwrap();
    let result = client.fiscalize(Operation::Sell, &receipt("proxied-1"), Duration::from_secs(10)).unwrap();
    assert!(matches!(result.outcome, Outcome::Done(_)), "{result:?}");
    let port = sandbox.base_url().rsplit(':').next().unwrap().to_owned();
    let targets = proxy.targets.lock().unwrap().clone();
    assert!(!targets.is_empty() && targets.iter().all(|t| *t == format!("CONNECT 127.0.0.1:{port}")), "{targets:?}");
    assert_eq!(sandbox.registrations()["proxied-1"], 1);
}

#[test]
fn a_proxy_that_refuses_means_nothing_was_sent() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let proxy = ConnectProxy::start(true);
    let config = ferma_config(&sandbox.base_url()).proxy_str(&proxy.url).build().unwrap();
    let error = FermaClient::new(config).unwrap().sell(&receipt("refused-by-proxy")).unwrap_err();
    match &error {
        Error::Transport(t) => assert!(t.kind == TransportKind::Connect && !t.may_have_arrived, "{t}"),
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("proxy"), "{error}");
    assert_eq!(sandbox.stats().receipts_registered, 0);
}

#[test]
fn tls_through_a_proxy_with_a_private_ca() {
    let pki = make_pki();
    let server = tls_ferma(&pki);
    let proxy = ConnectProxy::start(false);
    let config = ferma_config(&server.url).proxy_str(&proxy.url).ca_bundle_pem(&pki.ca_pem).build().unwrap();
    let client = FermaClient::new(config).unwrap();
    assert_eq!(client.token().unwrap().expose(), "tls-token");
    assert_eq!(proxy.targets.lock().unwrap().len(), 1);
}
