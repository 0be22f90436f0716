//! Every fault the sandbox can inject, on every Ferma endpoint a
//! fiscalisation goes through (token, receipt, report), met by
//! `fiscalize`: none lost (a registered receipt ends done or an explicit
//! unknown that says it is registered), none doubled (registered at most
//! once), none misreported (an error only when nothing was registered, a
//! failure only when Ferma refused or failed it, done only when it is).
//! `reject_application` acts on the registration API and is met in
//! `registration.rs`.

use std::time::{Duration, Instant};

use ofdkit::codes::{Operation, PaymentType, Sno, VatType};
use ofdkit::ferma::{Company, ItemSpec, ReceiptBuilder};
use ofdkit::protocol::PollPolicy;
use ofdkit_client::{FermaClient, FermaConfig, Outcome};
use ofdkit_sandbox::{Endpoint, Fault, FaultKind, Sandbox, SandboxConfig};

/// What `fiscalize` must end with for a fault, given whether Ferma holds
/// the receipt once the fault has acted.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expected {
    Done,
    /// Refused by the cashbox: nothing registered.
    Refused,
    /// Registered, and its fiscalisation failed.
    FailedAfterRegistration,
    /// Registered, but the answer that said so was lost: the client knows
    /// it holds the receipt (Ferma refuses the external_id as known) and
    /// has no uuid to follow.
    UnknownRegistered,
}

fn expected(endpoint: Endpoint, kind: &FaultKind) -> Expected {
    match (endpoint, kind) {
        (Endpoint::Receipt, FaultKind::CashboxError(_)) => Expected::Refused,
        (Endpoint::Receipt, FaultKind::FiscalisationFails) => Expected::FailedAfterRegistration,
        // The body went out and was processed; the answer is lost, so the
        // same request goes again and meets the known external_id.
        (Endpoint::Receipt, kind) if kind.is_after_processing() && !matches!(kind, FaultKind::Slow(_)) => {
            Expected::UnknownRegistered
        }
        // Before processing, a token, a report, a slow or delayed answer:
        // asking again is safe and ends the work.
        _ => Expected::Done,
    }
}

/// The kinds that act on a Ferma endpoint, with the endpoints they act on.
fn cases() -> Vec<(Endpoint, FaultKind)> {
    let mut cases = Vec::new();
    for kind in FaultKind::examples() {
        let endpoints: &[Endpoint] = match kind {
            FaultKind::CashboxError(_) | FaultKind::FiscalisationFails => &[Endpoint::Receipt],
            FaultKind::RejectApplication(_) => &[],
            _ => &[Endpoint::Token, Endpoint::Receipt, Endpoint::Report],
        };
        cases.extend(endpoints.iter().map(|e| (*e, kind.clone())));
    }
    cases
}

struct Case {
    endpoint: Endpoint,
    kind: FaultKind,
    outcome: Result<Outcome, String>,
    registrations: usize,
    took: Duration,
}

fn run(endpoint: Endpoint, kind: FaultKind, n: usize) -> Case {
    let sandbox = Sandbox::start(SandboxConfig::instant()).unwrap();
    // Twice, so that the fault also meets the client's first retry.
    sandbox.inject(Fault { endpoint, kind: kind.clone(), times: 2 });
    let config = sandbox.config();
    let client = FermaConfig::builder()
        .base_url(sandbox.base_url())
        .login(config.login)
        .password(config.password)
        .group_code(config.group_code)
        .request_timeout(Duration::from_millis(700))
        .retry_pause(Duration::from_millis(5))
        .poll(PollPolicy::new(Duration::from_millis(5), Duration::from_millis(50)))
        .build()
        .unwrap();
    let client = FermaClient::new(client).unwrap();
    let external_id = format!("every-fault-{n:02}");
    let request = ReceiptBuilder::new(
        Operation::Sell,
        &external_id,
        Company::new(Sno::Osn, "7825706086", "https://shop.example.ru"),
    )
    .client_email("buyer@example.ru")
    .item(ItemSpec::new("Чай", "100".parse().unwrap(), "1".parse().unwrap(), VatType::Vat20))
    .pay_rest(PaymentType::Electronic)
    .build()
    .unwrap()
    .value;
    let started = Instant::now();
    let outcome = client.fiscalize(Operation::Sell, &request, DEADLINE).map(|f| f.outcome).map_err(|e| e.to_string());
    let took = started.elapsed();
    let registrations = sandbox.registrations().get(&external_id).copied().unwrap_or(0);
    Case { endpoint, kind, outcome, registrations, took }
}

const DEADLINE: Duration = Duration::from_secs(8);

#[test]
fn every_fault_on_every_endpoint_ends_honestly() {
    let covered: Vec<&str> = cases().iter().map(|(_, k)| k.name()).chain(["reject_application"]).collect();
    for name in FaultKind::ALL_NAMES {
        assert!(covered.contains(name), "the fault {name} is met by no case");
    }

    // Two at a time: the hanging faults spend the request timeout.
    let cases = cases();
    let results: Vec<Case> = std::thread::scope(|scope| {
        let (first, second): (Vec<_>, Vec<_>) = cases.iter().enumerate().partition(|(n, _)| n % 2 == 0);
        let handles: Vec<_> = [first, second]
            .into_iter()
            .map(|half| {
                scope.spawn(move || {
                    half.into_iter().map(|(n, (endpoint, kind))| run(*endpoint, kind.clone(), n)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });

    let mut wrong = Vec::new();
    for case in &results {
        let summary = match &case.outcome {
            Ok(Outcome::Done(_)) => "done".to_owned(),
            Ok(Outcome::Failed(e)) => format!("failed ({:?})", e.code),
            Ok(Outcome::Unknown { registered, .. }) => format!("unknown, registered: {registered}"),
            Ok(other) => format!("{other:?}"),
            Err(e) => format!("error: {e}"),
        };
        println!(
            "{:>8?} {:<28} {:<40} registered {} in {:.1} s",
            case.endpoint,
            case.kind.name(),
            summary,
            case.registrations,
            case.took.as_secs_f64()
        );
        let honest = match (&case.outcome, expected(case.endpoint, &case.kind)) {
            (Ok(Outcome::Done(parts)), Expected::Done) => case.registrations == 1 && parts.len() == 1,
            (Ok(Outcome::Failed(_)), Expected::Refused) => case.registrations == 0,
            (Ok(Outcome::Failed(_)), Expected::FailedAfterRegistration) => case.registrations == 1,
            (Ok(Outcome::Unknown { registered: true, .. }), Expected::UnknownRegistered) => case.registrations == 1,
            _ => false,
        };
        // None doubled, and no call overran its deadline.
        if !honest || case.registrations > 1 || case.took > DEADLINE + Duration::from_secs(1) {
            wrong.push(format!("{:?} {}: {summary}", case.endpoint, case.kind.name()));
        }
    }
    assert!(wrong.is_empty(), "dishonest or late ends: {wrong:#?}");
}
