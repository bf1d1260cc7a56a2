//! Encoding one request (path, query, headers, body) and receiving its response.

use std::future::Future;
use std::pin::Pin;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tracing::Instrument;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Error, Result};
use super::client::Client;
use super::options::{RequestOptions, ResponseValue};
use super::retry::{self, RetryPolicy};

/// The future a request builder turns into when awaited: it borrows nothing, so it
/// can be spawned.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// The items of an `application/stream+json` response, decoded as they arrive.
pub type JsonStream<T> = Pin<Box<dyn futures_util::Stream<Item = Result<T>> + Send>>;

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a value for use as one path segment (`a/b c` -> `a%2Fb%20c`).
pub fn encode_path(value: &dyn std::fmt::Display) -> String {
    utf8_percent_encode(&value.to_string(), PATH_SEGMENT).to_string()
}

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
    /// The call's own timeout, over the client's.
    timeout: Option<std::time::Duration>,
    /// The call's own retry policy, over the client's.
    retry: Option<RetryPolicy>,
    /// The call's own headers, sent over every other.
    extra_headers: reqwest::header::HeaderMap,
}

impl Request {
    /// A request for `operation` to `path` (already percent-encoded), with no
    /// parameters yet.
    pub(crate) fn new(endpoint: &Endpoint, client: Client, path: &str) -> Self {
        Request {
            operation: endpoint.operation,
            template: endpoint.template,
            url: format!("{}{}", client.base_url(), path),
            client,
            method: endpoint.method.clone(),
            query: Vec::new(),
            headers: reqwest::header::HeaderMap::new(),
            body: None,
            error: None,
            timeout: None,
            retry: None,
            extra_headers: reqwest::header::HeaderMap::new(),
        }
    }

    /// This request with a call's own settings; an invalid header is kept as the
    /// error the request is sent with.
    pub(crate) fn with_options(mut self, options: RequestOptions) -> Self {
        self.timeout = options.timeout;
        self.retry = options.retry;
        for (name, value) in options.headers {
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

    /// Sends the request once, without looking at the answer.
    async fn attempt(&self) -> reqwest::Result<reqwest::Response> {
        let mut builder = self
            .client
            .http()
            .request(self.method.clone(), &self.url)
            .query(&self.query)
            .headers(self.headers.clone());
        if let Some(token) = self.client.token() {
            builder = builder.bearer_auth(token);
        }
        if let Some(user_agent) = self.client.user_agent() {
            builder = builder.header(reqwest::header::USER_AGENT, user_agent.clone());
        }
        if let Some(timeout) = self.timeout.or(self.client.timeout()) {
            builder = builder.timeout(timeout);
        }
        if let Some(body) = &self.body {
            builder = builder.body(body.clone());
        }
        // The call's own headers replace any of the same name set above.
        builder.headers(self.extra_headers.clone()).send().await
    }

    /// Sends the request, retrying as the client's retry policy allows, and waits
    /// for the response head; any final status but 2xx is an [`Error::UnexpectedStatus`]
    /// (its body read in full).
    ///
    /// It runs in a `vercel.request` tracing span with the operation, the method, the
    /// path template (never the filled-in path, which may hold identifiers), and, as
    /// they become known, the attempt number and the status.
    async fn dispatch(self) -> Result<reqwest::Response> {
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

    async fn dispatch_in(mut self, span: tracing::Span) -> Result<reqwest::Response> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let operation = self.operation;
        let retry = self.retry.clone().unwrap_or_else(|| self.client.retry().clone());
        let may_retry = retry.allows(&self.method);
        // Time spent so far: each attempt's duration plus each wait. (Summed rather than
        // read off one clock, so a paused test clock counts exactly the waits.)
        let mut spent = std::time::Duration::ZERO;
        let mut attempt: u32 = 1;
        loop {
            span.record("attempt", attempt);
            let sent_at = std::time::Instant::now();
            let outcome = self.attempt().await;
            spent += sent_at.elapsed();
            if let Ok(response) = &outcome {
                span.record("status", response.status().as_u16());
            }
            let (failure, retry_after) = match outcome {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    let status = response.status();
                    let retry_after = retry::server_wait(status, response.headers());
                    let failure = Response::new(operation, response).into_unexpected().await;
                    if !retry::retryable_status(status) {
                        return Err(failure);
                    }
                    (failure, retry_after)
                }
                Err(source) => {
                    let retryable = retry::retryable_transport(&source);
                    let failure = Error::from_transport(operation, source);
                    if !retryable {
                        return Err(failure);
                    }
                    (failure, None)
                }
            };
            let wait = may_retry
                .then(|| retry.next_wait(attempt, retry_after, spent))
                .flatten();
            match wait {
                Some(wait) => {
                    tracing::debug!(attempt, ?wait, error = %failure, "retrying");
                    tokio::time::sleep(wait).await;
                    spent += wait;
                    attempt += 1;
                }
                None => return Err(failure),
            }
        }
    }

    /// Sends the request and waits for a success response's head; its body is read
    /// when it is decoded.
    pub(crate) async fn send(self) -> Result<Response> {
        let operation = self.operation;
        let response = self.dispatch().await?;
        Ok(Response::new(operation, response))
    }
}

/// Splits a byte stream into lines.
struct Lines {
    chunks: Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: Vec<u8>,
    finished: bool,
}

impl Lines {
    /// The next non-blank line, `None` at the end of the stream.
    async fn next_line(&mut self, operation: &'static str) -> Option<Result<Vec<u8>>> {
        use futures_util::StreamExt;
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Some(Ok(line));
            }
            if self.finished {
                let rest = std::mem::take(&mut self.buffer);
                return (!rest.iter().all(u8::is_ascii_whitespace)).then_some(Ok(rest));
            }
            match self.chunks.next().await {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(source)) => {
                    self.finished = true;
                    self.buffer.clear();
                    return Some(Err(Error::from_transport(operation, source)));
                }
                None => self.finished = true,
            }
        }
    }
}

