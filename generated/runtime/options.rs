//! What one call may change about how it is sent, and what an answer says besides its
//! body.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::fill::Filled;
use super::retry::RetryPolicy;

/// Settings of one request that override the client's: its timeout, its retry policy,
/// and extra headers. Every request builder takes them with its `options` method
/// (`client.submit_billing_data(..).options(options).await`); a later call of `options`
/// replaces the earlier one.
///
/// ```
/// use std::time::Duration;
/// use vercel_api::{RequestOptions, RetryPolicy};
///
/// // A POST retried on 429 and 5xx, for this call only.
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::default().retry_non_idempotent(true))
///     .header("x-request-id", "3f2a");
/// # let _ = options;
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) read_timeout: Option<Option<Duration>>,
    pub(crate) max_body_size: Option<usize>,
    pub(crate) max_pages: Option<usize>,
    pub(crate) pace_rate_limits: Option<bool>,
    pub(crate) strict_decoding: Option<bool>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The limit on each attempt of this request, instead of the client's
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)); `None` removes it.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// The limit on each wait for the next part of the answer, instead of the
    /// client's ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout));
    /// `None` removes it. Unlike the client's, it applies to a JSON stream too.
    pub fn read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.read_timeout = Some(timeout.into());
        self
    }

    /// The largest body read whole, instead of the client's
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// Whether an answer lacking a value the document requires fails with
    /// `Error::Decode`, instead of the client's setting
    /// ([`ClientBuilder::strict_decoding`](crate::ClientBuilder::strict_decoding)).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = Some(strict);
        self
    }

    /// The most pages the builder's `paginate()` stream requests, instead of the
    /// client's ([`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages)).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Whether this request waits for its token's exhausted rate limit window to
    /// reset, instead of the client's setting
    /// ([`ClientBuilder::pace_rate_limits`](crate::ClientBuilder::pace_rate_limits)).
    pub fn pace_rate_limits(mut self, pace: bool) -> Self {
        self.pace_rate_limits = Some(pace);
        self
    }

    /// When this request is sent again, instead of the client's policy. A POST can be
    /// retried on `429` this way with
    /// `RetryPolicy::default().retry_non_idempotent(true)`, without doing so for every call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends a header with this request. It replaces a header of the same name that the
    /// request would otherwise send (the client's user agent, say); several calls with one
    /// name send every value. A name or value that is not valid in HTTP is an
    /// [`Error::Encode`](crate::Error::Encode) when the request is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for RequestOptions {
    /// Header values are left out: they may hold credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_body_size", &self.max_body_size)
            .field("max_pages", &self.max_pages)
            .field("pace_rate_limits", &self.pace_rate_limits)
            .field("strict_decoding", &self.strict_decoding)
            .field("retry", &self.retry)
            .field("headers", &names)
            .finish()
    }
}

/// A decoded success with the status and headers it came with, from a request
/// builder's `send_with_meta`. It dereferences to the value.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    value: T,
    filled: Vec<Filled>,
}

impl<T> ResponseValue<T> {
    /// A value with the status and headers of its response.
    pub(crate) fn new(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap, value: T, filled: Vec<Filled>) -> Self {
        ResponseValue { status, headers, value, filled }
    }

    /// The values the answer lacked (or held as `null`) although the document requires
    /// them, each filled in with its type's empty value, in the order met; empty when the
    /// answer matched the document. See the README's "Answers that leave the document".
    pub fn filled(&self) -> &[Filled] {
        &self.filled
    }

    /// The HTTP status (one of the 2xx).
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, without the rest.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The status, the headers and the decoded body.
    pub fn into_parts(self) -> (reqwest::StatusCode, reqwest::header::HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// The rate limit quota the answer reports (`X-RateLimit-Limit`,
    /// `X-RateLimit-Remaining`, `X-RateLimit-Reset`), when it reports one.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// The rate limit quota an answer reports. Each part is `None` when its header is
/// missing or unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset`, Unix seconds).
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    /// The quota in `headers`; `None` when none of its headers is readable.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<Self> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        let quota = RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: super::retry::rate_limit_reset(headers),
        };
        (quota.limit.is_some() || quota.remaining.is_some() || quota.reset.is_some()).then_some(quota)
    }
}
