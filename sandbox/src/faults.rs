//! Failure injection: faults queued for the next requests of an endpoint,
//! and connections dropped at a configured rate, decided by a seeded
//! generator so that a test sees the same run every time.

use std::time::Duration;

/// Which requests a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Token,
    /// Creating a receipt.
    Receipt,
    Report,
    CashboxStats,
    /// Any request of the registration API.
    Registration,
    Any,
}

/// What happens to a request a fault catches.
///
/// "Before processing" faults answer (or not) instead of the handler: the
/// request has no effect, no receipt is registered. "After processing"
/// faults let the handler run (a receipt is registered, a token issued)
/// and then spoil the answer: the client cannot know what happened and
/// must ask. Each kind has a JSON name ([`FaultKind::name`], listed in
/// [`FaultKind::ALL_NAMES`]) for `POST /sandbox/faults`.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// `cashbox_error` (`code`): Ferma's cashbox error (1070–1080) instead
    /// of registering the receipt. Receipts only.
    CashboxError(u32),
    /// `fiscalisation_fails`: the receipt is registered and then fails to
    /// fiscalise (`fail`). Receipts only.
    FiscalisationFails,
    /// `delay` (`ms`): wait this long before answering.
    Delay(Duration),
    /// `drop_before_processing`: close the connection after reading the
    /// body, without processing.
    DropBeforeProcessing,
    /// `drop_after_processing`: process the request, then close the
    /// connection without answering.
    DropAfterProcessing,
    /// `garbage` (`status`, default 502): answer with this status and a
    /// body that is not JSON, without processing.
    Garbage(u16),
    /// `reject_application` (`reason`): the next application the FNS sees
    /// is rejected for this reason. Registration only.
    RejectApplication(String),
    /// `error_before_processing` (`status`, 500–599, default 503): a proxy's
    /// error page with this status, without processing.
    ErrorBeforeProcessing(u16),
    /// `error_after_processing` (`status`, 500–599, default 502): process
    /// the request, then answer a proxy's error page with this status.
    ErrorAfterProcessing(u16),
    /// `truncated_after_processing`: process the request, then send 200
    /// with a `Content-Length` of the whole answer, half of the body, and
    /// close the connection.
    TruncatedAfterProcessing,
    /// `endless_after_processing`: process the request, then send 200 with
    /// a chunked body that never ends (it stops when the client closes, or
    /// stops reading for `write_timeout`).
    EndlessAfterProcessing,
    /// `hang_before_processing`: read the request and never answer,
    /// keeping the connection open until the client closes it (or the
    /// sandbox stops). Nothing is processed.
    HangBeforeProcessing,
    /// `hang_after_processing`: process the request, then never answer.
    HangAfterProcessing,
    /// `slow` (`ms`): process the request and send the headers at once,
    /// then the body in ten pieces spread over this time.
    Slow(Duration),
}

