//! Encoding one request (path, query, headers, body) and receiving its response.

use std::future::Future;
use std::pin::Pin;

use tracing::Instrument;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::body::{Body, ByteStream, Clock, JsonStream, ERROR_BODY_LIMIT};
use super::client::Client;
use super::fill::{self, FillCause, Filled};
use super::error::{Error, Result};
use super::path::Path;
use super::options::{RequestOptions, ResponseValue};
use super::retry;

/// The future a request builder turns into when awaited: it borrows nothing, so it
/// can be spawned.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// The largest integer an `f64` holds exactly (2^53).
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// The scalar texts a serialized parameter value stands for: none for `null`, one per
/// element for arrays, compact JSON for objects. Whole numbers are written without a
/// fraction (`20`, not `20.0`), as the API expects for limits and timestamps.
fn parameter_texts(value: serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::String(text) => vec![text],
        serde_json::Value::Array(items) => items.into_iter().flat_map(parameter_texts).collect(),
        serde_json::Value::Number(number) => vec![match number.as_f64() {
            Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() <= MAX_EXACT_INTEGER => {
                format!("{float:.0}")
            }
            _ => number.to_string(),
        }],
        other => vec![other.to_string()],
    }
}

/// What a generated operation is: its id, method and path template.
pub(crate) struct Endpoint {
    /// The `operationId`.
    pub(crate) operation: &'static str,
    /// The HTTP method.
    pub(crate) method: reqwest::Method,
    /// The path as the document writes it (`/v1/installations/{integrationConfigurationId}`).
    pub(crate) template: &'static str,
}

/// A request being put together by a generated operation.
pub(crate) struct Request {
    operation: &'static str,
    template: &'static str,
    client: Client,
    method: reqwest::Method,
    url: String,
    query: Vec<(&'static str, String)>,
    headers: reqwest::header::HeaderMap,
    body: Option<Vec<u8>>,
    error: Option<Error>,
    /// The call's own settings, over the client's.
    options: RequestOptions,
    /// The call's own headers, sent over every other.
    extra_headers: reqwest::header::HeaderMap,
}

impl Request {
    /// A request for `operation` to `path`, with no other parameters yet; a path
    /// parameter that `path` refused is the error the request is sent with.
    pub(crate) fn new(endpoint: &Endpoint, client: Client, path: Path) -> Self {
        let (path, error) = match path.finish() {
            Ok(path) => (path, None),
            Err((name, message)) => {
                let what = format!("path parameter {name}");
                let error = Error::Encode { operation: endpoint.operation, what, message };
                (String::new(), Some(error))
            }
        };
        Request {
            operation: endpoint.operation,
            template: endpoint.template,
            url: format!("{}{}", client.base_url(), path),
            client,
            method: endpoint.method.clone(),
            query: Vec::new(),
            headers: reqwest::header::HeaderMap::new(),
            body: None,
            error,
            options: RequestOptions::default(),
            extra_headers: reqwest::header::HeaderMap::new(),
        }
    }

    /// This request with a call's own settings; an invalid header is kept as the
    /// error the request is sent with.
    pub(crate) fn with_options(mut self, mut options: RequestOptions) -> Self {
        for (name, value) in std::mem::take(&mut options.headers) {
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|error| error.to_string())
                .and_then(|name| {
                    let value = reqwest::header::HeaderValue::from_str(&value).map_err(|error| error.to_string())?;
                    Ok((name, value))
                });
            match header {
                Ok((name, value)) => {
                    self.extra_headers.append(name, value);
                }
                Err(message) => self.encode_error(format!("header {name}"), message),
            }
        }
        self.options = options;
        self
    }

    /// Keeps the first encoding error; it is returned when the request is sent.
    fn encode_error(&mut self, what: String, message: String) {
        self.error.get_or_insert(Error::Encode {
            operation: self.operation,
            what,
            message,
        });
    }

    fn texts(&mut self, what: &str, value: &impl Serialize) -> Vec<String> {
        match serde_json::to_value(value) {
            Ok(value) => parameter_texts(value),
            Err(error) => {
                self.encode_error(what.to_owned(), error.to_string());
                Vec::new()
            }
        }
    }

