//! The hand-written runtime the generated operations call: the client, its
//! errors, and request encoding. It is copied unchanged into every generated
//! crate by `vercel-codegen`; edit it in `generator/runtime/`.

// A crate generated for some tags only may not call every helper.
#![allow(dead_code)]

mod body;
mod captured;
mod client;
mod error;
mod fill;
mod nullable;
mod number;
mod operation;
mod options;
mod pacing;
mod paging;
mod path;
mod request;
mod retry;
mod union;

pub use body::{ByteStream, JsonStream};
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_PAGES,
    DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use error::{DeclaredError, Error, ErrorDetail, Result};
pub use fill::{FillCause, Filled};
pub use nullable::Nullable;
pub use number::Number;
pub use operation::{Operation, Outcome};
pub use options::{RateLimit, RequestOptions, ResponseValue};
pub use paging::Paginated;
pub use request::BoxFuture;
pub use retry::RetryPolicy;
// Unused by a crate whose operations are all in disabled features.
#[allow(unused_imports)]
pub(crate) use {
    operation::{download, request_builder, send, send_with_meta, stream, Exchange, Sealed},
    paging::{paginate, Pages},
    fill::{absent, error_body, non_null},
    path::Path,
    request::{Endpoint, Request, Response},
    union::{by_json_type, decode_tagged, decode_untagged, member, string_enum, JsonTypes, Kinds, Member, Tagged, Untagged},
};

/// Decodes a success body of `operation` as the client does (a status of 200): the
/// value, or `Error::Decode` naming where decoding failed. For the decoding benchmark
/// and tests; not part of the supported API.
#[doc(hidden)]
pub fn decode_body<T: serde::de::DeserializeOwned>(operation: &'static str, body: Vec<u8>) -> Result<T> {
    request::decode(operation, reqwest::StatusCode::OK, body, false).map(|(value, _)| value)
}

/// Decodes a success body of `operation` as the client does (a status of 200), with or
/// without strict decoding: the value and the fields filled in. For tests; not part of
/// the supported API.
#[doc(hidden)]
pub fn decode_answer<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    body: Vec<u8>,
    strict: bool,
) -> Result<(T, Vec<Filled>)> {
    request::decode(operation, reqwest::StatusCode::OK, body, strict)
}
