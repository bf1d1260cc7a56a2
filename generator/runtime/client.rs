//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::{Error, Result};
use super::fill::FillReports;
use super::pacing::Quotas;
use super::path::Path;
use super::request::{Endpoint, Request};
use super::retry::RetryPolicy;

/// The default API endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.vercel.com";

/// The default limit on opening a connection: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default limit on one attempt of a request: 60 s, from sending it to the last
/// byte of an answer read whole (to the response head for an answer read as a stream).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default limit on each wait for the next part of an answer's body: 30 s.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The default largest body the client reads whole (and the longest line of a JSON
/// stream): 64 MiB. The largest answers of the API are a few megabytes.
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// The default largest number of pages a `paginate()` stream requests: 10,000.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// The most redirects followed for one request (within the base URL's origin).
const MAX_REDIRECTS: usize = 10;

const USER_AGENT: &str = concat!("vercel-api-rust/", env!("CARGO_PKG_VERSION"));

/// A client for the Vercel REST API.
///
/// Cheap to clone: clones share one connection pool. Every operation of the API
/// is a method that returns a request builder; await the builder to send it.
/// [`with_token`](Client::with_token) gives a client for another token over the same
/// pool (a Marketplace partner's one client for all its installations).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = vercel_api::Client::new("my-token");
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: Option<Token>,
    scope: TeamScope,
    retry: RetryPolicy,
    /// The limits below apply to each request, whoever built the HTTP client.
    timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_body_size: usize,
    max_pages: usize,
    /// Sent with each request, whoever built the HTTP client.
    user_agent: Option<reqwest::header::HeaderValue>,
    /// Whether requests wait for an exhausted rate limit window to reset.
    pace_rate_limits: bool,
    /// The quotas of the tokens, shared with every client made by `with_token`.
    quotas: Arc<Quotas>,
    /// Whether an answer lacking a value the document requires fails to decode.
    strict_decoding: bool,
    /// The values filled in that were reported, shared with every client made by
    /// `with_token`.
    fill_reports: Arc<FillReports>,
}

/// A bearer token as the `Authorization` header it is sent in, or the fact that it
/// cannot be one (kept for [`Client::with_token`], which cannot fail).
#[derive(Clone)]
enum Token {
    Valid(reqwest::header::HeaderValue),
    Invalid,
}

impl Token {
    fn new(token: &str) -> Self {
        match reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")) {
            Ok(mut value) => {
                value.set_sensitive(true);
                Token::Valid(value)
            }
            Err(_) => Token::Invalid,
        }
    }
}

/// Why a token is refused; it never quotes the token.
const INVALID_TOKEN: &str = "the token holds a character an HTTP header cannot carry \
                             (a control character such as a newline or NUL)";

/// The team every request acts for, unless a call names another.
#[derive(Debug, Clone, Default)]
pub(crate) struct TeamScope {
    team_id: Option<String>,
    slug: Option<String>,
}

