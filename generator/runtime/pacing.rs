//! Pacing requests to the rate limit of each token: after an answer says a token has no
//! request left in its window (`X-RateLimit-Remaining: 0`), the next request with that
//! token waits until the window resets (`X-RateLimit-Reset`), instead of being refused
//! with a `429`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};

use super::options::RateLimit;

/// When the exhausted window of each token resets. Shared by a client and every client
/// made from it with `with_token`, so each installation's quota is its own.
#[derive(Debug, Default)]
pub(crate) struct Quotas {
    exhausted: Mutex<HashMap<Option<HeaderValue>, SystemTime>>,
}

impl Quotas {
    /// Remembers what an answer to a request with `token` says of its quota.
    pub(crate) fn record(&self, token: Option<&HeaderValue>, headers: &HeaderMap) {
        let Some(quota) = RateLimit::from_headers(headers) else { return };
        let mut exhausted = self.lock();
        match (quota.remaining, quota.reset) {
            (Some(0), Some(reset)) => {
                // Forget windows that have reset, so the map holds only waiting tokens.
                let now = SystemTime::now();
                exhausted.retain(|_, reset| *reset > now);
                exhausted.insert(token.cloned(), reset);
            }
            _ => {
                exhausted.remove(&token.cloned());
            }
        }
    }

    /// How long a request with `token` should wait for its window to reset: `None`
    /// when the token has requests left (or nothing is known of it).
    pub(crate) fn wait(&self, token: Option<&HeaderValue>) -> Option<Duration> {
        let reset = *self.lock().get(&token.cloned())?;
        reset.duration_since(SystemTime::now()).ok().filter(|wait| !wait.is_zero())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Option<HeaderValue>, SystemTime>> {
        // The map holds no invariant a panic elsewhere could break.
        self.exhausted.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
