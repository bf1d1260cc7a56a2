//! Listings that continue page after page, as one stream of items.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use futures_util::{stream, Stream, StreamExt, TryStreamExt};

use super::client::Client;
use super::error::Error;
use super::options::RequestOptions;

/// Every item of a listing, fetched page after page as the stream is read.
pub type Paginated<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'static>>;

/// What a listing has done so far: the cursors it was given, and how many pages it
/// may still request.
pub(crate) struct Pages {
    operation: &'static str,
    max_pages: usize,
    requested: usize,
    seen: HashSet<String>,
}

impl Pages {
    /// A listing of `operation` whose first request has the cursor `first_cursor`
    /// (when the caller set one), within the call's page limit or else the client's.
    pub(crate) fn new(
        operation: &'static str,
        client: &Client,
        options: &RequestOptions,
        first_cursor: Option<String>,
    ) -> Self {
        Pages {
            operation,
            max_pages: options.max_pages.unwrap_or(client.max_pages()),
            requested: 0,
            seen: first_cursor.into_iter().collect(),
        }
    }

    /// May one more page be requested? Counts it when it may.
    fn take_page<E>(&mut self) -> Result<(), Error<E>> {
        if self.requested >= self.max_pages {
            return Err(self.stop(format!(
                "the listing has more than {} pages, the page limit (raise it with max_pages)",
                self.max_pages
            )));
        }
        self.requested += 1;
        Ok(())
    }

    /// Is `cursor` new? A cursor given before means the listing goes round in a cycle.
    fn check_cursor<E>(&mut self, cursor: String) -> Result<(), Error<E>> {
        if self.seen.contains(&cursor) {
            return Err(self.stop(format!("the server gave the cursor {cursor:?} a second time")));
        }
        self.seen.insert(cursor);
        Ok(())
    }

    fn stop<E>(&self, reason: String) -> Error<E> {
        Error::Pagination {
            operation: self.operation,
            reason,
        }
    }
}

/// Where a listing is: the next request to send, an error to end with after the
/// items already yielded, or its end.
enum Next<R, E> {
    Request(R),
    Fail(Error<E>),
    End,
}

/// Streams the items of the pages that `fetch_page` returns, starting with the request
/// `first`. `fetch_page` answers with a page's items and, when there is a next page,
/// its cursor (as text) and its request. The listing ends at a page with no next
/// request or an empty page; it ends with an error after a failed request, a cursor
/// given before (a cycle: A, B, A, ...), or when the page limit would be passed.
pub(crate) fn paginate<R, T, E, F, Fut>(pages: Pages, first: R, fetch_page: F) -> Paginated<T, E>
where
    R: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    F: FnMut(R) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<(String, R)>), Error<E>>> + Send + 'static,
{
    let state = (Next::Request(first), pages, fetch_page);
    let pages = stream::try_unfold(state, |(next, mut pages, mut fetch_page)| async move {
        let request = match next {
            Next::Request(request) => request,
            Next::Fail(error) => return Err(error),
            Next::End => return Ok(None),
        };
        pages.take_page()?;
        let (items, next) = fetch_page(request).await?;
        let next = match next {
            Some(_) if items.is_empty() => Next::End,
            Some((cursor, request)) => match pages.check_cursor(cursor) {
                Ok(()) => Next::Request(request),
                Err(error) => Next::Fail(error),
            },
            None => Next::End,
        };
        let items = stream::iter(items.into_iter().map(Ok));
        Ok(Some((items, (next, pages, fetch_page))))
    });
    pages.try_flatten().boxed()
}
