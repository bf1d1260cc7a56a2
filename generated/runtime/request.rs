//! Encoding one request (path, query, headers, body) and receiving its response.

use std::future::Future;
use std::pin::Pin;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Error, Result};

/// The future a request builder turns into when awaited.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a value for use as one path segment (`a/b c` -> `a%2Fb%20c`).
pub fn encode_path(value: &dyn std::fmt::Display) -> String {
    utf8_percent_encode(&value.to_string(), PATH_SEGMENT).to_string()
}

/// The scalar texts a serialized parameter value stands for: none for `null`, one per
/// element for arrays, compact JSON for objects.
fn parameter_texts(value: serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::String(text) => vec![text],
        serde_json::Value::Array(items) => items.into_iter().flat_map(parameter_texts).collect(),
        other => vec![other.to_string()],
    }
}

/// A request being put together by a generated operation.
pub(crate) struct Request<'c> {
    operation: &'static str,
    http: &'c reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&'c str>,
    query: Vec<(&'static str, String)>,
    headers: reqwest::header::HeaderMap,
    body: Option<Vec<u8>>,
    error: Option<Error>,
}

impl<'c> Request<'c> {
    /// A request for `operation` with no parameters yet.
    pub(crate) fn new(
        operation: &'static str,
        http: &'c reqwest::Client,
        method: reqwest::Method,
        url: String,
        token: Option<&'c str>,
    ) -> Self {
        Request {
            operation,
            http,
            method,
            url,
            token,
            query: Vec::new(),
            headers: reqwest::header::HeaderMap::new(),
            body: None,
            error: None,
        }
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

    /// Sets a raw body with its media type.
    pub(crate) fn bytes(&mut self, media_type: &'static str, body: Vec<u8>) {
        self.headers.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static(media_type),
        );
        self.body = Some(body);
    }

    /// Sends the request; any status but 2xx is an [`Error::Status`].
    pub(crate) async fn send(self) -> Result<Response> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let operation = self.operation;
        let transport = |source| Error::Transport { operation, source };
        let mut builder = self
            .http
            .request(self.method, self.url)
            .query(&self.query)
            .headers(self.headers);
        if let Some(token) = self.token {
            builder = builder.bearer_auth(token);
        }
        if let Some(body) = self.body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        let response = Response {
            operation,
            status,
            headers,
            body,
        };
        if status.is_success() {
            Ok(response)
        } else {
            Err(response.into_unexpected())
        }
    }
}

/// A received success response.
pub(crate) struct Response {
    operation: &'static str,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Response {
    /// The HTTP status code.
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes the body as JSON, naming the path where decoding failed.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(value),
            Err(error) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                path: error.path().to_string(),
                source: error.into_inner(),
                body: self.body,
            }),
        }
    }

    /// The body as bytes.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// This response as an error for a status the operation does not declare.
    pub(crate) fn into_unexpected(self) -> Error {
        Error::Status {
            operation: self.operation,
            status: self.status,
            headers: Box::new(self.headers),
            body: self.body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_encode_reserved_characters() {
        assert_eq!(encode_path(&"a/b c%d"), "a%2Fb%20c%25d");
        assert_eq!(encode_path(&"plain-id_1.2~x"), "plain-id_1.2~x");
        assert_eq!(encode_path(&"é"), "%C3%A9");
    }

    #[test]
    fn parameters_flatten_to_texts() {
        use serde_json::json;
        assert_eq!(parameter_texts(json!(null)), Vec::<String>::new());
        assert_eq!(parameter_texts(json!(true)), vec!["true"]);
        assert_eq!(parameter_texts(json!(20)), vec!["20"]);
        assert_eq!(parameter_texts(json!(["a", "b"])), vec!["a", "b"]);
    }
}
