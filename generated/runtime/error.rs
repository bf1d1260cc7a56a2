//! The error type of every operation.

use std::convert::Infallible;
use std::fmt;

/// The result of an operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error responses an operation declares (its `…Error` enum): decoded from the
/// status and body of a response that is not a success.
pub trait DeclaredError: Sized {
    /// The declared error for this status and body; `None` when the operation does not
    /// declare the status, or the body does not match what it declares.
    fn from_response(status: reqwest::StatusCode, body: &[u8]) -> Option<Self>;
}

/// No declared errors: everything that is not a success is [`Error::UnexpectedStatus`].
impl DeclaredError for Infallible {
    fn from_response(_: reqwest::StatusCode, _: &[u8]) -> Option<Self> {
        None
    }
}

/// What Vercel says about an error in its body (`{"error": {"code", "message"}}`),
/// read from every error response whatever the operation declares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// A machine-readable code (`forbidden`, `not_found`, `rate_limited`).
    #[serde(default)]
    pub code: Option<String>,
    /// A message for people.
    #[serde(default)]
    pub message: Option<String>,
}

impl ErrorDetail {
    /// The detail in an error body, when it has the shape `{"error": {"code", "message"}}`
    /// with a code or a message.
    pub(crate) fn from_body(body: &[u8]) -> Option<Box<Self>> {
        #[derive(serde::Deserialize)]
        struct Envelope {
            error: ErrorDetail,
        }
        let detail = serde_json::from_slice::<Envelope>(body).ok()?.error;
        (detail.code.is_some() || detail.message.is_some()).then(|| Box::new(detail))
    }
}

/// How much of a response body an error message quotes.
const BODY_PREVIEW_CHARS: usize = 300;

