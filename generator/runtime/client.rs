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

struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: Option<String>,
    scope: TeamScope,
    retry: RetryPolicy,
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
            .finish()
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
        Client::from_parts(
            reqwest::Client::new(),
            DEFAULT_BASE_URL.to_owned(),
            Some(token.into()),
            TeamScope::default(),
            RetryPolicy::default(),
        )
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

    fn from_parts(
        http: reqwest::Client,
        base_url: String,
        token: Option<String>,
        scope: TeamScope,
        retry: RetryPolicy,
    ) -> Self {
        Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                token,
                scope,
                retry,
            }),
        }
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

    /// A timeout for each whole request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header.
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

    /// Uses a caller-configured `reqwest::Client` (its own timeout and user agent apply).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .user_agent(self.user_agent.unwrap_or_else(|| USER_AGENT.to_owned()));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(Error::Config)?
            }
        };
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Ok(Client::from_parts(http, base_url, self.token, self.scope, self.retry))
    }
}