impl FaultKind {
    /// The JSON name of every kind, for tests that go through them all.
    pub const ALL_NAMES: &'static [&'static str] = &[
        "cashbox_error",
        "fiscalisation_fails",
        "delay",
        "drop_before_processing",
        "drop_after_processing",
        "garbage",
        "reject_application",
        "error_before_processing",
        "error_after_processing",
        "truncated_after_processing",
        "endless_after_processing",
        "hang_before_processing",
        "hang_after_processing",
        "slow",
    ];

    /// The kind's JSON name.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::CashboxError(_) => "cashbox_error",
            FaultKind::FiscalisationFails => "fiscalisation_fails",
            FaultKind::Delay(_) => "delay",
            FaultKind::DropBeforeProcessing => "drop_before_processing",
            FaultKind::DropAfterProcessing => "drop_after_processing",
            FaultKind::Garbage(_) => "garbage",
            FaultKind::RejectApplication(_) => "reject_application",
            FaultKind::ErrorBeforeProcessing(_) => "error_before_processing",
            FaultKind::ErrorAfterProcessing(_) => "error_after_processing",
            FaultKind::TruncatedAfterProcessing => "truncated_after_processing",
            FaultKind::EndlessAfterProcessing => "endless_after_processing",
            FaultKind::HangBeforeProcessing => "hang_before_processing",
            FaultKind::HangAfterProcessing => "hang_after_processing",
            FaultKind::Slow(_) => "slow",
        }
    }

    /// One fault of every kind with typical parameters (in the order of
    /// [`FaultKind::ALL_NAMES`]), for tests that go through them all.
    pub fn examples() -> Vec<FaultKind> {
        vec![
            FaultKind::CashboxError(1073),
            FaultKind::FiscalisationFails,
            FaultKind::Delay(Duration::from_millis(200)),
            FaultKind::DropBeforeProcessing,
            FaultKind::DropAfterProcessing,
            FaultKind::Garbage(502),
            FaultKind::RejectApplication("Отказ ФНС".to_owned()),
            FaultKind::ErrorBeforeProcessing(503),
            FaultKind::ErrorAfterProcessing(502),
            FaultKind::TruncatedAfterProcessing,
            FaultKind::EndlessAfterProcessing,
            FaultKind::HangBeforeProcessing,
            FaultKind::HangAfterProcessing,
            FaultKind::Slow(Duration::from_millis(200)),
        ]
    }

    /// Whether the request's handler runs before this fault acts: after it,
    /// a receipt may be registered although the client sees no answer.
    pub fn is_after_processing(&self) -> bool {
        matches!(
            self,
            FaultKind::DropAfterProcessing
                | FaultKind::ErrorAfterProcessing(_)
                | FaultKind::TruncatedAfterProcessing
                | FaultKind::EndlessAfterProcessing
                | FaultKind::HangAfterProcessing
                | FaultKind::Slow(_)
        )
    }

    /// The kind's parameters as `POST /sandbox/faults` takes them, merged
    /// into `{"fault": name}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({"fault": self.name()});
        match self {
            FaultKind::CashboxError(code) => v["code"] = (*code).into(),
            FaultKind::Delay(d) | FaultKind::Slow(d) => {
                v["ms"] = u64::try_from(d.as_millis()).unwrap_or(u64::MAX).into()
            }
            FaultKind::Garbage(status)
            | FaultKind::ErrorBeforeProcessing(status)
            | FaultKind::ErrorAfterProcessing(status) => v["status"] = (*status).into(),
            FaultKind::RejectApplication(reason) => v["reason"] = reason.clone().into(),
            _ => {}
        }
        v
    }
}

/// A fault and how many more requests it catches.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub endpoint: Endpoint,
    pub kind: FaultKind,
    pub times: u32,
}

/// Why `POST /sandbox/faults` refused a fault.
pub(crate) const FAULT_SYNTAX: &str = "expected {\"fault\": NAME, \"endpoint\"?: token|receipt|report|cashbox_stats|registration|any, \"times\"?: N, \"code\"? (cashbox_error: 1070-1080), \"ms\"? (delay, slow), \"status\"? (garbage: 100-599, error_*: 500-599), \"reason\"? (reject_application)}";

impl Fault {
    pub fn once(endpoint: Endpoint, kind: FaultKind) -> Self {
        Fault { endpoint, kind, times: 1 }
    }

    /// A fault as the control endpoint `POST /sandbox/faults` and the
    /// bindings take it: `{"endpoint": "receipt", "fault": "cashbox_error",
    /// "code": 1073, "times": 2}`; `None` when it is not one. `endpoint`
    /// defaults to `any`, `times` to 1.
    pub fn from_json(v: &serde_json::Value) -> Option<Fault> {
        let endpoint = match v["endpoint"].as_str().unwrap_or("any") {
            "token" => Endpoint::Token,
            "receipt" => Endpoint::Receipt,
            "report" => Endpoint::Report,
            "cashbox_stats" => Endpoint::CashboxStats,
            "registration" => Endpoint::Registration,
            "any" => Endpoint::Any,
            _ => return None,
        };
        let status = |default: u64, range: std::ops::RangeInclusive<u16>| {
            u16::try_from(v["status"].as_u64().unwrap_or(default)).ok().filter(|s| range.contains(s))
        };
        let kind = match v["fault"].as_str()? {
            "cashbox_error" => FaultKind::CashboxError(u32::try_from(v["code"].as_u64()?).ok()?),
            "fiscalisation_fails" => FaultKind::FiscalisationFails,
            "delay" => FaultKind::Delay(Duration::from_millis(v["ms"].as_u64()?)),
            "drop_before_processing" => FaultKind::DropBeforeProcessing,
            "drop_after_processing" => FaultKind::DropAfterProcessing,
            "garbage" => FaultKind::Garbage(status(502, 100..=599)?),
            "reject_application" => {
                FaultKind::RejectApplication(v["reason"].as_str().unwrap_or("Отказ ФНС").to_owned())
            }
            "error_before_processing" => FaultKind::ErrorBeforeProcessing(status(503, 500..=599)?),
            "error_after_processing" => FaultKind::ErrorAfterProcessing(status(502, 500..=599)?),
            "truncated_after_processing" => FaultKind::TruncatedAfterProcessing,
            "endless_after_processing" => FaultKind::EndlessAfterProcessing,
            "hang_before_processing" => FaultKind::HangBeforeProcessing,
            "hang_after_processing" => FaultKind::HangAfterProcessing,
            "slow" => FaultKind::Slow(Duration::from_millis(v["ms"].as_u64()?)),
            _ => return None,
        };
        let times = u32::try_from(v["times"].as_u64().unwrap_or(1)).ok()?;
        Some(Fault { endpoint, kind, times })
    }
}

