//! Not sent, sent and known, or unknown: each hostile answer a receipt can
//! meet, from servers that do exactly that, and what the client makes of
//! it. A receipt whose answer was unclear goes out again only with its own
//! external_id, and every send is counted.

mod hostile;

use std::time::{Duration, Instant};

use hostile::{ferma_config, moscow, receipt, Exchange, Server, LOGIN, PASSWORD};
use ofdkit::codes::Operation;
use ofdkit::ErrorCode;
use ofdkit_client::{Error, FermaClient, Outcome, Recovery, TransportKind, Unclear};

/// A Ferma whose token endpoint works and whose receipt endpoint does `receipt`.
fn ferma(receipt: impl Fn(&mut Exchange<'_>) + Send + Sync + 'static) -> Server {
    Server::start(move |x| {
        if x.request.is_token() {
            x.token("tok-0123456789", &moscow(86_400));
        } else if x.request.is_receipt() {
            receipt(x);
        } else if x.request.is_report() {
            x.done();
        } else {
            x.respond(404, "{}");
        }
    })
}

fn client(server: &Server) -> FermaClient {
    FermaClient::new(ferma_config(&server.url).build().unwrap()).unwrap()
}

fn receipts_sent(server: &Server) -> Vec<String> {
    server.requests().iter().filter(|r| r.is_receipt()).map(|r| r.body_text()).collect()
}

#[test]
fn a_5xx_after_the_body_went_out_is_unknown_and_recovered_by_the_external_id() {
    for status in [500, 502, 503, 504] {
        // The first send is processed and its answer replaced by a gateway
        // error; a second send meets Ferma's refusal of a known external_id.
        let gateway = move |x: &mut Exchange<'_>| match x.nth {
            0 => x.respond(status, "<html><body>Gateway Timeout</body></html>"),
            _ => x.duplicate(),
        };
        let server = ferma(gateway);
        let id = format!("gw-{status}");
        match client(&server).sell(&receipt(&id)).unwrap_err() {
            Error::OutcomeUnknown { external_id, sends: 1, cause: Unclear::Answer(answer), .. } => {
                assert_eq!(external_id.as_deref(), Some(id.as_str()));
                assert_eq!(answer.http_status, status);
            }
            other => panic!("{status}: {other:?}"),
        }
        assert_eq!(receipts_sent(&server).len(), 1, "send does not repeat what went out");

        // fiscalize recovers: the refusal is the proof it exists, never a failure.
        let server = ferma(gateway);
        let result = client(&server).fiscalize(Operation::Sell, &receipt(&id), Duration::from_secs(10)).unwrap();
        match result.outcome {
            Outcome::Unknown { registered: true, reason, .. } => {
                assert!(reason.contains("registered by an earlier send") && reason.contains("sent 2 times"), "{reason}")
            }
            other => panic!("{status}: {other:?}"),
        }
        let sent = receipts_sent(&server);
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|body| body.contains(&format!("\"external_id\":\"{id}\""))), "{sent:?}");
    }
}

#[test]
fn a_truncated_or_unreadable_200_is_unknown() {
    let cut = ferma(|x| x.truncated(r#"{"uuid":"8c1b"#));
    let error = client(&cut).sell(&receipt("cut-1")).unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { cause: Unclear::Transport(_), .. }), "{error:?}");
    assert_eq!(error.code(), ErrorCode::OutcomeUnknown);

    let garbage = ferma(|x| x.respond(200, "<html>maintenance</html>"));
    let error = client(&garbage).sell(&receipt("garbage-1")).unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { cause: Unclear::Answer(_), .. }), "{error:?}");
}

