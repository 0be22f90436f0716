//! The Ferma client against the sandbox, over real HTTP on loopback: every
//! failure the client must handle has a test here.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use ofdkit::codes::{Code, FermaErrorCode, Operation, PaymentType, Sno, VatType};
use ofdkit::ferma::{Company, ItemSpec, ReceiptBuilder, ReceiptRequest, Service};
use ofdkit::protocol::{CashboxFilter, PollPolicy, ReceiptState};
use ofdkit::ErrorCode;
use ofdkit_client::{
    Error, FermaClient, FermaConfig, FermaConfigBuilder, Outcome, Recovery, Timeouts, TransportKind, Unclear,
};
use ofdkit_sandbox::{Endpoint, Fault, FaultKind, Sandbox, SandboxConfig};

/// A config for the sandbox, quick to retry and to poll.
fn config_for(sandbox: &Sandbox) -> FermaConfigBuilder {
    let config = sandbox.config();
    FermaConfig::builder()
        .base_url(sandbox.base_url())
        .login(config.login)
        .password(config.password)
        .group_code(config.group_code)
        .retry_pause(Duration::from_millis(10))
        .poll(PollPolicy::new(Duration::from_millis(10), Duration::from_millis(50)))
}

fn client_for(sandbox: &Sandbox) -> FermaClient {
    FermaClient::new(config_for(sandbox).build().unwrap()).unwrap()
}

fn start(config: SandboxConfig) -> (Sandbox, FermaClient) {
    let sandbox = Sandbox::start(config).unwrap();
    let client = client_for(&sandbox);
    (sandbox, client)
}

fn receipt(external_id: &str, items: usize) -> ReceiptRequest {
    let mut builder = ReceiptBuilder::new(
        Operation::Sell,
        external_id,
        Company::new(Sno::Osn, "7825706086", "https://shop.example.ru"),
    )
    .client_email("buyer@example.ru");
    for i in 0..items {
        builder = builder.item(ItemSpec::new(
            format!("Товар номер {i} с достаточно длинным наименованием"),
            "99.90".parse().unwrap(),
            "1".parse().unwrap(),
            VatType::Vat20,
        ));
    }
    builder.pay_rest(PaymentType::Electronic).build().unwrap().value
}

#[test]
fn sends_waits_and_gets_the_fiscal_requisites() {
    let (sandbox, client) =
        start(SandboxConfig { processing_delay: Duration::from_millis(100), ..SandboxConfig::instant() });
    let sent = client.sell(&receipt("e2e-1", 2)).unwrap();
    assert_eq!(sent.uuids.len(), 1);
    // Still processing at first.
    assert_eq!(client.report(&sent.uuids[0]).unwrap().state, ReceiptState::Pending);
    match client.wait(&sent.uuids[0], Duration::from_secs(5)).unwrap() {
        ReceiptState::Done(payload) => {
            assert_eq!(payload.total.unwrap().to_string(), "199.80");
            assert_eq!(payload.fiscal_document_number, Some(1));
            assert_eq!(payload.ecr_registration_number.as_deref(), Some("0007795807005569"));
        }
        other => panic!("{other:?}"),
    }
    // Fiscal numbers count up per cashbox: the second receipt goes to the
    // second cashbox, the third back to the first.
    for id in ["e2e-2", "e2e-3"] {
        client.sell(&receipt(id, 1)).unwrap();
    }
    assert_eq!(sandbox.stats().receipts_registered, 3);
    assert_eq!(sandbox.stats().tokens_issued, 1, "the token is cached");
}

#[test]
fn fiscalizes_every_operation() {
    let (_sandbox, client) = start(SandboxConfig::instant());
    for (i, operation) in Operation::ALL.iter().enumerate() {
        let mut request = receipt(&format!("op-{i}"), 1);
        if operation.is_correction() {
            let json = request.to_wire_json().replace(
                r#""receipt":{"#,
                r#""correction":{"correction_info":{"type":"self","base_date":"20.11.2026","base_number":"7"},"#,
            );
            request = ReceiptRequest::from_json_str(&json).unwrap();
        }
        let result = client.fiscalize(*operation, &request, Duration::from_secs(5)).unwrap();
        assert!(matches!(result.outcome, Outcome::Done(ref parts) if parts.len() == 1), "{operation}: {result:?}");
    }
}

#[test]
fn refreshes_an_expired_token_once_on_an_auth_error() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let sent = client.sell(&receipt("tok-1", 1)).unwrap();
    sandbox.expire_tokens();
    // The cached token is refused: the client gets a new one and repeats.
    client.report(&sent.uuids[0]).unwrap();
    assert_eq!(sandbox.stats().tokens_issued, 2);
}

#[test]
fn wrong_credentials_are_an_auth_error() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let config = config_for(&sandbox).password("wrong-password").build().unwrap();
    let client = FermaClient::new(config).unwrap();
    let error = client.sell(&receipt("auth-1", 1)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Auth);
    assert_eq!(error.api_error().unwrap().code, Some(12));
    assert!(!format!("{error} {error:?} {client:?}").contains("wrong-password"));
}

