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
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Ferma's cashbox error (1070–1080) instead of registering the receipt.
    CashboxError(u32),
    /// The receipt is registered and then fails to fiscalise (`fail`).
    FiscalisationFails,
    /// Wait this long before answering.
    Delay(Duration),
    /// Close the connection after reading the body, without processing.
    DropBeforeProcessing,
    /// Process the request, then close the connection without answering.
    DropAfterProcessing,
    /// Answer with this status and a body that is not JSON.
    Garbage(u16),
    /// The next application the FNS sees is rejected for this reason.
    RejectApplication(String),
}

/// A fault and how many more requests it catches.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub endpoint: Endpoint,
    pub kind: FaultKind,
    pub times: u32,
}

impl Fault {
    pub fn once(endpoint: Endpoint, kind: FaultKind) -> Self {
        Fault { endpoint, kind, times: 1 }
    }

    /// A fault as the control endpoint `POST /sandbox/faults` and the
    /// bindings take it: `{"endpoint": "receipt", "fault": "cashbox_error",
    /// "code": 1073, "times": 2}`; `None` when it is not one.
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
        let kind = match v["fault"].as_str()? {
            "cashbox_error" => FaultKind::CashboxError(u32::try_from(v["code"].as_u64()?).ok()?),
            "fiscalisation_fails" => FaultKind::FiscalisationFails,
            "delay" => FaultKind::Delay(Duration::from_millis(v["ms"].as_u64()?)),
            "drop_before_processing" => FaultKind::DropBeforeProcessing,
            "drop_after_processing" => FaultKind::DropAfterProcessing,
            "garbage" => FaultKind::Garbage(u16::try_from(v["status"].as_u64().unwrap_or(502)).ok()?),
            "reject_application" => {
                FaultKind::RejectApplication(v["reason"].as_str().unwrap_or("Отказ ФНС").to_owned())
            }
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
