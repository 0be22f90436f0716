//! Every blocking call ends by its deadline whatever the server does: a
//! hung token endpoint, a receipt endpoint that never answers, a report
//! that drips a byte at a time, a registration API that hangs. Behaviour,
//! not speed: a 2 s deadline must end the call in under 4 s.

mod hostile;

use std::sync::Arc;
use std::time::{Duration, Instant};

use hostile::{ferma_config, moscow, receipt, Exchange, Server};
use ofdkit::codes::Operation;
use ofdkit::protocol::ReceiptState;
use ofdkit_client::{Error, FermaClient, Outcome, RegistrationClient, RegistrationConfig, TransportKind};

const DEADLINE: Duration = Duration::from_secs(2);
const MARGIN: Duration = Duration::from_secs(2);

fn within_deadline<T>(what: &str, call: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = call();
    let took = started.elapsed();
    assert!(took < DEADLINE + MARGIN, "{what} took {took:?}");
    result
}

/// A Ferma whose token, receipt and report endpoints each do what they are given.
fn ferma(
    token: impl Fn(&mut Exchange<'_>) + Send + Sync + 'static,
    receipt: impl Fn(&mut Exchange<'_>) + Send + Sync + 'static,
    report: impl Fn(&mut Exchange<'_>) + Send + Sync + 'static,
) -> Server {
    Server::start(move |x| {
        if x.request.is_token() {
            token(x)
        } else if x.request.is_receipt() {
            receipt(x)
        } else {
            report(x)
        }
    })
}

fn good_token(x: &mut Exchange<'_>) {
    x.token("tok-0123456789", &moscow(86_400));
}

fn client(server: &Server) -> FermaClient {
    FermaClient::new(ferma_config(&server.url).call_timeout(DEADLINE).build().unwrap()).unwrap()
}

#[test]
fn a_hung_token_endpoint() {
    let server = ferma(|x| x.hang(), |x| x.registered("u-1"), |x| x.done());
    let client = client(&server);
    let error = within_deadline("send", || client.sell(&receipt("hung-token-1")).unwrap_err());
    match error {
        Error::Transport(t) => assert!(t.kind == TransportKind::Timeout && !t.may_have_arrived, "{t}"),
        other => panic!("{other:?}"),
    }
    within_deadline("fiscalize", || client.fiscalize(Operation::Sell, &receipt("hung-token-2"), DEADLINE).unwrap_err());
    // Threads waiting for another's token fetch wait no longer than their own deadline.
    let client = Arc::new(client);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || within_deadline("token", || client.token().unwrap_err()))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(server.count(|r| r.is_receipt()), 0, "no receipt went out without a token");
}

#[test]
fn a_receipt_endpoint_that_never_answers() {
    let server = ferma(good_token, |x| x.hang(), |x| x.done());
    let client = client(&server);
    let error = within_deadline("send", || client.sell(&receipt("hung-receipt-1")).unwrap_err());
    assert!(matches!(error, Error::OutcomeUnknown { sends: 1, .. }), "{error:?}");
    let result = within_deadline("fiscalize", || {
        client.fiscalize(Operation::Sell, &receipt("hung-receipt-2"), DEADLINE).unwrap()
    });
    assert!(matches!(result.outcome, Outcome::Unknown { registered: false, .. }), "{result:?}");
}

#[test]
fn a_report_endpoint_that_never_answers_or_drips() {
    for (name, report) in [
        ("hang", Box::new(|x: &mut Exchange<'_>| x.hang()) as Box<dyn Fn(&mut Exchange<'_>) + Send + Sync>),
        ("drip", Box::new(|x: &mut Exchange<'_>| x.drip())),
    ] {
        let server = ferma(good_token, |x| x.registered("6b2a3b1c-0000-4000-8000-000000000001"), report);
        let client = client(&server);
        let result = within_deadline(name, || {
            client.fiscalize(Operation::Sell, &receipt(&format!("slow-report-{name}")), DEADLINE).unwrap()
        });
        match result.outcome {
            Outcome::Unknown { registered: true, uuids, .. } => assert_eq!(uuids.len(), 1),
            other => panic!("{name}: {other:?}"),
        }
        within_deadline(name, || client.report("6b2a3b1c-0000-4000-8000-000000000001").unwrap_err());
        within_deadline(name, || client.wait("6b2a3b1c-0000-4000-8000-000000000001", DEADLINE).unwrap_err());
    }
}

#[test]
fn waiting_ends_by_the_deadline_while_the_receipt_is_pending() {
    let server = ferma(good_token, |x| x.registered("u-1"), |x| x.respond(200, r#"{"status":"wait","error":null}"#));
    let client = client(&server);
    let state = within_deadline("wait", || client.wait("6b2a3b1c-0000-4000-8000-000000000001", DEADLINE).unwrap());
    assert_eq!(state, ReceiptState::Pending);
}

#[test]
fn a_registration_api_that_hangs() {
    let server = Server::start(|x| x.hang());
    let config = RegistrationConfig::builder()
        .base_url(&server.url)
        .partner_base_url(&server.url)
        .auth_token("cabinet-token")
        .call_timeout(DEADLINE)
        .build()
        .unwrap();
    let client = RegistrationClient::new(config).unwrap();
    let id = "5fe3c011-3137-422f-bde8-893dbd41d326";
    within_deadline("get", || client.get(id).unwrap_err());
    within_deadline("wait_for_change", || client.wait_for_change(id, DEADLINE).unwrap_err());
    let error = within_deadline("prepare_documents", || client.prepare_documents(id).unwrap_err());
    // A request without a body that went out and was never answered: unknown, not refused.
    assert!(matches!(error, Error::OutcomeUnknown { external_id: None, .. }), "{error:?}");
}
