//! When to ask again for a document's result, or for an application's
//! status: a pure decision over elapsed time the caller measures.
//!
//! §4 says the result is POSTed to `callback_url` after processing, and
//! that without it within 300 seconds the report must be requested. That
//! sets the latest moment to ask, not the earliest: asking sooner is
//! allowed. A client that waits for the result itself cannot see a
//! callback (it goes to the shop's server), so waiting 300 s for one would
//! only delay the answer; it polls from the start. A shop that receives
//! callbacks and polls only as a fallback decides that wait itself.

use std::time::Duration;

/// How to wait for a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollPolicy {
    /// The first pause between polls; it doubles after each one.
    pub first_delay: Duration,
    /// The longest pause between polls.
    pub max_delay: Duration,
}

impl Default for PollPolicy {
    /// A receipt: Ferma fiscalises in seconds.
    fn default() -> Self {
        PollPolicy { first_delay: Duration::from_millis(500), max_delay: Duration::from_secs(15) }
    }
}

/// What to do next while a document is being processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PollDecision {
    /// Pause this long, then ask again.
    PollAfter(Duration),
    /// The deadline has passed: stop and report the state as it is.
    GiveUp,
}

impl PollPolicy {
    /// Pauses from `first_delay` up to `max_delay`.
    pub fn new(first_delay: Duration, max_delay: Duration) -> Self {
        PollPolicy { first_delay, max_delay }
    }

    /// A registration application: the FNS answers in minutes to days
    /// (figure 1 of the registration spec), so polls back off to a minute.
    pub fn for_applications() -> Self {
        PollPolicy { first_delay: Duration::from_secs(2), max_delay: Duration::from_secs(60) }
    }

    /// The next step, `elapsed` after waiting began, after `polls_done`
    /// polls that found nothing new.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ofdkit::protocol::{PollDecision, PollPolicy};
    /// let policy = PollPolicy::default();
    /// assert_eq!(policy.next(Duration::ZERO, 0, None), PollDecision::PollAfter(Duration::from_millis(500)));
    /// assert_eq!(policy.next(Duration::from_secs(10), 0, Some(Duration::from_secs(10))), PollDecision::GiveUp);
    /// ```
    pub fn next(&self, elapsed: Duration, polls_done: u32, deadline: Option<Duration>) -> PollDecision {
        let remaining = match deadline {
            Some(deadline) if elapsed >= deadline => return PollDecision::GiveUp,
            Some(deadline) => Some(deadline - elapsed),
            None => None,
        };
        let factor = 1u32.checked_shl(polls_done.min(16)).unwrap_or(u32::MAX);
        let delay = self.first_delay.saturating_mul(factor).min(self.max_delay);
        PollDecision::PollAfter(remaining.map_or(delay, |r| delay.min(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_to_the_cap_and_respects_the_deadline() {
        let p = PollPolicy::default();
        let delays: Vec<_> = (0..8)
            .map(|n| match p.next(Duration::from_secs(1), n, None) {
                PollDecision::PollAfter(d) => d.as_millis(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
        assert_eq!(
            p.next(Duration::from_secs(9), 5, Some(Duration::from_secs(10))),
            PollDecision::PollAfter(Duration::from_secs(1))
        );
        assert_eq!(p.next(Duration::from_secs(10), 0, Some(Duration::from_secs(10))), PollDecision::GiveUp);
        assert_eq!(p.next(Duration::from_secs(1), u32::MAX, None), PollDecision::PollAfter(Duration::from_secs(15)));
        let slow = PollPolicy::for_applications();
        assert_eq!(slow.next(Duration::ZERO, 10, None), PollDecision::PollAfter(Duration::from_secs(60)));
    }
}