/// An operation failed.
///
/// `E` is the operation's enum of declared error responses (such as
/// `ImportResourceError`); errors that no operation declares (building a client,
/// reading the environment) use the default, [`Infallible`].
///
/// Its `Debug` shows response bodies as text.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = Infallible> {
    /// The server answered with an error status the operation declares.
    #[error("{operation}: the server answered {status}: {error}: {}", Preview(body))]
    Api {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The response body, as received (at most its first 64 KiB).
        body: Vec<u8>,
        /// The declared error, with its decoded body when the operation documents one.
        error: Box<E>,
        /// Vercel's `{"error": {"code", "message"}}` in the body, when it is there.
        detail: Option<Box<ErrorDetail>>,
    },
    /// The server answered with a status the operation does not declare, or with a
    /// declared error status whose body does not match its documented schema.
    #[error("{operation}: the server answered {status}: {}", Preview(body))]
    UnexpectedStatus {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: Box<reqwest::header::HeaderMap>,
        /// The response body, as received (at most its first 64 KiB).
        body: Vec<u8>,
        /// Vercel's `{"error": {"code", "message"}}` in the body, when it is there.
        detail: Option<Box<ErrorDetail>>,
    },
    /// The request could not be sent or the response not received.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// A time limit of the HTTP client ran out (its connect timeout, or a timeout of a
    /// `reqwest::Client` given to the builder); the client's own limits are
    /// [`Error::TimeLimit`].
    #[error("{operation}: timed out: {source}")]
    Timeout {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// A time limit of the client or the call ran out: the attempt's `timeout`, or
    /// the `read_timeout` between two parts of the answer (see
    /// [`ClientBuilder`](crate::ClientBuilder)).
    #[error("{operation}: timed out: no {waiting_for} within the {limit} of {after:?}")]
    TimeLimit {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The limit that ran out: `timeout` or `read timeout`.
        limit: &'static str,
        /// How long the limit is.
        after: std::time::Duration,
        /// What did not come: `the response head`, or `the body` (its next part).
        waiting_for: &'static str,
    },
    /// An answer's body (or a line of a JSON stream) is larger than the client's
    /// maximum body size; it was not read further.
    #[error(
        "{operation}: the {status} answer is larger than the maximum body size of {limit} bytes \
         (raise it with max_body_size, or read a download with the builder's stream method)"
    )]
    BodyTooLarge {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// The maximum body size, in bytes.
        limit: usize,
    },
    /// A `paginate()` stream stopped: the server gave a cursor it had given before
    /// (the listing would go round for ever), or the listing has more pages than the
    /// page limit.
    #[error("{operation}: pagination stopped: {reason}")]
    Pagination {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// Why (it names the repeated cursor, or the limit).
        reason: String,
    },
    /// A success response did not match the documented schema.
    #[error("{operation}: cannot decode the {status} response at `{path}`: {source}")]
    Decode {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The HTTP status.
        status: reqwest::StatusCode,
        /// Where in the body decoding failed (a serde path such as `resources[0].status`).
        path: String,
        /// The decoding error.
        #[source]
        source: serde_json::Error,
        /// The response body, as received.
        body: Vec<u8>,
    },
    /// A parameter or body could not be encoded into the request.
    #[error("{operation}: cannot encode {what}: {message}")]
    Encode {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// What was being encoded (`the body`, `header x-foo`).
        what: String,
        /// Why it failed.
        message: String,
    },
    /// No token was found where one was expected.
    #[error("no Vercel token: set the {variable} environment variable")]
    MissingToken {
        /// The environment variable that was read.
        variable: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Config(#[source] reqwest::Error),
    /// A setting of the client is invalid.
    #[error("invalid client setting: {what}: {message}")]
    InvalidConfig {
        /// The setting (`the user agent`).
        what: &'static str,
        /// Why it is invalid.
        message: String,
    },
}

impl Error {
    /// A transport failure, as [`Error::Timeout`] when it is one.
    pub(crate) fn from_transport(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Error::Timeout { operation, source }
        } else {
            Error::Transport { operation, source }
        }
    }

    /// This error with an operation's declared errors: an unexpected status that `E`
    /// declares becomes [`Error::Api`]; everything else is unchanged.
    pub fn declared_as<E: DeclaredError>(self) -> Error<E> {
        match self {
            Error::UnexpectedStatus {
                operation,
                status,
                headers,
                body,
                detail,
            } => match E::from_response(status, &body) {
                Some(error) => Error::Api {
                    operation,
                    status,
                    headers,
                    body,
                    error: Box::new(error),
                    detail,
                },
                None => Error::UnexpectedStatus {
                    operation,
                    status,
                    headers,
                    body,
                    detail,
                },
            },
            Error::Api { error, .. } => match *error {},
            Error::Transport { operation, source } => Error::Transport { operation, source },
            Error::Timeout { operation, source } => Error::Timeout { operation, source },
            Error::Decode {
                operation,
                status,
                path,
                source,
                body,
            } => Error::Decode {
                operation,
                status,
                path,
                source,
                body,
            },
            Error::Encode {
                operation,
                what,
                message,
            } => Error::Encode {
                operation,
                what,
                message,
            },
            Error::TimeLimit {
                operation,
                limit,
                after,
                waiting_for,
            } => Error::TimeLimit {
                operation,
                limit,
                after,
                waiting_for,
            },
            Error::BodyTooLarge { operation, status, limit } => Error::BodyTooLarge { operation, status, limit },
            Error::Pagination { operation, reason } => Error::Pagination { operation, reason },
            Error::MissingToken { variable } => Error::MissingToken { variable },
            Error::Config(source) => Error::Config(source),
            Error::InvalidConfig { what, message } => Error::InvalidConfig { what, message },
        }
    }
}

