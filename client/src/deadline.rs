//! When a blocking call must have ended, and a way to end it sooner.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Pauses are slept in slices this long, so that a cancellation is seen
/// within about this much time.
const SLICE: Duration = Duration::from_millis(20);

/// The moment a call must have ended by, whatever the server does, and an
/// optional flag that ends it at once (a binding sets it on Ctrl-C).
///
/// A `Duration` converts into the deadline that far from now:
///
/// ```
/// use std::time::Duration;
/// use ofdkit_client::Deadline;
/// let deadline: Deadline = Duration::from_secs(60).into();
/// assert!(deadline.remaining() <= Duration::from_secs(60));
/// assert!(!deadline.is_over());
/// ```
#[derive(Clone, Debug)]
pub struct Deadline {
    end: Instant,
    cancel: Option<Arc<AtomicBool>>,
}

impl Deadline {
    /// `duration` from now.
    pub fn after(duration: Duration) -> Self {
        let now = Instant::now();
        Deadline {
            end: now.checked_add(duration).unwrap_or(now + Duration::from_secs(100 * 365 * 86_400)),
            cancel: None,
        }
    }

    /// At `end`.
    pub fn at(end: Instant) -> Self {
        Deadline { end, cancel: None }
    }

    /// The same deadline, also over once `flag` is true.
    pub fn cancelled_by(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// The time left: zero once passed or cancelled.
    pub fn remaining(&self) -> Duration {
        if self.is_cancelled() {
            return Duration::ZERO;
        }
        self.end.saturating_duration_since(Instant::now())
    }

    pub fn is_over(&self) -> bool {
        self.remaining().is_zero()
    }

    /// Sleeps `pause`, or until the deadline if that comes first; `false`
    /// when the deadline came (nothing may be started after it).
    pub(crate) fn sleep(&self, pause: Duration) -> bool {
        let wake = Instant::now() + pause;
        loop {
            let left = self.remaining();
            if left.is_zero() {
                return false;
            }
            let now = Instant::now();
            if now >= wake {
                return true;
            }
            std::thread::sleep((wake - now).min(left).min(SLICE));
        }
    }
}

impl From<Duration> for Deadline {
    fn from(duration: Duration) -> Self {
        Deadline::after(duration)
    }
}

impl From<Instant> for Deadline {
    fn from(end: Instant) -> Self {
        Deadline::at(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_deadline_is_over_at_once() {
        let flag = Arc::new(AtomicBool::new(false));
        let deadline = Deadline::after(Duration::from_secs(60)).cancelled_by(flag.clone());
        assert!(!deadline.is_over());
        let setter = {
            let flag = flag.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                flag.store(true, Ordering::Relaxed);
            })
        };
        let started = Instant::now();
        assert!(!deadline.sleep(Duration::from_secs(30)));
        assert!(started.elapsed() < Duration::from_secs(1));
        setter.join().unwrap();
        assert!(deadline.is_over() && deadline.remaining().is_zero());
    }

    #[test]
    fn sleeps_no_longer_than_the_deadline() {
        let deadline = Deadline::after(Duration::from_millis(50));
        let started = Instant::now();
        assert!(!deadline.sleep(Duration::from_secs(30)));
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(Deadline::after(Duration::from_secs(5)).sleep(Duration::from_millis(1)));
        assert!(Deadline::after(Duration::MAX).remaining() > Duration::from_secs(86_400));
    }
}
