//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::{Error, Result};
use super::request::{Endpoint, Request};
use super::retry::RetryPolicy;

/// The default API endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.vercel.com";

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
    token: Option<String>,
    scope: TeamScope,
    retry: RetryPolicy,
    /// Applied to each request, whoever built the HTTP client.
    timeout: Option<Duration>,
    /// Sent with each request, whoever built the HTTP client.
    user_agent: Option<reqwest::header::HeaderValue>,
}

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
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `https://api.vercel.com` that authenticates with a bearer `token`.
    ///
    /// # Panics
    ///
    /// Only if the TLS backend cannot be initialised, like `reqwest::Client::new`;
    /// use [`Client::builder`] to handle that as an error.
    pub fn new(token: impl Into<String>) -> Self {
        Client::builder()
            .token(token)
            .build()
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
    pub fn with_token(&self, token: impl Into<String>) -> Client {
        let mut inner = (*self.inner).clone();
        inner.token = Some(token.into());
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

    /// Starts a request for `operation` to `path` (already percent-encoded).
    pub(crate) fn request(&self, endpoint: &Endpoint, path: &str) -> Request {
        Request::new(endpoint, self.clone(), path)
    }

    /// The HTTP client requests are sent with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The bearer token, if any.
    pub(crate) fn token(&self) -> Option<&str> {
        self.inner.token.as_deref()
    }

    /// When failed requests are sent again.
    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The timeout of each attempt, unless a call sets its own.
    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The `User-Agent` sent with each request, when one was set.
    pub(crate) fn user_agent(&self) -> Option<&reqwest::header::HeaderValue> {
        self.inner.user_agent.as_ref()
    }
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    scope: TeamScope,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
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

    /// A timeout for each attempt of a request, from sending it to reading the whole
    /// answer (default: none). It applies with [`http_client`](Self::http_client) too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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

    /// Uses a caller-configured `reqwest::Client` (its proxy, TLS and pool settings).
    ///
    /// [`timeout`](Self::timeout) and [`user_agent`](Self::user_agent) still apply: they
    /// are set on each request. Without them, the `reqwest::Client`'s own apply.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client; an invalid user agent is [`Error::InvalidConfig`].
    pub fn build(self) -> Result<Client> {
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
                .build()
                .map_err(Error::Config)?,
        };
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                token: self.token,
                scope: self.scope,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
            }),
        })
    }
}