impl<E> Error<E> {
    /// The declared error response, when the server answered with one.
    pub fn declared(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The declared error response, when the server answered with one.
    pub fn into_declared(self) -> Option<E> {
        match self {
            Error::Api { error, .. } => Some(*error),
            _ => None,
        }
    }

    /// Did a time limit run out: the client's or the call's ([`Error::TimeLimit`]), or
    /// one of the HTTP client's own (its connect timeout: [`Error::Timeout`])?
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::TimeLimit { .. } | Error::Timeout { .. })
    }

    /// Did the server refuse the request for sending too many (`429`)?
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    }

    /// The wait the server asked for in `Retry-After` (seconds, or an HTTP date counted
    /// from now), if any.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        super::retry::retry_after(self.headers()?)
    }

    /// When the rate limit window resets, from `X-RateLimit-Reset` (Unix seconds), if the
    /// answer says.
    pub fn rate_limit_reset(&self) -> Option<std::time::SystemTime> {
        super::retry::rate_limit_reset(self.headers()?)
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::UnexpectedStatus { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// Vercel's `{"error": {"code", "message"}}` from an error response's body.
    pub fn detail(&self) -> Option<&ErrorDetail> {
        match self {
            Error::Api { detail, .. } | Error::UnexpectedStatus { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }

    /// The `error.code` of an error response's body (`forbidden`), whatever the
    /// operation declares.
    pub fn code(&self) -> Option<&str> {
        self.detail()?.code.as_deref()
    }

    /// The `error.message` of an error response's body, whatever the operation declares.
    pub fn message(&self) -> Option<&str> {
        self.detail()?.message.as_deref()
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } | Error::Timeout { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The raw response body, when there was one.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api { body, .. }
            | Error::UnexpectedStatus { body, .. }
            | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The operation that failed.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Encode { operation, .. }
            | Error::TimeLimit { operation, .. }
            | Error::BodyTooLarge { operation, .. }
            | Error::Pagination { operation, .. } => Some(operation),
            Error::Config(_) | Error::MissingToken { .. } | Error::InvalidConfig { .. } => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                headers,
                body,
                error,
                detail,
            } => f
                .debug_struct("Api")
                .field("operation", operation)
                .field("status", status)
                .field("headers", headers)
                .field("body", &BodyText(body))
                .field("error", error)
                .field("detail", detail)
                .finish(),
            Error::UnexpectedStatus {
                operation,
                status,
                headers,
                body,
                detail,
            } => f
                .debug_struct("UnexpectedStatus")
                .field("operation", operation)
                .field("status", status)
                .field("headers", headers)
                .field("body", &BodyText(body))
                .field("detail", detail)
                .finish(),
            Error::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::Timeout { operation, source } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::Decode {
                operation,
                status,
                path,
                source,
                body,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("path", path)
                .field("source", source)
                .field("body", &BodyText(body))
                .finish(),
            Error::Encode {
                operation,
                what,
                message,
            } => f
                .debug_struct("Encode")
                .field("operation", operation)
                .field("what", what)
                .field("message", message)
                .finish(),
            Error::TimeLimit {
                operation,
                limit,
                after,
                waiting_for,
            } => f
                .debug_struct("TimeLimit")
                .field("operation", operation)
                .field("limit", limit)
                .field("after", after)
                .field("waiting_for", waiting_for)
                .finish(),
            Error::BodyTooLarge { operation, status, limit } => f
                .debug_struct("BodyTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::Pagination { operation, reason } => f
                .debug_struct("Pagination")
                .field("operation", operation)
                .field("reason", reason)
                .finish(),
            Error::MissingToken { variable } => {
                f.debug_struct("MissingToken").field("variable", variable).finish()
            }
            Error::Config(source) => f.debug_tuple("Config").field(source).finish(),
            Error::InvalidConfig { what, message } => f
                .debug_struct("InvalidConfig")
                .field("what", what)
                .field("message", message)
                .finish(),
        }
    }
}

/// A body in `Debug`: as (lossy UTF-8) text, not as a list of bytes.
struct BodyText<'a>(&'a [u8]);

impl fmt::Debug for BodyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(self.0), f)
    }
}

/// The start of a body, for messages.
struct Preview<'a>(&'a [u8]);

impl fmt::Display for Preview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(self.0);
        let text = text.trim();
        if text.is_empty() {
            return f.write_str("(empty body)");
        }
        match text.char_indices().nth(BODY_PREVIEW_CHARS) {
            Some((cut, _)) => write!(f, "{}…", &text[..cut]),
            None => f.write_str(text),
        }
    }
}
