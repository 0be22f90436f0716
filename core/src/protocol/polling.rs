//! When to ask for a document's result: §4 says the callback arrives after
//! processing, and that without it within 300 seconds the report must be
//! requested. These are pure decisions over elapsed time the caller measures.

use std::time::Duration;

/// How to wait for a document's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// How long to wait for the callback before polling (§4: 300 s).
    pub callback_grace: Duration,
    /// The first pause between polls.
    pub first_delay: Duration,
    /// The longest pause between polls.
    pub max_delay: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            callback_grace: Duration::from_secs(300),
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(15),
        }
    }
}

/// What to do next while a document is being processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollDecision {
    /// A callback is expected: wait this long for it before polling.
    AwaitCallback(Duration),
    /// Pause this long, then request the report.
    PollAfter(Duration),
    /// The deadline has passed: stop and report the document as pending.
    GiveUp,
}

impl PollPolicy {
    /// The next step, `elapsed` after the document was sent, after
    /// `polls_done` report requests that found it still waiting.
    /// `callback_expected` is whether the request had a `callback_url`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ofdkit::protocol::{PollDecision, PollPolicy};
    /// let policy = PollPolicy::default();
    /// assert_eq!(policy.next(Duration::ZERO, 0, false, None), PollDecision::PollAfter(Duration::from_millis(500)));
    /// assert_eq!(policy.next(Duration::from_secs(10), 0, true, None), PollDecision::AwaitCallback(Duration::from_secs(290)));
    /// ```
    pub fn next(
        &self,
        elapsed: Duration,
        polls_done: u32,
        callback_expected: bool,
        deadline: Option<Duration>,
    ) -> PollDecision {
        let remaining = match deadline {
            Some(deadline) if elapsed >= deadline => return PollDecision::GiveUp,
            Some(deadline) => Some(deadline - elapsed),
            None => None,
        };
        let cap = |d: Duration| remaining.map_or(d, |r| d.min(r));
        if callback_expected && elapsed < self.callback_grace {
            return PollDecision::AwaitCallback(cap(self.callback_grace - elapsed));
        }
        let factor = 1u32.checked_shl(polls_done.min(16)).unwrap_or(u32::MAX);
        let delay = self.first_delay.saturating_mul(factor).min(self.max_delay);
        PollDecision::PollAfter(cap(delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_to_the_cap_and_respects_the_deadline() {
        let p = PollPolicy::default();
        let delays: Vec<_> = (0..8)
            .map(|n| match p.next(Duration::from_secs(1), n, false, None) {
                PollDecision::PollAfter(d) => d.as_millis(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
        assert_eq!(
            p.next(Duration::from_secs(9), 5, false, Some(Duration::from_secs(10))),
            PollDecision::PollAfter(Duration::from_secs(1))
        );
        assert_eq!(p.next(Duration::from_secs(10), 0, false, Some(Duration::from_secs(10))), PollDecision::GiveUp);
        assert_eq!(
            p.next(Duration::from_secs(301), 0, true, None),
            PollDecision::PollAfter(Duration::from_millis(500))
        );
        assert_eq!(
            p.next(Duration::from_secs(1), u32::MAX, false, None),
            PollDecision::PollAfter(Duration::from_secs(15))
        );
    }
}