#[test]
fn a_failed_fiscalisation_is_a_failure() {
    let (sandbox, client) = start(SandboxConfig::instant());
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::FiscalisationFails));
    let result = client.fiscalize(Operation::Sell, &receipt("fail-1", 1), Duration::from_secs(5)).unwrap();
    match result.outcome {
        Outcome::Failed(error) => assert_eq!(error.kind, ErrorCode::Api),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_big_receipt_is_split_and_every_part_fiscalised() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let big = receipt("split-1", 200);
    assert!(ofdkit::ferma::wire_chars(&big) > 20_000);
    let sent = client.sell(&big).unwrap();
    assert!(sent.warnings.iter().any(|w| w.code.as_str() == "will_split"));
    assert!(sent.uuids.len() >= 2, "{:?}", sent.uuids);
    let result = client.fiscalize(Operation::Sell, &receipt("split-2", 200), Duration::from_secs(5)).unwrap();
    match result.outcome {
        Outcome::Done(parts) => {
            let total: i64 = parts.iter().map(|(_, p)| p.total.unwrap().kopecks()).sum();
            assert_eq!(total, 200 * 9990);
            assert!(parts.len() >= 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sandbox.registrations()["split-1"], 1);
}

#[test]
fn every_cashbox_error_is_typed() {
    let (sandbox, client) = start(SandboxConfig::instant());
    for code in 1070..=1080u32 {
        sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::CashboxError(code)));
        let error = client.sell(&receipt(&format!("cashbox-{code}"), 1)).unwrap_err();
        let api = error.api_error().unwrap_or_else(|| panic!("{code}: {error:?}"));
        assert_eq!(api.kind, ErrorCode::Cashbox, "{code}");
        assert_eq!(api.code, Some(i64::from(code)));
        assert_eq!(api.name.as_deref(), FermaErrorCode::from_number(code).unwrap().symbol());
        // Refused receipts are not registered: the same external_id goes through later.
        client.sell(&receipt(&format!("cashbox-{code}"), 1)).unwrap();
    }
}

#[test]
fn a_known_external_id_is_a_duplicate_and_recovers_as_registered() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let request = receipt("dup-1", 1);
    client.sell(&request).unwrap();
    let error = client.sell(&request).unwrap_err();
    assert_eq!(error.code(), ErrorCode::DuplicateExternalId);
    assert_eq!(
        client.recover(Operation::Sell, &request).unwrap(),
        Recovery::AlreadyRegistered { external_id: "dup-1".into() }
    );
    assert_eq!(sandbox.registrations()["dup-1"], 1);
}

#[test]
fn a_callback_reaches_a_listener() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/ferma/callback", listener.local_addr().unwrap().port());
    let received = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        reader.get_mut().write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").unwrap();
        body
    });
    let (sandbox, client) =
        start(SandboxConfig { processing_delay: Duration::from_millis(50), ..SandboxConfig::instant() });
    let mut request = receipt("cb-1", 1);
    request.service = Some(Service { callback_url: Some(url), ..Service::default() });
    let sent = client.sell(&request).unwrap();
    let body = received.join().unwrap();
    let outcome = FermaClient::parse_callback(&body).unwrap();
    assert_eq!(outcome.report.uuid.as_deref(), Some(sent.uuids[0].as_str()));
    assert!(matches!(outcome.state, ReceiptState::Done(_)));
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(sandbox.stats().callbacks_delivered, 1);
}

fn impatient(sandbox: &Sandbox) -> FermaClient {
    let timeouts = Timeouts::new(Duration::from_millis(500), Duration::from_millis(200), Duration::from_secs(10));
    FermaClient::new(config_for(sandbox).timeouts(timeouts).build().unwrap()).unwrap()
}

#[test]
fn a_timeout_after_sending_is_an_unknown_outcome_never_a_second_send() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let client = impatient(&sandbox);
    client.token().unwrap();
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::Delay(Duration::from_millis(600))));
    let request = receipt("slow-1", 1);
    match client.sell(&request).unwrap_err() {
        Error::OutcomeUnknown { external_id, sends, cause: Unclear::Transport(cause), .. } => {
            assert_eq!((external_id.as_deref(), sends), (Some("slow-1"), 1));
            assert_eq!(cause.kind, TransportKind::Timeout);
            assert!(cause.may_have_arrived);
        }
        other => panic!("{other:?}"),
    }
    std::thread::sleep(Duration::from_millis(500));
    // The server did register it, once; the client did not send it again.
    assert_eq!(sandbox.registrations()["slow-1"], 1);
    assert_eq!(sandbox.stats().receipts_registered, 1);
    assert_eq!(
        client.recover(Operation::Sell, &request).unwrap(),
        Recovery::AlreadyRegistered { external_id: "slow-1".into() }
    );
}

