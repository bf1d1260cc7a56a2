//! Retrying failed requests: which failures, how long to wait, and when to stop.

use std::time::{Duration, SystemTime};

/// When and how often a request is sent again after a failure.
///
/// A request is retried after a `429 Too Many Requests`, a `5xx` answer, a connection
/// refused, reset or closed before the response head, or an attempt that timed out
/// before its head came, only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS)
/// unless [`retry_non_idempotent`](Self::retry_non_idempotent) is set. The wait is the
/// server's `Retry-After` when it gives one, else an exponential backoff with full
/// jitter. Retries stop after `max_attempts` sends, or when the next wait would end
/// past the total time budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 500 ms up to 10 s, within 30 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            budget: Duration::from_secs(30),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// How many times a request may be sent in all (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles for each further one.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The total time a request may take, waits included, before retries stop.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Also retry POST and PATCH, which may then take effect twice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// The total time a request may take, waits included.
    pub(crate) fn total_budget(&self) -> Duration {
        self.budget
    }

    /// May a request with this method be retried at all?
    pub(crate) fn allows(&self, method: &reqwest::Method) -> bool {
        self.non_idempotent
            || matches!(
                *method,
                reqwest::Method::GET
                    | reqwest::Method::HEAD
                    | reqwest::Method::PUT
                    | reqwest::Method::DELETE
                    | reqwest::Method::OPTIONS
            )
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1), or `None` when
    /// no attempt is left or the wait would overrun the budget (`elapsed` so far).
    pub(crate) fn next_wait(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
        // Saturating: a server may ask for any wait, up to `u64::MAX` seconds.
        (elapsed.saturating_add(wait) <= self.budget).then_some(wait)
    }

    /// Full-jitter exponential backoff: a random wait up to `initial * 2^(attempt - 1)`.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fastrand::f64()).unwrap_or(ceiling)
    }
}

/// Should a response with this status be retried?
pub(crate) fn retryable_status(status: reqwest::StatusCode) -> bool {
    status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// What a transport failure was, for a log event: its kind and its causes, without
/// the URL that the error's own message holds.
pub(crate) fn describe_transport(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "transport error"
    };
    let mut text = kind.to_owned();
    let mut cause = std::error::Error::source(error);
    while let Some(error) = cause {
        text.push_str(": ");
        text.push_str(&error.to_string());
        cause = error.source();
    }
    text
}

/// The wait a `Retry-After` header asks for: delay-seconds (`7`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, counted from now; a date past is no wait).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(until(date))
}

/// The header in which the API says when its rate limit window resets.
pub(crate) const RATE_LIMIT_RESET: &str = "x-ratelimit-reset";

/// When the rate limit window resets, from `X-RateLimit-Reset` (Unix time in seconds).
pub(crate) fn rate_limit_reset(headers: &reqwest::header::HeaderMap) -> Option<SystemTime> {
    let value = headers.get(RATE_LIMIT_RESET)?.to_str().ok()?.trim();
    let seconds = value.parse::<u64>().ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// How long until `time` (zero when it has passed).
fn until(time: SystemTime) -> Duration {
    time.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO)
}

/// The wait the server asks for before a response with `status` is retried:
/// `Retry-After`, else, for a `429`, the time until `X-RateLimit-Reset`.
pub(crate) fn server_wait(status: reqwest::StatusCode, headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    retry_after(headers).or_else(|| {
        (status == reqwest::StatusCode::TOO_MANY_REQUESTS)
            .then(|| rate_limit_reset(headers).map(until))
            .flatten()
    })
}
