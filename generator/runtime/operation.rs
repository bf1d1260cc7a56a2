//! What every operation's request builder shares: how it is sent and its answer decoded.
//!
//! A builder says only what differs between operations: what it answers and which
//! errors it declares ([`Operation`]), how its parameters make a [`Request`] and how a
//! success is decoded ([`Exchange`]). Sending, retrying and reading declared errors are
//! the same for all of them ([`send`]).

use std::future::Future;

use serde::de::DeserializeOwned;

use super::error::{DeclaredError, Error, Result};
use super::options::ResponseValue;
use super::body::{ByteStream, JsonStream};
use super::request::{Endpoint, Request, Response};

mod sealed {
    /// Only the crate's own request builders are operations.
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// A request to one operation of the API: what a success answers and which error
/// responses the operation declares.
///
/// Every request builder (`client.get_project(..)`, say) is one; awaiting it, or
/// calling its `send`, resolves to [`Outcome<Self>`](Outcome).
pub trait Operation: Sealed + Send + Sized + 'static {
    /// The decoded success response.
    type Output: Send + 'static;
    /// The operation's enum of declared error responses.
    type Error: DeclaredError + Send + 'static;
}

/// What sending an operation's request resolves to.
pub type Outcome<O> = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>;

/// How an operation's request is made and its success decoded.
pub(crate) trait Exchange: Operation {
    /// The operation's id, method and path template.
    const ENDPOINT: Endpoint;

    /// The request, with every parameter the builder holds.
    fn into_request(self) -> Request;

    /// Decodes a success response (any 2xx status).
    fn decode(response: Response) -> impl Future<Output = Result<Self::Output>> + Send;
}

/// Sends an operation's request, decodes a success, and reads any other answer as one
/// of the operation's declared errors (or as an unexpected status).
pub(crate) async fn send<O: Exchange>(operation: O) -> Outcome<O> {
    let outcome = match operation.into_request().send().await {
        Ok(response) => O::decode(response).await,
        Err(error) => Err(error),
    };
    outcome.map_err(Error::declared_as)
}

/// Like [`send`], keeping the status and headers of a success with its value.
pub(crate) async fn send_with_meta<O: Exchange>(
    operation: O,
) -> Result<ResponseValue<O::Output>, Error<O::Error>> {
    let outcome = match operation.into_request().send().await {
        Ok(response) => response.decode_with_meta(O::decode).await,
        Err(error) => Err(error),
    };
    outcome.map_err(Error::declared_as)
}

/// Sends an operation's request asking for `application/stream+json`, and yields each
/// JSON value of the success response as it arrives.
pub(crate) async fn stream<O, T>(operation: O) -> Result<JsonStream<T>, Error<O::Error>>
where
    O: Exchange,
    T: DeserializeOwned + Send + 'static,
{
    let mut request = operation.into_request();
    request.accept("application/stream+json");
    match request.send().await {
        Ok(response) => Ok(response.json_stream()),
        Err(error) => Err(error.declared_as()),
    }
}

/// Sends an operation's request and yields the body of its (binary) success response
/// chunk by chunk as it arrives, without holding it whole.
pub(crate) async fn download<O: Exchange>(operation: O) -> Result<ByteStream, Error<O::Error>> {
    match operation.into_request().send().await {
        Ok(response) => Ok(response.byte_stream()),
        Err(error) => Err(error.declared_as()),
    }
}

/// What makes a type with an [`Exchange`] impl a request builder: it is an
/// [`Operation`], and calling `send` or awaiting it sends it.
// Unused by a crate whose operations are all in disabled features.
#[allow(unused_macros)]
macro_rules! request_builder {
    ($builder:ident) => {
        impl crate::runtime::Sealed for $builder {}

        impl $builder {
            /// Sends the request and decodes the answer, as awaiting the builder does;
            /// the future borrows nothing, so it can be spawned.
            pub fn send(self) -> crate::BoxFuture<crate::Outcome<Self>> {
                Box::pin(crate::runtime::send(self))
            }

            /// Sends the request and decodes the answer, keeping its status and headers
            /// (the rate limit quota, say).
            pub fn send_with_meta(
                self,
            ) -> crate::BoxFuture<
                crate::Result<
                    crate::ResponseValue<<Self as crate::Operation>::Output>,
                    crate::Error<<Self as crate::Operation>::Error>,
                >,
            > {
                Box::pin(crate::runtime::send_with_meta(self))
            }

            /// Overrides the client's timeout and retry policy, and adds headers, for
            /// this request only; replaces options set before.
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }
        }

        impl std::future::IntoFuture for $builder {
            type Output = crate::Outcome<Self>;
            type IntoFuture = crate::BoxFuture<Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}
pub(crate) use request_builder;
