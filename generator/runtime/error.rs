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

/// How much of a response body an error message quotes.
const BODY_PREVIEW_CHARS: usize = 300;

/// An operation failed.
///
/// `E` is the operation's enum of declared error responses (such as
/// `ImportResourceError`); errors that no operation declares (building a client,
/// reading the environment) use the default, [`Infallible`].
#[derive(Debug, thiserror::Error)]
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
        /// The response body, as received.
        body: Vec<u8>,
        /// The declared error, with its decoded body when the operation documents one.
        error: Box<E>,
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
        /// The response body, as received.
        body: Vec<u8>,
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
    /// No complete answer arrived within the client's timeout.
    #[error("{operation}: timed out: {source}")]
    Timeout {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The transport error.
        #[source]
        source: reqwest::Error,
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
            } => match E::from_response(status, &body) {
                Some(error) => Error::Api {
                    operation,
                    status,
                    headers,
                    body,
                    error: Box::new(error),
                },
                None => Error::UnexpectedStatus {
                    operation,
                    status,
                    headers,
                    body,
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
            Error::MissingToken { variable } => Error::MissingToken { variable },
            Error::Config(source) => Error::Config(source),
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

    /// Did the server refuse the request for sending too many (`429`)?
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    }

    /// The wait the server asked for in `Retry-After` (delay-seconds form), if any.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::Api { headers, .. } | Error::UnexpectedStatus { headers, .. } => {
                super::retry::retry_after(headers)
            }
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
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
            | Error::Encode { operation, .. } => Some(operation),
            Error::Config(_) | Error::MissingToken { .. } => None,
        }
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
