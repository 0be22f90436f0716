//! HTTPS: a CA made in the test, the sandbox served with a leaf from it,
//! and a client that trusts exactly that CA.

mod common;

use std::sync::Arc;
use std::time::Duration;

use ofdkit_sandbox::{Sandbox, SandboxConfig, TestCa, TlsIdentity};
use serde_json::{json, Value};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn trusting(ca: Option<&TestCa>) -> ureq::Agent {
    let roots = match ca {
        Some(ca) => RootCerts::Specific(Arc::new(vec![Certificate::from_der(&ca.cert_der()).to_owned()])),
        None => RootCerts::WebPki,
    };
    ureq::Agent::config_builder()
        .tls_config(TlsConfig::builder().root_certs(roots).build())
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn https_sandbox(ca: &TestCa) -> Sandbox {
    let tls = ca.issue(&["127.0.0.1", "localhost"]);
    Sandbox::start(SandboxConfig { tls: Some(tls), ..SandboxConfig::instant() }).unwrap()
}

#[test]
fn a_client_trusting_the_test_ca_gets_tokens_and_receipts_over_https() {
    let ca = TestCa::new();
    let sandbox = https_sandbox(&ca);
    assert!(sandbox.base_url().starts_with("https://127.0.0.1:"), "{}", sandbox.base_url());
    let agent = trusting(Some(&ca));
    // Both the IP address and the name are in the certificate.
    for (n, base) in [sandbox.base_url(), format!("https://localhost:{}", sandbox.port())].iter().enumerate() {
        let config = sandbox.config();
        let body = json!({"login": config.login, "pass": config.password}).to_string();
        let mut response = agent.post(format!("{base}/possystem/v1/getToken")).send(&body).unwrap();
        assert_eq!(response.status(), 200);
        let token: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
        let token = token["token"].as_str().unwrap();
        let receipt = common::receipt(&format!("tls-{n}"), 1);
        let mut response = agent.post(format!("{base}/possystem/v1/1/sell?token={token}")).send(&receipt).unwrap();
        assert_eq!(response.status(), 200, "{}", response.body_mut().read_to_string().unwrap());
    }
    assert_eq!(sandbox.stats().receipts_registered, 2);
}

#[test]
fn strangers_to_the_ca_and_plain_http_are_turned_away() {
    let ca = TestCa::new();
    let sandbox = https_sandbox(&ca);
    let url = format!("{}/sandbox/stats", sandbox.base_url());
    // The public roots do not know the test CA, nor does another test CA.
    let err = trusting(None).get(&url).call().unwrap_err();
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    assert!(trusting(Some(&TestCa::new())).get(&url).call().is_err());
    // Plain HTTP on the TLS port gets no answer.
    let plain = format!("http://127.0.0.1:{}/sandbox/stats", sandbox.port());
    assert!(common::agent().get(&plain).call().is_err());
    // The sandbox still serves the right client afterwards.
    assert_eq!(trusting(Some(&ca)).get(&url).call().unwrap().status(), 200);
}

#[test]
fn a_silent_tls_client_is_let_go_by_the_header_timeout() {
    let ca = TestCa::new();
    let sandbox = Sandbox::start(SandboxConfig {
        tls: Some(ca.issue(&["127.0.0.1"])),
        header_read_timeout: Duration::from_millis(300),
        ..SandboxConfig::instant()
    })
    .unwrap();
    let mut silent = common::send_raw(&sandbox, b"");
    assert!(common::closed_within(&mut silent, Duration::from_secs(3)), "a handshake that never came held on");
    assert!(common::eventually(Duration::from_secs(2), || sandbox.stats().header_timeouts == 1));
}

#[test]
fn a_bad_identity_is_refused_at_start() {
    let identity = TlsIdentity::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "");
    let err = Sandbox::start(SandboxConfig { tls: Some(identity), ..SandboxConfig::instant() }).err().unwrap();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().starts_with("tls: "), "{err}");
}

#[test]
fn the_binary_serves_https_from_pem_files() {
    let ca = TestCa::new();
    let identity = ca.issue(&["127.0.0.1"]);
    let dir = std::env::temp_dir().join(format!("ofdkit-sandbox-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("chain.pem"), dir.join("key.pem"));
    std::fs::write(&cert, &identity.cert_chain_pem).unwrap();
    std::fs::write(&key, &identity.key_pem).unwrap();
    let binary = common::Binary::start(&[
        "--port".as_ref(),
        "0".as_ref(),
        "--tls-cert".as_ref(),
        cert.as_os_str(),
        "--tls-key".as_ref(),
        key.as_os_str(),
    ]);
    let answered = trusting(Some(&ca)).get(format!("{}/sandbox/stats", binary.base_url)).call();
    drop(binary);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(answered.unwrap().status(), 200);
}