    /// Adds a query parameter; `None` adds nothing, arrays repeat the key.
    pub(crate) fn query(&mut self, name: &'static str, value: &impl Serialize) {
        for text in self.texts(&format!("query parameter {name}"), value) {
            self.query.push((name, text));
        }
    }

    /// Sets a header; `None` sets nothing.
    pub(crate) fn header(&mut self, name: &'static str, value: &impl Serialize) {
        for text in self.texts(&format!("header {name}"), value) {
            match reqwest::header::HeaderValue::from_str(&text) {
                Ok(header) => {
                    self.headers.append(name, header);
                }
                Err(error) => self.encode_error(format!("header {name}"), error.to_string()),
            }
        }
    }

    /// Sets a JSON body.
    pub(crate) fn json(&mut self, body: &impl Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes("application/json", bytes),
            Err(error) => self.encode_error("the body".to_owned(), error.to_string()),
        }
    }

    /// Asks for a media type in the response.
    pub(crate) fn accept(&mut self, media_type: &'static str) {
        self.headers.insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static(media_type),
        );
    }

    /// Sets a raw body with its media type.
    pub(crate) fn bytes(&mut self, media_type: &'static str, body: Vec<u8>) {
        self.headers.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static(media_type),
        );
        self.body = Some(body);
    }

    /// Sends the request once and waits for the response head, within the attempt's
    /// timeout.
    async fn attempt(&self, clock: &Clock) -> Result<reqwest::Response, Failure> {
        let mut builder = self
            .client
            .http()
            .request(self.method.clone(), &self.url)
            .query(&self.query)
            .headers(self.headers.clone());
        if let Some(token) = self.client.token() {
            builder = builder.header(reqwest::header::AUTHORIZATION, token.clone());
        }
        if let Some(user_agent) = self.client.user_agent() {
            builder = builder.header(reqwest::header::USER_AGENT, user_agent.clone());
        }
        if let Some(body) = &self.body {
            builder = builder.body(body.clone());
        }
        // The call's own headers replace any of the same name set above.
        let sent = builder.headers(self.extra_headers.clone()).send();
        let head_clock = clock.with_read_timeout(None);
        match head_clock.within(self.operation, "the response head", sent).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(source)) => Err(Failure::transport(self.operation, source)),
            Err(timed_out) => Err(Failure { retryable: true, reason: "timed out".to_owned(), error: timed_out }),
        }
    }

    /// The limits of an attempt that starts now: the call's, else the client's.
    fn clock(&self) -> Clock {
        let timeout = self.options.timeout.unwrap_or(self.client.timeout());
        let read_timeout = self.options.read_timeout.unwrap_or(self.client.read_timeout());
        Clock::start(timeout, read_timeout)
    }

    /// Sends the request, retrying as the retry policy allows, and waits for a
    /// success response's head (its body is read when it is decoded); any final
    /// status but 2xx is an [`Error::UnexpectedStatus`].
    ///
    /// It runs in a `vercel.request` tracing span with the operation, the method, the
    /// path template (never the filled-in path, which may hold identifiers), and, as
    /// they become known, the attempt number and the status. Its retry events follow
    /// the same rule: the status or the kind of failure, never a URL or a body.
    pub(crate) async fn send(self) -> Result<Response> {
        let span = tracing::info_span!(
            "vercel.request",
            operation = self.operation,
            method = %self.method,
            path = self.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.dispatch_in(span.clone()).instrument(span).await
    }

    async fn dispatch_in(mut self, span: tracing::Span) -> Result<Response> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if let Some(error) = self.client.token_error(self.operation) {
            return Err(error);
        }
        let retry = self.options.retry.clone().unwrap_or_else(|| self.client.retry().clone());
        let may_retry = retry.allows(&self.method);
        // Time spent so far: each attempt's duration plus each wait. (Summed rather than
        // read off one clock, so a paused test clock counts exactly the waits.)
        let mut spent = std::time::Duration::ZERO;
        let mut attempt: u32 = 1;
        let pace = self.options.pace_rate_limits.unwrap_or(self.client.pace_rate_limits());
        loop {
            span.record("attempt", attempt);
            if pace {
                spent = spent.saturating_add(self.pace(retry.total_budget().saturating_sub(spent)).await);
            }
            let clock = self.clock();
            let sent_at = std::time::Instant::now();
            let outcome = self.attempt(&clock).await;
            spent = spent.saturating_add(sent_at.elapsed());
            let (failure, retry_after) = match outcome {
                Ok(response) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    if pace {
                        self.client.quotas().record(self.client.token(), response.headers());
                    }
                    let body = Body { operation: self.operation, inner: response, clock };
                    if status.is_success() {
                        return Ok(self.response(body));
                    }
                    let retry_after = retry::server_wait(status, body.inner.headers());
                    let error = unexpected(body).await;
                    let retryable = retry::retryable_status(status);
                    (Failure { retryable, reason: format!("status {}", status.as_u16()), error }, retry_after)
                }
                Err(failure) => (failure, None),
            };
            let wait = (may_retry && failure.retryable)
                .then(|| retry.next_wait(attempt, retry_after, spent))
                .flatten();
            match wait {
                Some(wait) => {
                    tracing::debug!(attempt, ?wait, reason = %failure.reason, "retrying");
                    tokio::time::sleep(wait).await;
                    spent = spent.saturating_add(wait);
                    attempt += 1;
                }
                None => return Err(failure.error),
            }
        }
    }

    /// Waits, within `budget`, for the window of this request's token to reset when
    /// an earlier answer said it had no request left; returns the time waited.
    async fn pace(&self, budget: std::time::Duration) -> std::time::Duration {
        match self.client.quotas().wait(self.client.token()) {
            Some(wait) if wait <= budget => {
                tracing::debug!(?wait, "waiting for the rate limit window to reset");
                tokio::time::sleep(wait).await;
                wait
            }
            _ => std::time::Duration::ZERO,
        }
    }

    /// A success response to this request, read within `body`'s clock.
    fn response(&self, body: Body) -> Response {
        Response {
            body,
            max_body_size: self.options.max_body_size.unwrap_or(self.client.max_body_size()),
            call_read_timeout: self.options.read_timeout,
            strict: self.options.strict_decoding.unwrap_or(self.client.strict_decoding()),
            reports: self.client.fill_reports(),
            filled: std::sync::Arc::default(),
        }
    }

}

