//! The accept loop: every connection served by hyper with a header-read timeout, an idle
//! keep-alive timeout and a cap on open connections, and drained on shutdown.
//!
//! axum's `serve` runs hyper without a timer, so a client could keep a connection open forever
//! by sending half a request, or nothing at all, and enough of them used up the process's file
//! descriptors (`accept error: Too many open files`) and locked everyone out. Here each
//! connection's task closes it once it outstays a timeout (see [`activity`]), and the loop stops
//! accepting at the cap: further connections wait in the kernel's accept backlog, holding no
//! descriptor of ours, until one closes.

mod activity;
pub mod fd_limit;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt as _;

use activity::{Activity, Expired, Watched};

/// The limits every connection is served under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time a request's head (request line and headers) may take to arrive in full.
    pub header_read_timeout: Duration,
    /// Time a keep-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Connections open at once; more wait in the accept backlog.
    pub max_connections: usize,
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, lets every
/// open connection finish its requests in flight, and returns once all are closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        // The connection's task times the head instead (see `activity`): hyper's timer would
        // also close idle keep-alive connections at the header timeout.
        .header_read_timeout(None);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    // Each connection holds a receiver: `closed()` on the sender completes once all are gone.
    let (drain, draining) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(&err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = Connection {
            builder: Arc::clone(&builder),
            router: router.clone(),
            limits,
            draining: draining.clone(),
        };
        tokio::spawn(async move {
            connection.serve(stream, peer).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = drain.send(true);
    drop(draining);
    drain.closed().await;
}

/// A failed `accept`: the client's own trouble is skipped; anything else (out of descriptors,
/// say) is logged and waited out briefly instead of spinning.
async fn accept_failed(err: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(error = %err, "accept failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// What one connection's task needs.
struct Connection {
    builder: Arc<Builder<TokioExecutor>>,
    router: Router,
    limits: ConnectionLimits,
    draining: watch::Receiver<bool>,
}

impl Connection {
    async fn serve(mut self, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let activity = Activity::new();
        let io = TokioIo::new(Watched::new(stream, Arc::clone(&activity)));
        let requests = Arc::clone(&activity);
        let service = self
            .router
            .map_request(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            })
            .map_future(move |response| {
                let answering = requests.request();
                async move {
                    let response = response.await;
                    drop(answering);
                    response
                }
            });
        let connection = self
            .builder
            .serve_connection_with_upgrades(io, TowerToHyperService::new(service));
        let mut connection = pin!(connection);
        let limits = self.limits;
        let mut drain = pin!(self.draining.changed());
        let mut draining = false;
        let mut timer = pin!(tokio::time::sleep(limits.idle_timeout));
        // One poll function rather than `select!`, so that the timer is checked after every
        // read: the first bytes of a request head bring the deadline forward.
        let ended = std::future::poll_fn(|cx| {
            if !draining && drain.as_mut().poll(cx).is_ready() {
                // Finish what is in flight, then close (an idle connection closes at once).
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
            if let Poll::Ready(result) = connection.as_mut().poll(cx) {
                return Poll::Ready(result.err().map(|err| err.to_string()));
            }
            loop {
                let deadline = match activity.check(limits.header_read_timeout, limits.idle_timeout)
                {
                    Ok(deadline) => deadline,
                    Err(Expired::HeaderRead) => {
                        return Poll::Ready(Some("request head not received in time".into()))
                    }
                    Err(Expired::Idle) => return Poll::Ready(Some("idle".into())),
                };
                // Only ever brought earlier here; a later deadline is taken up when it fires.
                if deadline < timer.deadline() {
                    timer.as_mut().reset(deadline);
                }
                if timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                timer.as_mut().reset(deadline);
            }
        })
        .await;
        // Dropping the connection closes the socket.
        if let Some(reason) = ended {
            tracing::debug!(%peer, reason, "connection closed");
        }
    }
}
