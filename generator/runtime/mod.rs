//! The hand-written runtime the generated operations call: the client, its
//! errors, and request encoding. It is copied unchanged into every generated
//! crate by `vercel-codegen`; edit it in `generator/runtime/`.

// A crate generated for some tags only may not call every helper.
#![allow(dead_code)]

mod body;
mod client;
mod error;
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
    path::Path,
    request::{Endpoint, Request, Response},
    union::{decode_untagged, Member},
};