/// Environment variable [`Client::from_env`] reads the token from.
pub const TOKEN_ENV: &str = "VERCEL_TOKEN";

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .field("team_id", &self.inner.scope.team_id)
            .field("slug", &self.inner.scope.slug)
            .field("timeout", &self.inner.timeout)
            .field("read_timeout", &self.inner.read_timeout)
            .field("max_body_size", &self.inner.max_body_size)
            .field("max_pages", &self.inner.max_pages)
            .field("pace_rate_limits", &self.inner.pace_rate_limits)
            .field("strict_decoding", &self.inner.strict_decoding)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `https://api.vercel.com` that authenticates with a bearer `token`.
    ///
    /// A token that an HTTP header cannot carry (a newline, say) is not refused here:
    /// every request of the client fails with [`Error::InvalidConfig`] before anything
    /// is sent. [`ClientBuilder::build`] refuses it at once.
    ///
    /// # Panics
    ///
    /// Only if the TLS backend cannot be initialised, like `reqwest::Client::new`;
    /// use [`Client::builder`] to handle that as an error.
    pub fn new(token: impl Into<String>) -> Self {
        Client::builder()
            .token(token)
            .build_unchecked()
            .expect("the default HTTP client builds")
    }

    /// A client for `https://api.vercel.com` with the token in `VERCEL_TOKEN`.
    pub fn from_env() -> Result<Self> {
        match std::env::var(TOKEN_ENV) {
            Ok(token) if !token.trim().is_empty() => Client::builder().token(token.trim()).build(),
            _ => Err(Error::MissingToken { variable: TOKEN_ENV }),
        }
    }

    /// A builder for a client with a custom base URL, timeout or HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// This client with another bearer token: the same connection pool, base URL, team,
    /// timeout, user agent and retry policy. Cheap: nothing is connected or built anew.
    ///
    /// A Marketplace partner holds one access token per installation, and serves all of
    /// them with one client:
    ///
    /// ```
    /// # fn run() -> Result<(), vercel_api::Error> {
    /// let client = vercel_api::Client::builder().build()?;
    /// // The token of each installation, as stored when it was installed.
    /// let first = client.with_token("token-of-installation-1");
    /// let second = client.with_token("token-of-installation-2");
    /// assert_eq!(first.base_url(), second.base_url());
    /// // Each sends its own token: `first.get_integration_resources("icfg_1")`, ...
    /// # Ok(())
    /// # }
    /// # run().unwrap();
    /// ```
    ///
    /// A token that an HTTP header cannot carry (a newline, say) makes every request of
    /// the new client fail with [`Error::InvalidConfig`] before anything is sent.
    pub fn with_token(&self, token: impl Into<String>) -> Client {
        let mut inner = (*self.inner).clone();
        inner.token = Some(Token::new(&token.into()));
        Client { inner: Arc::new(inner) }
    }

    /// The team ID sent as `teamId` on every operation that takes one, unless the call
    /// sets its own.
    pub fn team_id(&self) -> Option<&str> {
        self.inner.scope.team_id.as_deref()
    }

    /// The team slug sent as `slug` on every operation that takes one, unless the call
    /// sets its own.
    pub fn team_slug(&self) -> Option<&str> {
        self.inner.scope.slug.as_deref()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts a request for `operation` to `path`.
    pub(crate) fn request(&self, endpoint: &Endpoint, path: Path) -> Request {
        Request::new(endpoint, self.clone(), path)
    }

    /// The HTTP client requests are sent with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The `Authorization` header of the bearer token, if there is a valid one.
    pub(crate) fn token(&self) -> Option<&reqwest::header::HeaderValue> {
        match &self.inner.token {
            Some(Token::Valid(value)) => Some(value),
            _ => None,
        }
    }

    /// The error every request of `operation` fails with when the token is invalid.
    pub(crate) fn token_error<E>(&self, operation: &'static str) -> Option<Error<E>> {
        matches!(self.inner.token, Some(Token::Invalid)).then(|| Error::InvalidConfig {
            what: "the token",
            message: format!("{INVALID_TOKEN}; no request of {operation} was sent"),
        })
    }

    /// When failed requests are sent again.
    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The timeout of each attempt, unless a call sets its own.
    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The longest wait for the next part of a body, unless a call sets its own.
    pub(crate) fn read_timeout(&self) -> Option<Duration> {
        self.inner.read_timeout
    }

    /// The largest body read whole, unless a call sets its own.
    pub(crate) fn max_body_size(&self) -> usize {
        self.inner.max_body_size
    }

    /// The most pages a listing requests, unless a call sets its own.
    pub(crate) fn max_pages(&self) -> usize {
        self.inner.max_pages
    }

    /// Whether requests wait for an exhausted rate limit window, unless a call says.
    pub(crate) fn pace_rate_limits(&self) -> bool {
        self.inner.pace_rate_limits
    }

    /// Whether an answer lacking a value the document requires fails to decode, unless
    /// a call says.
    pub(crate) fn strict_decoding(&self) -> bool {
        self.inner.strict_decoding
    }

    /// The record of the values filled in that this client and its `with_token` clients
    /// reported.
    pub(crate) fn fill_reports(&self) -> Arc<FillReports> {
        self.inner.fill_reports.clone()
    }

    /// The rate limit quotas of the tokens this client and its `with_token` clients use.
    pub(crate) fn quotas(&self) -> &Quotas {
        &self.inner.quotas
    }

    /// The `User-Agent` sent with each request, when one was set.
    pub(crate) fn user_agent(&self) -> Option<&reqwest::header::HeaderValue> {
        self.inner.user_agent.as_ref()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    token: Option<String>,
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_body_size: usize,
    max_pages: usize,
    pace_rate_limits: bool,
    strict_decoding: bool,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    scope: TeamScope,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    /// The defaults of the README's "Reliability" section.
    fn default() -> Self {
        ClientBuilder {
            token: None,
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: Some(DEFAULT_TIMEOUT),
            read_timeout: Some(DEFAULT_READ_TIMEOUT),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_pages: DEFAULT_MAX_PAGES,
            pace_rate_limits: false,
            strict_decoding: false,
            user_agent: None,
            http: None,
            scope: TeamScope::default(),
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_body_size", &self.max_body_size)
            .field("max_pages", &self.max_pages)
            .field("pace_rate_limits", &self.pace_rate_limits)
            .field("strict_decoding", &self.strict_decoding)
            .field("user_agent", &self.user_agent)
            .field("scope", &self.scope)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The bearer token sent with every request.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The API endpoint (default `https://api.vercel.com`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The limit on one attempt of a request (default 60 s, [`DEFAULT_TIMEOUT`]): from
    /// sending it to the last byte of an answer read whole, or to the response head of
    /// an answer read as a stream. `None` removes the limit. It applies with
    /// [`http_client`](Self::http_client) too; running out is [`Error::TimeLimit`].
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The limit on each wait for the next part of an answer's body (default 30 s,
    /// [`DEFAULT_READ_TIMEOUT`]): a server that stalls fails the attempt even when it
    /// sent something before. `None` removes the limit. A JSON stream (a log) waits
    /// for as long as the call's own read timeout says, else without limit: a quiet
    /// log is normal. Running out is [`Error::TimeLimit`].
    pub fn read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.read_timeout = timeout.into();
        self
    }

    /// The limit on opening a connection (default 10 s, [`DEFAULT_CONNECT_TIMEOUT`]).
    /// It is a setting of the HTTP client, so a client given with
    /// [`http_client`](Self::http_client) keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest body read whole, in bytes (default 64 MiB, [`DEFAULT_MAX_BODY_SIZE`]);
    /// also the longest line of a JSON stream. A larger answer is
    /// [`Error::BodyTooLarge`], found out before it is held in memory. Binary downloads
    /// of any size are read with the builder's `stream` method.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The most pages a `paginate()` stream requests (default 10,000,
    /// [`DEFAULT_MAX_PAGES`]); a listing with more ends with [`Error::Pagination`].
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// Paces requests to each token's rate limit (default off): once an answer says a
    /// token has no request left in its window (`X-RateLimit-Remaining: 0`), the next
    /// request with that token waits until the window resets (`X-RateLimit-Reset`)
    /// instead of being refused with a `429`. Each token (each client made with
    /// [`Client::with_token`]) has its own quota. A wait longer than the retry policy's
    /// budget is not made (the request is sent, and its `429` handled as any other).
    /// Each wait is a `debug` event of the `vercel.request` span.
    pub fn pace_rate_limits(mut self, pace: bool) -> Self {
        self.pace_rate_limits = pace;
        self
    }

    /// Whether an answer lacking a value the document requires (a required field left
    /// out, or `null` where the document allows none) fails with
    /// [`Error::Decode`] naming its path (default `false`). By default such an answer
    /// decodes: the value is filled in with its type's empty value, listed by
    /// [`ResponseValue::filled`](crate::ResponseValue::filled), and reported once per
    /// operation and path in a `warn` tracing event. Any other mismatch (a value of the
    /// wrong JSON type) is an [`Error::Decode`] either way.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// The `User-Agent` header (default `vercel-api-rust/<version>`). It is sent with
    /// each request, so it applies with [`http_client`](Self::http_client) too.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Acts for this team (`teamId`) on every operation that takes a team.
    pub fn team_id(mut self, team_id: impl Into<String>) -> Self {
        self.scope.team_id = Some(team_id.into());
        self
    }

    /// Acts for the team with this slug (`slug`) on every operation that takes a team.
    pub fn team_slug(mut self, slug: impl Into<String>) -> Self {
        self.scope.slug = Some(slug.into());
        self
    }

    /// When and how often failed requests are sent again (default: [`RetryPolicy::default`];
    /// [`RetryPolicy::never`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses a caller-configured `reqwest::Client` (its proxy, TLS, pool and redirect
    /// settings, and its connect timeout).
    ///
    /// [`timeout`](Self::timeout), [`read_timeout`](Self::read_timeout),
    /// [`max_body_size`](Self::max_body_size) and [`user_agent`](Self::user_agent)
    /// still apply: the client enforces them on each request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client. An invalid token or user agent is [`Error::InvalidConfig`]
    /// (its message never quotes the token).
    pub fn build(self) -> Result<Client> {
        if self.token.as_deref().is_some_and(|token| matches!(Token::new(token), Token::Invalid)) {
            return Err(Error::InvalidConfig {
                what: "the token",
                message: INVALID_TOKEN.to_owned(),
            });
        }
        self.build_unchecked()
    }

    /// Builds the client, keeping an invalid token for its requests to refuse.
    fn build_unchecked(self) -> Result<Client> {
        let user_agent = match self.user_agent {
            Some(text) => Some(reqwest::header::HeaderValue::from_str(&text).map_err(|error| {
                Error::InvalidConfig {
                    what: "the user agent",
                    message: error.to_string(),
                }
            })?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(Error::Config)?,
        };
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                token: self.token.as_deref().map(Token::new),
                scope: self.scope,
                retry: self.retry,
                timeout: self.timeout,
                read_timeout: self.read_timeout,
                max_body_size: self.max_body_size,
                max_pages: self.max_pages,
                user_agent,
                pace_rate_limits: self.pace_rate_limits,
                quotas: Arc::default(),
                strict_decoding: self.strict_decoding,
                fill_reports: Arc::default(),
            }),
        })
    }
}

/// Redirects are followed within the origin (scheme, host and port) of the request
/// that met the first one, at most [`MAX_REDIRECTS`] of them. A redirect to another
/// origin is not followed: it is the answer, so the call fails with its 3xx status
/// and nothing of the request (its headers, its body) reaches the other origin.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(reqwest::Url::origin);
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if first.is_some_and(|first| first == attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}