/// An attempt that failed: the error it ends with, whether it may be retried, and
/// what the retry event says of it (no URL, no body).
struct Failure {
    retryable: bool,
    reason: String,
    error: Error,
}

impl Failure {
    /// A transport failure. Every failure to send or to receive the response head is
    /// retryable (a refused connection, a reset before the head, a timeout), except a
    /// request that could not be built or a redirect that could not be followed; the
    /// retry policy still decides for the request's method.
    fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        let retryable = !(source.is_builder() || source.is_redirect() || source.is_body());
        Failure {
            retryable,
            reason: retry::describe_transport(&source),
            error: Error::from_transport(operation, source),
        }
    }
}

/// Decodes a JSON body: the value and the fields filled in (see [`fill`]), or
/// `Error::Decode` naming the path where decoding failed. With `strict`, a field to fill
/// in fails the decoding too. The body is decoded plainly first; only a body that fails
/// is decoded again, tracking the path.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    status: reqwest::StatusCode,
    body: Vec<u8>,
    strict: bool,
) -> Result<(T, Vec<Filled>)> {
    let decode_error = |path: String, source: serde_json::Error, body: Vec<u8>| Error::Decode {
        operation,
        status,
        path,
        source,
        body,
    };
    match fill::decode(&body) {
        Ok((_, filled)) if strict && !filled.is_empty() => {
            let what = match filled[0].cause {
                FillCause::Absent => "the answer lacks this field, which the document requires",
                FillCause::Null => "the answer holds null where the document requires a value",
            };
            Err(decode_error(filled[0].path.clone(), serde::de::Error::custom(what), body))
        }
        Ok(decoded) => Ok(decoded),
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_slice(&body);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Ok(value) => Ok((value, Vec::new())),
                Err(error) => Err(decode_error(error.path().to_string(), error.into_inner(), body)),
            }
        }
    }
}

