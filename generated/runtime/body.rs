//! Reading answers within the client's limits: time limits on every wait for the
//! server, a size cap on every body read whole, and a bounded prefix of error bodies.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::time::Instant;

use super::error::{Error, Result};

/// How much of an error response's body is read and kept (64 KiB): enough for any
/// error Vercel sends, and a bound on what a hostile answer costs.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The items of an `application/stream+json` response, decoded as they arrive.
pub type JsonStream<T> = Pin<Box<dyn futures_util::Stream<Item = Result<T>> + Send>>;

/// The body of a binary answer (a download), chunk by chunk as it arrives.
pub type ByteStream = Pin<Box<dyn futures_util::Stream<Item = Result<Bytes>> + Send>>;

/// The time limits of one attempt: `timeout` from its start, and `read_timeout` for
/// each wait for the next part of an answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    started: Instant,
    timeout: Option<Duration>,
    read_timeout: Option<Duration>,
}

impl Clock {
    /// Limits that start now.
    pub(crate) fn start(timeout: Option<Duration>, read_timeout: Option<Duration>) -> Self {
        Clock {
            started: Instant::now(),
            timeout,
            read_timeout,
        }
    }

    /// These limits with another read timeout.
    pub(crate) fn with_read_timeout(self, read_timeout: Option<Duration>) -> Self {
        Clock { read_timeout, ..self }
    }

    /// These limits without the attempt's timeout (for an answer read as a stream).
    pub(crate) fn without_timeout(self) -> Self {
        Clock { timeout: None, ..self }
    }

    /// The first limit to run out from now: its deadline, its name and its length.
    /// A limit too far away to be represented is no limit.
    fn next_limit(&self) -> Option<(Instant, &'static str, Duration)> {
        let total = self
            .timeout
            .and_then(|limit| Some((self.started.checked_add(limit)?, "timeout", limit)));
        let idle = self
            .read_timeout
            .and_then(|limit| Some((Instant::now().checked_add(limit)?, "read timeout", limit)));
        match (total, idle) {
            (Some(total), Some(idle)) => Some(if idle.0 < total.0 { idle } else { total }),
            (total, idle) => total.or(idle),
        }
    }

    /// Awaits `future` within the limits, or fails with [`Error::TimeLimit`].
    pub(crate) async fn within<F: Future>(
        &self,
        operation: &'static str,
        waiting_for: &'static str,
        future: F,
    ) -> Result<F::Output> {
        let Some((deadline, limit, after)) = self.next_limit() else {
            return Ok(future.await);
        };
        tokio::time::timeout_at(deadline, future)
            .await
            .map_err(|_| Error::TimeLimit {
                operation,
                limit,
                after,
                waiting_for,
            })
    }
}

/// A response whose body is read within a clock's limits.
pub(crate) struct Body {
    pub(crate) operation: &'static str,
    pub(crate) inner: reqwest::Response,
    pub(crate) clock: Clock,
}

impl Body {
    /// The next chunk of the body, `None` at its end.
    async fn chunk(&mut self) -> Result<Option<Bytes>> {
        let operation = self.operation;
        self.clock
            .within(operation, "the body", self.inner.chunk())
            .await?
            .map_err(|source| Error::from_transport(operation, source))
    }

    /// At most `limit` bytes of the body, and whether that was all of it.
    pub(crate) async fn read_up_to(&mut self, limit: usize) -> Result<(Vec<u8>, bool)> {
        let expected = self.inner.content_length().unwrap_or(0).min(limit as u64);
        let mut body = Vec::with_capacity(expected as usize);
        while let Some(chunk) = self.chunk().await? {
            let room = limit - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                return Ok((body, false));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((body, true))
    }

    /// The whole body, or [`Error::BodyTooLarge`] as soon as it is known to hold more
    /// than `limit` bytes (from its `Content-Length`, or while reading).
    pub(crate) async fn read_all(mut self, limit: usize) -> Result<Vec<u8>> {
        let too_large = Error::BodyTooLarge {
            operation: self.operation,
            status: self.inner.status(),
            limit,
        };
        if self.inner.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large);
        }
        match self.read_up_to(limit).await? {
            (body, true) => Ok(body),
            (_, false) => Err(too_large),
        }
    }

    /// The body chunk by chunk, each within the read timeout.
    pub(crate) fn into_stream(self) -> ByteStream {
        Box::pin(futures_util::stream::try_unfold(self, |mut body| async move {
            Ok(body.chunk().await?.map(|chunk| (chunk, body)))
        }))
    }

    /// The body split into its non-blank lines, each at most `limit` bytes long.
    pub(crate) fn into_lines(self, limit: usize) -> Lines {
        Lines {
            body: self,
            buffer: BytesMut::new(),
            scanned: 0,
            limit,
            finished: false,
        }
    }
}

/// The lines of a body. Each byte is looked at once when searching for line ends, so
/// splitting takes time linear in the body, and a line longer than `limit` ends the
/// stream with [`Error::BodyTooLarge`] instead of growing the buffer.
pub(crate) struct Lines {
    body: Body,
    buffer: BytesMut,
    /// How much of `buffer` is known to hold no line end.
    scanned: usize,
    limit: usize,
    finished: bool,
}

impl Lines {
    /// The next non-blank line, `None` at the end of the body or after an error.
    pub(crate) async fn next_line(&mut self) -> Option<Result<Bytes>> {
        loop {
            if self.finished {
                return None;
            }
            if let Some(offset) = self.buffer[self.scanned..].iter().position(|b| *b == b'\n') {
                let line = self.buffer.split_to(self.scanned + offset + 1).freeze();
                self.scanned = 0;
                if !is_blank(&line) {
                    return Some(Ok(line));
                }
                continue;
            }
            self.scanned = self.buffer.len();
            if self.buffer.len() > self.limit {
                self.finished = true;
                return Some(Err(Error::BodyTooLarge {
                    operation: self.body.operation,
                    status: self.body.inner.status(),
                    limit: self.limit,
                }));
            }
            match self.body.chunk().await {
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk),
                Ok(None) => {
                    self.finished = true;
                    let rest = std::mem::take(&mut self.buffer).freeze();
                    return (!is_blank(&rest)).then_some(Ok(rest));
                }
                Err(error) => {
                    self.finished = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}
