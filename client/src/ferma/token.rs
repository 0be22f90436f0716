//! The token a client's threads share: one thread fetches while the others
//! wait for it, each no longer than its own deadline.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ofdkit::protocol::Secret;

use crate::deadline::Deadline;
use crate::error::{Error, TransportError, TransportKind};

/// Waiters look at their deadline (and its cancellation) this often.
const WAIT_SLICE: Duration = Duration::from_millis(50);

struct Cached {
    token: Secret,
    refresh_at: Instant,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    fetching: bool,
}

/// Ends a fetch, even one that panicked, and wakes the waiters.
struct Fetching<'a>(&'a TokenCache);

impl Drop for Fetching<'_> {
    fn drop(&mut self) {
        self.0.lock().fetching = false;
        self.0.changed.notify_all();
    }
}

#[derive(Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    changed: Condvar,
}

impl TokenCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached token while it is fresh; otherwise one from `fetch`
    /// (the token and how long until it should be replaced).
    pub(crate) fn get(
        &self,
        deadline: &Deadline,
        fetch: impl FnOnce() -> Result<(Secret, Duration), Error>,
    ) -> Result<Secret, Error> {
        let mut state = self.lock();
        loop {
            if let Some(cached) = &state.current {
                if Instant::now() < cached.refresh_at {
                    return Ok(cached.token.clone());
                }
            }
            if !state.fetching {
                state.fetching = true;
                drop(state);
                let done = Fetching(self);
                let fetched = fetch();
                if let Ok((token, fresh_for)) = &fetched {
                    self.lock().current =
                        Some(Cached { token: token.clone(), refresh_at: Instant::now() + *fresh_for });
                }
                drop(done);
                return fetched.map(|(token, _)| token);
            }
            let left = deadline.remaining();
            if left.is_zero() {
                return Err(Error::Transport(TransportError::new(
                    TransportKind::Timeout,
                    false,
                    "the deadline passed while another thread was getting a token; nothing was sent",
                )));
            }
            state = self.changed.wait_timeout(state, left.min(WAIT_SLICE)).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    /// Forgets `token` if it is still the cached one (so that eight threads
    /// refused with the same old token fetch one new token, not eight).
    pub(crate) fn forget(&self, token: &Secret) {
        let mut state = self.lock();
        if state.current.as_ref().is_some_and(|c| &c.token == token) {
            state.current = None;
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().current = None;
    }
}