#[test]
fn a_slow_report_is_asked_again_and_a_dead_one_times_out() {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    let client = impatient(&sandbox);
    let sent = client.sell(&receipt("slow-report", 1)).unwrap();
    sandbox.inject(Fault::once(Endpoint::Report, FaultKind::Delay(Duration::from_millis(600))));
    assert!(matches!(client.report(&sent.uuids[0]).unwrap().state, ReceiptState::Done(_)));
    sandbox.inject(Fault { endpoint: Endpoint::Report, kind: FaultKind::Delay(Duration::from_millis(600)), times: 10 });
    let error = client.report(&sent.uuids[0]).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Timeout);
}

#[test]
fn a_dropped_connection_is_recovered_without_doubling() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let before = receipt("drop-before", 1);
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::DropBeforeProcessing));
    assert!(matches!(client.sell(&before).unwrap_err(), Error::OutcomeUnknown { .. }));
    assert!(matches!(client.recover(Operation::Sell, &before).unwrap(), Recovery::Sent(_)));

    let after = receipt("drop-after", 1);
    sandbox.inject(Fault::once(Endpoint::Receipt, FaultKind::DropAfterProcessing));
    assert!(matches!(client.sell(&after).unwrap_err(), Error::OutcomeUnknown { .. }));
    assert!(matches!(client.recover(Operation::Sell, &after).unwrap(), Recovery::AlreadyRegistered { .. }));
    let registrations = sandbox.registrations();
    assert_eq!((registrations["drop-before"], registrations["drop-after"]), (1, 1));
}

#[test]
fn a_body_that_is_not_json_is_a_protocol_error_with_its_first_bytes() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let sent = client.sell(&receipt("garbage-1", 1)).unwrap();
    // A gateway's 5xx page on a read is asked again: once is no failure…
    sandbox.inject(Fault::once(Endpoint::Report, FaultKind::Garbage(502)));
    assert!(client.report(&sent.uuids[0]).is_ok());
    // …and on every attempt the last one is reported.
    let attempts = client.config().attempts;
    sandbox.inject(Fault { endpoint: Endpoint::Report, kind: FaultKind::Garbage(502), times: attempts });
    match client.report(&sent.uuids[0]).unwrap_err() {
        Error::Core(ofdkit::Error::Protocol(p)) => {
            assert_eq!(p.kind, ErrorCode::HttpStatus);
            assert!(p.body_start.starts_with("<html>"), "{}", p.body_start);
        }
        other => panic!("{other:?}"),
    }
    sandbox.inject(Fault::once(Endpoint::Report, FaultKind::Garbage(200)));
    assert_eq!(client.report(&sent.uuids[0]).unwrap_err().code(), ErrorCode::UnexpectedResponse);
}

#[test]
fn an_unreachable_server_is_a_connect_error_after_the_safe_retries() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = FermaConfig::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .login("l")
        .password("p")
        .group_code("1")
        .retry_pause(Duration::from_millis(5))
        .build()
        .unwrap();
    let client = FermaClient::new(config).unwrap();
    let error = client.sell(&receipt("nowhere-1", 1)).unwrap_err();
    match error {
        Error::Transport(t) => {
            assert_eq!(t.kind, TransportKind::Connect);
            assert!(!t.may_have_arrived);
            assert_eq!(t.attempts, 3, "{t}");
            assert!(t.to_string().contains("3 attempts") && t.to_string().contains("nothing was sent"), "{t}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_invalid_receipt_is_never_sent() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let mut request = receipt("invalid-1", 1);
    request.receipt.company.inn = "1234567891".into();
    let error = client.sell(&request).unwrap_err();
    let violations = error.violations().unwrap();
    assert!(violations.iter().any(|v| v.path == "receipt.company.inn" && v.code.as_str() == "inn_checksum"));
    assert_eq!(sandbox.stats().receipts_registered, 0);
    assert_eq!(sandbox.stats().tokens_issued, 0, "not even a token was asked for");
}

#[test]
fn cashbox_statistics_with_filters() {
    let (_sandbox, client) = start(SandboxConfig::instant());
    let all = client.cashbox_stats(&CashboxFilter::default()).unwrap();
    assert_eq!(all.data.as_ref().unwrap().len(), 2);
    let one = client
        .cashbox_stats(&CashboxFilter { registration_number: Some("0007795807005569".into()), ..Default::default() })
        .unwrap();
    let data = one.data.unwrap();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0].kkt_state.as_ref().and_then(|s| s.known()), Some(ofdkit::codes::KktState::Ready));
}

#[test]
fn one_client_serves_eight_threads() {
    let (sandbox, client) = start(SandboxConfig::instant());
    let client = Arc::new(client);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let client = client.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    let result = client
                        .fiscalize(Operation::Sell, &receipt(&format!("t{t}-{i}"), 1), Duration::from_secs(5))
                        .unwrap();
                    assert!(matches!(result.outcome, Outcome::Done(_)));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(sandbox.stats().receipts_registered, 80);
    assert_eq!(sandbox.stats().tokens_issued, 1);
}

#[test]
fn secrets_never_show() {
    let (_sandbox, client) = start(SandboxConfig::instant());
    let token = client.token().unwrap();
    let shown = format!("{client:?} {:?} {token:?} {token}", client.config());
    assert!(!shown.contains("Go2999483Mb"), "{shown}");
    assert!(!shown.contains(token.expose()), "{shown}");
}