#[test]
fn a_refusal_is_known_and_nothing_is_sent_again() {
    let server = ferma(|x| {
        x.respond(400, r#"{"status":"fail","error":{"code":1073,"text":"Касса заархивирована","type":"system"}}"#)
    });
    let client = client(&server);
    let error = client.sell(&receipt("refused-1")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Cashbox);
    let result = client.fiscalize(Operation::Sell, &receipt("refused-2"), Duration::from_secs(5)).unwrap();
    assert!(matches!(result.outcome, Outcome::Failed(ref e) if e.code == Some(1073)), "{result:?}");
    assert_eq!(receipts_sent(&server).len(), 2);
}

#[test]
fn a_dropped_connection_is_recovered_and_a_new_registration_is_taken() {
    // Dropped before Ferma acted: the recovery send is the one that registers it.
    let server = ferma(|x| match x.nth {
        0 => x.drop_connection(),
        _ => x.registered("6b2a3b1c-0000-4000-8000-000000000001"),
    });
    let client = client(&server);
    let result = client.fiscalize(Operation::Sell, &receipt("drop-1"), Duration::from_secs(10)).unwrap();
    assert!(matches!(result.outcome, Outcome::Done(ref parts) if parts.len() == 1), "{result:?}");
    assert_eq!(receipts_sent(&server).len(), 2);
}

#[test]
fn an_endless_body_is_unknown_and_every_send_is_counted() {
    let server = ferma(|x| x.endless_body());
    let client = client(&server);
    let started = Instant::now();
    let error = client.sell(&receipt("endless-1")).unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { sends: 1, .. }), "{error:?}");
    assert_eq!(receipts_sent(&server).len(), 1);
    let result = client.fiscalize(Operation::Sell, &receipt("endless-2"), Duration::from_secs(20)).unwrap();
    match &result.outcome {
        Outcome::Unknown { registered: false, reason, .. } => {
            assert!(reason.contains("sent 3 times"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // 1 send, then fiscalize's 3 (the configured attempts): no more, and the message says so.
    let sent = receipts_sent(&server);
    assert_eq!(sent.len(), 4, "{} sends", sent.len());
    assert_eq!(sent.iter().filter(|b| b.contains("endless-2")).count(), 3);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn recovery_stops_at_the_attempts_and_says_how_many_sends() {
    let server = ferma(|x| x.respond(502, "<html>Bad Gateway</html>"));
    let config = ferma_config(&server.url).attempts(2).build().unwrap();
    let client = FermaClient::new(config).unwrap();
    let result = client.fiscalize(Operation::Sell, &receipt("bad-gw"), Duration::from_secs(10)).unwrap();
    match result.outcome {
        Outcome::Unknown { registered: false, reason, .. } => {
            assert!(reason.contains("sent 2 times") && reason.contains("502"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(receipts_sent(&server).len(), 2);
}

#[test]
fn a_name_that_does_not_resolve_is_not_sent() {
    let config = ferma_config("https://nonexistent.invalid")
        .connect_timeout(Duration::from_secs(2))
        .call_timeout(Duration::from_secs(5))
        .retry_pause(Duration::from_millis(1))
        .build()
        .unwrap();
    let client = FermaClient::new(config).unwrap();
    let started = Instant::now();
    for error in [
        client.sell(&receipt("dns-1")).unwrap_err(),
        client.fiscalize(Operation::Sell, &receipt("dns-2"), Duration::from_secs(5)).unwrap_err(),
    ] {
        match &error {
            Error::Transport(t) => {
                assert!(!t.may_have_arrived, "{t}");
                assert!(matches!(t.kind, TransportKind::Connect | TransportKind::Timeout), "{t}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!error.is_outcome_unknown());
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }
    assert!(started.elapsed() < Duration::from_secs(12));
}

#[test]
fn a_refused_connection_is_not_sent_and_says_so() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = ferma_config(&format!("http://127.0.0.1:{port}")).retry_pause(Duration::from_millis(1));
    let error = FermaClient::new(config.build().unwrap()).unwrap().sell(&receipt("refused")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Connect);
    assert!(error.to_string().contains("refused") && error.to_string().contains("nothing was sent"), "{error}");
}

#[test]
fn recover_after_an_unknown_outcome_finds_the_receipt() {
    let server = ferma(|x| match x.nth {
        0 => x.drop_connection(),
        _ => x.duplicate(),
    });
    let client = client(&server);
    let request = receipt("lost-1");
    assert!(matches!(client.sell(&request).unwrap_err(), Error::OutcomeUnknown { .. }));
    assert_eq!(
        client.recover(Operation::Sell, &request).unwrap(),
        Recovery::AlreadyRegistered { external_id: "lost-1".into() }
    );
}

#[test]
fn a_server_that_echoes_the_request_shows_no_secret() {
    // A proxy that answers every request with the request itself.
    let server = Server::start(|x| {
        let echo = format!("{} {} {}", x.request.method, x.request.target, x.request.body_text());
        if x.request.is_token() && x.nth == 0 {
            x.respond(502, &echo);
        } else if x.request.is_token() {
            x.token("tok-9876543210", &moscow(86_400));
        } else {
            x.respond(502, &format!("{echo}{}", " ".repeat(200)));
        }
    });
    let client = FermaClient::new(ferma_config(&server.url).attempts(1).build().unwrap()).unwrap();
    let token_error = client.token().unwrap_err();
    let token = client.token().unwrap();
    let receipt_error = client.sell(&receipt("echo-1")).unwrap_err();
    let report_error = client.report("6b2a3b1c-0000-4000-8000-000000000001").unwrap_err();
    for error in [token_error, receipt_error, report_error] {
        let shown = format!("{error} {error:?}");
        for secret in [LOGIN, PASSWORD, token.expose()] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("***"), "{shown}");
    }
}
