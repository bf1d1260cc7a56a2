//! Listings that continue page after page, as one stream of items.

use std::future::Future;
use std::pin::Pin;

use futures_util::{stream, Stream, StreamExt, TryStreamExt};

use super::error::Error;

/// Every item of a listing, fetched page after page as the stream is read.
pub type Paginated<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'static>>;

/// Streams the items of the pages that `fetch_page` returns, starting with the request
/// `first`. `fetch_page` answers with a page's items and the request for the next page;
/// the listing ends at a page with no next request, an empty page, or an error (which
/// is the stream's last item).
pub(crate) fn paginate<R, T, E, F, Fut>(first: R, fetch_page: F) -> Paginated<T, E>
where
    R: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    F: FnMut(R) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<R>), Error<E>>> + Send + 'static,
{
    let pages = stream::try_unfold((Some(first), fetch_page), |(request, mut fetch_page)| async move {
        let Some(request) = request else {
            return Ok(None);
        };
        let (items, next) = fetch_page(request).await?;
        let next = if items.is_empty() { None } else { next };
        let items = stream::iter(items.into_iter().map(Ok));
        Ok(Some((items, (next, fetch_page))))
    });
    pages.try_flatten().boxed()
}