/// The faults waiting, and the generator for random drops.
#[derive(Debug)]
pub(crate) struct Faults {
    queue: Vec<Fault>,
    rng: u64,
}

impl Faults {
    pub(crate) fn new(seed: u64) -> Self {
        Faults { queue: Vec::new(), rng: seed.max(1) }
    }

    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.queue.push(fault);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.queue.clear();
    }

    /// Takes the first fault for `endpoint` that `accept` wants, if any.
    pub(crate) fn take(&mut self, endpoint: Endpoint, accept: impl Fn(&FaultKind) -> bool) -> Option<FaultKind> {
        let i = self
            .queue
            .iter()
            .position(|f| (f.endpoint == endpoint || f.endpoint == Endpoint::Any) && accept(&f.kind))?;
        let fault = &mut self.queue[i];
        let kind = fault.kind.clone();
        fault.times -= 1;
        if fault.times == 0 {
            self.queue.remove(i);
        }
        Some(kind)
    }

    /// xorshift64*: a uniform number in [0, 1).
    pub(crate) fn random(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_in_order_and_counted() {
        let mut f = Faults::new(7);
        f.push(Fault { endpoint: Endpoint::Receipt, kind: FaultKind::CashboxError(1073), times: 2 });
        f.push(Fault::once(Endpoint::Any, FaultKind::Garbage(502)));
        assert_eq!(f.take(Endpoint::Report, |_| true), Some(FaultKind::Garbage(502)));
        assert_eq!(f.take(Endpoint::Receipt, |_| true), Some(FaultKind::CashboxError(1073)));
        assert_eq!(f.take(Endpoint::Receipt, |_| true), Some(FaultKind::CashboxError(1073)));
        assert_eq!(f.take(Endpoint::Receipt, |_| true), None);
    }

    #[test]
    fn every_kind_has_a_name_that_parses_back() {
        let examples = FaultKind::examples();
        let names: Vec<&str> = examples.iter().map(FaultKind::name).collect();
        assert_eq!(names, FaultKind::ALL_NAMES);
        for kind in examples {
            let mut json = kind.to_json();
            json["endpoint"] = "receipt".into();
            json["times"] = 3.into();
            assert_eq!(Fault::from_json(&json), Some(Fault { endpoint: Endpoint::Receipt, kind, times: 3 }));
        }
    }

    #[test]
    fn statuses_out_of_range_are_refused() {
        let parse = |v: serde_json::Value| Fault::from_json(&v).map(|f| f.kind);
        assert_eq!(
            parse(serde_json::json!({"fault": "error_before_processing"})),
            Some(FaultKind::ErrorBeforeProcessing(503))
        );
        assert_eq!(parse(serde_json::json!({"fault": "error_after_processing", "status": 200})), None);
        assert_eq!(parse(serde_json::json!({"fault": "garbage", "status": 70000})), None);
        assert_eq!(parse(serde_json::json!({"fault": "slow"})), None);
        assert_eq!(parse(serde_json::json!({"fault": "nonsense"})), None);
    }

    #[test]
    fn the_generator_is_seeded_and_uniform() {
        let draws = |seed| {
            let mut f = Faults::new(seed);
            (0..10_000).map(|_| f.random()).collect::<Vec<_>>()
        };
        assert_eq!(draws(3), draws(3));
        let share = draws(3).iter().filter(|x| **x < 0.1).count();
        assert!((800..1200).contains(&share), "{share}");
    }
}