/// A success response whose body is not read yet.
pub(crate) struct Response {
    body: Body,
    /// The largest body read whole.
    max_body_size: usize,
    /// The read timeout the call itself set, if it did (a JSON stream uses no other).
    call_read_timeout: Option<Option<std::time::Duration>>,
    /// Whether a field to fill in fails the decoding.
    strict: bool,
    /// The client's record of the fills it reported.
    reports: std::sync::Arc<fill::FillReports>,
    /// The fields the decoding filled in, for [`ResponseValue::filled`].
    filled: std::sync::Arc<std::sync::Mutex<Vec<Filled>>>,
}

impl Response {
    /// The HTTP status code.
    pub(crate) fn status(&self) -> u16 {
        self.body.inner.status().as_u16()
    }

    /// Decodes the response with `decode`, keeping its status and headers.
    pub(crate) async fn decode_with_meta<T, F>(self, decode: impl FnOnce(Response) -> F) -> Result<ResponseValue<T>>
    where
        F: Future<Output = Result<T>>,
    {
        let status = self.body.inner.status();
        let headers = self.body.inner.headers().clone();
        let filled = self.filled.clone();
        let value = decode(self).await?;
        let filled = std::mem::take(&mut *filled.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        Ok(ResponseValue::new(status, headers, value, filled))
    }

    /// Decodes the body as JSON, naming the path where decoding failed; reports the
    /// fields filled in (see [`fill`]).
    pub(crate) async fn json<T: DeserializeOwned>(self) -> Result<T> {
        let operation = self.body.operation;
        let status = self.body.inner.status();
        let body = self.body.read_all(self.max_body_size).await?;
        let (value, filled) = decode(operation, status, body, self.strict)?;
        if !filled.is_empty() {
            self.reports.report(operation, &filled);
            *self.filled.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = filled;
        }
        Ok(value)
    }

    /// The whole body as bytes (at most the client's maximum body size; a larger
    /// download is read with the builder's `stream`).
    pub(crate) async fn bytes(self) -> Result<Vec<u8>> {
        self.body.read_all(self.max_body_size).await
    }

    /// Nothing, for a success that declares no body (whatever body came is dropped).
    pub(crate) async fn empty(self) -> Result<()> {
        Ok(())
    }

    /// The body as a stream of byte chunks, each within the read timeout, with no
    /// limit on its total size or time.
    pub(crate) fn byte_stream(mut self) -> ByteStream {
        self.body.clock = self.body.clock.without_timeout();
        self.body.into_stream()
    }

    /// The body as a stream of JSON values, one per line (each at most the client's
    /// maximum body size), decoded as they arrive. A quiet log is normal, so only a
    /// read timeout the call sets applies, and no total time limit.
    pub(crate) fn json_stream<T>(mut self) -> JsonStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let operation = self.body.operation;
        let status = self.body.inner.status();
        let read_timeout = self.call_read_timeout.flatten();
        let (strict, reports) = (self.strict, self.reports.clone());
        self.body.clock = self.body.clock.without_timeout().with_read_timeout(read_timeout);
        let lines = self.body.into_lines(self.max_body_size);
        Box::pin(futures_util::stream::unfold(lines, move |mut lines| {
            let reports = reports.clone();
            async move {
                let item = lines.next_line().await?;
                let decoded = item.and_then(|line| decode(operation, status, line.to_vec(), strict));
                let decoded = decoded.map(|(value, filled)| {
                    reports.report(operation, &filled);
                    value
                });
                Some((decoded, lines))
            }
        }))
    }

    /// This response as an error for a status the operation does not declare.
    pub(crate) async fn into_unexpected(self) -> Error {
        unexpected(self.body).await
    }
}

/// A response that is not a success as [`Error::UnexpectedStatus`], with at most the
/// first [`ERROR_BODY_LIMIT`] bytes of its body (the rest is not read), or the error
/// that reading it met.
async fn unexpected(mut body: Body) -> Error {
    let operation = body.operation;
    let status = body.inner.status();
    match body.read_up_to(ERROR_BODY_LIMIT).await {
        Ok((bytes, _)) => Error::UnexpectedStatus {
            operation,
            status,
            headers: Box::new(body.inner.headers().clone()),
            detail: super::error::ErrorDetail::from_body(&bytes),
            body: bytes,
        },
        Err(error) => error,
    }
}
