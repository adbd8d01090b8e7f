//! What one connection is doing, for its header-read and idle timeouts: when bytes last moved,
//! when the head of a request started arriving, and how many requests are being answered.
//!
//! hyper's own `header_read_timeout` cannot serve here: its timer also runs while a keep-alive
//! connection waits for its next request, so it would close idle connections at the header
//! timeout and an idle timeout longer than it could never apply. These counters let the
//! connection's task tell the two apart, for a few relaxed atomic operations per read, write and
//! request.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// No request head is arriving.
const NONE: u64 = u64::MAX;

/// The state of one connection, shared by its socket, its requests and its task.
#[derive(Debug)]
pub(super) struct Activity {
    /// The connection's start: the times below are milliseconds after it.
    epoch: Instant,
    /// When bytes were last read or written.
    last_ms: AtomicU64,
    /// When the first bytes of a request head arrived with no request being answered ([`NONE`]
    /// once the request reached the service).
    head_ms: AtomicU64,
    /// Requests being answered.
    in_flight: AtomicUsize,
}

/// Why a connection is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Expired {
    /// A request head did not arrive in full within the header-read timeout.
    HeaderRead,
    /// No request for the idle timeout.
    Idle,
}

impl Activity {
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Self {
            epoch: Instant::now(),
            last_ms: AtomicU64::new(0),
            head_ms: AtomicU64::new(NONE),
            in_flight: AtomicUsize::new(0),
        })
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    fn read(&self) {
        let now = self.now_ms();
        self.last_ms.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Relaxed) == 0
            && self.head_ms.load(Ordering::Relaxed) == NONE
        {
            self.head_ms.store(now, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.last_ms.store(self.now_ms(), Ordering::Relaxed);
    }

    /// A request reached the service: its head is complete. The guard marks its end.
    pub(super) fn request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.head_ms.store(NONE, Ordering::Relaxed);
        InFlight(Arc::clone(self))
    }

    /// When to look again, and whether the connection has already outstayed a timeout.
    pub(super) fn check(&self, header_read: Duration, idle: Duration) -> Result<Instant, Expired> {
        let now = self.now_ms();
        let at = |ms: u64| self.epoch + Duration::from_millis(ms);
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            // Answering: the request timeout bounds it; look again in a while.
            return Ok(at(now) + idle);
        }
        let head = self.head_ms.load(Ordering::Relaxed);
        let (since, limit, expired) = if head == NONE {
            (self.last_ms.load(Ordering::Relaxed), idle, Expired::Idle)
        } else {
            (head, header_read, Expired::HeaderRead)
        };
        let deadline = since.saturating_add(millis(limit));
        if now >= deadline {
            Err(expired)
        } else {
            Ok(at(deadline))
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(NONE - 1)
}

/// A request being answered; dropped when its response is ready (or the request is abandoned).
#[derive(Debug)]
pub(super) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.wrote();
    }
}

/// A socket that reports its reads and writes to the connection's [`Activity`].
#[derive(Debug)]
pub(super) struct Watched<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Watched<S> {
    pub(super) fn new(inner: S, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: Duration = Duration::from_secs(10);
    const IDLE: Duration = Duration::from_secs(75);

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_expires_after_the_idle_timeout_and_a_half_sent_head_sooner() {
        let activity = Activity::new();
        assert_eq!(activity.check(HEADER, IDLE), Ok(Instant::now() + IDLE));
        tokio::time::advance(IDLE).await;
        assert_eq!(activity.check(HEADER, IDLE), Err(Expired::Idle));

        let activity = Activity::new();
        tokio::time::advance(Duration::from_secs(30)).await;
        activity.read(); // the first bytes of a request, after 30 s idle
        assert!(activity.check(HEADER, IDLE).is_ok());
        tokio::time::advance(HEADER).await;
        assert_eq!(activity.check(HEADER, IDLE), Err(Expired::HeaderRead));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_being_answered_never_expires_and_its_end_restarts_the_idle_clock() {
        let activity = Activity::new();
        activity.read();
        let request = activity.request();
        tokio::time::advance(IDLE * 2).await;
        assert!(activity.check(HEADER, IDLE).is_ok());
        // Bytes of the next request while this one is answered (pipelining) start no header clock.
        activity.read();
        drop(request);
        tokio::time::advance(IDLE - Duration::from_secs(1)).await;
        assert!(activity.check(HEADER, IDLE).is_ok());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(activity.check(HEADER, IDLE), Err(Expired::Idle));
    }
}