/// Decodes a JSON body, naming the path where decoding failed. The body is decoded
/// plainly first; only a body that fails is decoded again, tracking the path.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    status: reqwest::StatusCode,
    body: Vec<u8>,
) -> Result<T> {
    if let Ok(value) = <T as serde::Deserialize>::deserialize(&mut serde_json::Deserializer::from_slice(&body)) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(error) => Err(Error::Decode {
            operation,
            status,
            path: error.path().to_string(),
            source: error.into_inner(),
            body,
        }),
    }
}

/// A success response whose body is not read yet.
pub(crate) struct Response {
    operation: &'static str,
    inner: reqwest::Response,
}

impl Response {
    fn new(operation: &'static str, inner: reqwest::Response) -> Self {
        Response { operation, inner }
    }

    /// The HTTP status code.
    pub(crate) fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    /// Decodes the response with `decode`, keeping its status and headers.
    pub(crate) async fn decode_with_meta<T, F>(self, decode: impl FnOnce(Response) -> F) -> Result<ResponseValue<T>>
    where
        F: Future<Output = Result<T>>,
    {
        let status = self.inner.status();
        let headers = self.inner.headers().clone();
        let value = decode(self).await?;
        Ok(ResponseValue::new(status, headers, value))
    }

    /// Reads the whole body.
    async fn read(self) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>)> {
        let status = self.inner.status();
        let headers = self.inner.headers().clone();
        let operation = self.operation;
        let body = self
            .inner
            .bytes()
            .await
            .map_err(|source| Error::from_transport(operation, source))?;
        Ok((status, headers, body.to_vec()))
    }

    /// Decodes the body as JSON, naming the path where decoding failed.
    pub(crate) async fn json<T: DeserializeOwned>(self) -> Result<T> {
        let operation = self.operation;
        let (status, _, body) = self.read().await?;
        decode(operation, status, body)
    }

    /// The body as bytes.
    pub(crate) async fn bytes(self) -> Result<Vec<u8>> {
        Ok(self.read().await?.2)
    }

    /// Nothing, for a success that declares no body (whatever body came is dropped).
    pub(crate) async fn empty(self) -> Result<()> {
        Ok(())
    }

    /// The body as a stream of JSON values, one per line, decoded as they arrive.
    pub(crate) fn json_stream<T>(self) -> JsonStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let operation = self.operation;
        let status = self.inner.status();
        let lines = Lines {
            chunks: Box::pin(self.inner.bytes_stream()),
            buffer: Vec::new(),
            finished: false,
        };
        Box::pin(futures_util::stream::unfold(lines, move |mut lines| async move {
            let item = lines.next_line(operation).await?;
            let decoded = item.and_then(|line| decode(operation, status, line));
            Some((decoded, lines))
        }))
    }

    /// This response as an error for a status the operation does not declare (its
    /// body read in full, or the error that reading it met).
    pub(crate) async fn into_unexpected(self) -> Error {
        let operation = self.operation;
        match self.read().await {
            Ok((status, headers, body)) => Error::UnexpectedStatus {
                operation,
                status,
                headers: Box::new(headers),
                detail: super::error::ErrorDetail::from_body(&body),
                body,
            },
            Err(error) => error,
        }
    }
}
