//! The token answer's `timestamp` read either way Ferma may mean it (the
//! expiry, or the issue time), never a token per request; a token that is
//! not a string refused.

mod hostile;

use hostile::{ferma_config, moscow, Server};
use ofdkit::ErrorCode;
use ofdkit_client::FermaClient;

const UUID: &str = "6b2a3b1c-0000-4000-8000-000000000001";

/// A Ferma whose tokens carry `timestamp`, and whose reports are done.
fn ferma(timestamp: String) -> Server {
    Server::start(move |x| {
        if x.request.is_token() {
            x.token(&format!("tok-{:04}", x.nth), &timestamp);
        } else {
            x.done();
        }
    })
}

#[test]
fn one_token_serves_many_requests_whichever_time_the_timestamp_is() {
    for (form, timestamp) in [
        ("an expiry two hours ahead", moscow(2 * 3600)),
        ("the issue time, now", moscow(0)),
        ("the issue time, a minute ago", moscow(-60)),
        ("the issue time through a clock two minutes slow", moscow(120)),
    ] {
        let server = ferma(timestamp);
        let client = FermaClient::new(ferma_config(&server.url).build().unwrap()).unwrap();
        for _ in 0..5 {
            client.report(UUID).unwrap();
        }
        assert_eq!(server.count(|r| r.is_token()), 1, "{form}: a token per request");
    }
}

#[test]
fn a_refused_token_is_replaced_once() {
    let server = Server::start(|x| {
        if x.request.is_token() {
            x.token(&format!("tok-{:04}", x.nth), &moscow(0));
        } else if x.nth == 0 {
            x.respond(401, r#"{"status":"fail","error":{"code":12,"text":"Токен недействителен"}}"#);
        } else {
            x.done();
        }
    });
    let client = FermaClient::new(ferma_config(&server.url).build().unwrap()).unwrap();
    client.report(UUID).unwrap();
    assert_eq!(server.count(|r| r.is_token()), 2);
}

#[test]
fn a_token_that_is_not_a_string_is_refused() {
    let server =
        Server::start(|x| x.respond(200, &format!(r#"{{"error":null,"token":12345,"timestamp":"{}"}}"#, moscow(0))));
    let client = FermaClient::new(ferma_config(&server.url).build().unwrap()).unwrap();
    let error = client.token().unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnexpectedResponse);
    assert!(error.to_string().contains("not a string"), "{error}");
}
