//! A small pool of tokio-postgres connections, each with its own prepared statements.
//!
//! Our own, rather than a pool crate's, for two reasons:
//! - **No connection task.** tokio-postgres hands back each connection's socket as a future
//!   that is usually spawned as a task of its own, so every request crosses tasks twice: the
//!   request wakes the connection task to write, and the connection task wakes the request
//!   with its answer (on a multi-threaded runtime, often on the other thread). A connection
//!   here serves one call at a time, so the call drives the socket itself
//!   ([`Conn::drive`]): the requests are written and their answers read in the caller's task,
//!   and the socket's readiness wakes the caller directly.
//! - **Cancellation.** A store call cut short by the availability budget may leave its
//!   requests in flight (or a hung socket behind), so a connection goes back to the pool only
//!   when its call ran to the end ([`Lease::finished`]); any other is dropped, which closes
//!   the socket (an open transaction is then rolled back by the server).

use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::sync::Mutex;
use std::task::{Context, Poll};

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::{Client, NoTls, Socket, Statement};

use crate::store::StoreError;

/// A connection's socket and protocol state: a future that makes progress (writes queued
/// requests, reads their answers) whenever it is polled, and ends when the connection does.
type Wire = Pin<Box<tokio_postgres::Connection<Socket, NoTlsStream>>>;

/// At most `size` connections, opened on demand and kept while they work.
pub(super) struct Pool {
    config: tokio_postgres::Config,
    idle: Mutex<Vec<Conn>>,
    /// One permit per connection that may exist.
    permits: Semaphore,
}

impl Pool {
    /// A pool of up to `size` connections to `config` (none opened yet).
    pub(super) fn new(config: tokio_postgres::Config, size: usize) -> Self {
        Self {
            config,
            idle: Mutex::new(Vec::with_capacity(size)),
            permits: Semaphore::new(size),
        }
    }

    /// A connection for one call: the most recently used idle one (its statements are the
    /// likeliest to be prepared already), or a new one. Waits while all are in use; the
    /// caller bounds the wait.
    pub(super) async fn get(&self) -> Result<Lease<'_>, tokio_postgres::Error> {
        let permit = self
            .permits
            .acquire()
            .await
            .unwrap_or_else(|_| unreachable!("the pool's semaphore is never closed"));
        while let Some(mut conn) = self.pop_idle() {
            // A connection the server (or the network) closed while idle is dropped here, not
            // failed on: the outage guard would otherwise see an outage that is over.
            if conn.is_open() {
                return Ok(Lease::new(self, conn, permit));
            }
        }
        let (client, wire) = self.config.connect(NoTls).await?;
        let conn = Conn {
            client,
            statements: HashMap::new(),
            wire: Box::pin(wire),
            ended: false,
        };
        Ok(Lease::new(self, conn, permit))
    }

    fn pop_idle(&self) -> Option<Conn> {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
    }

    fn put_back(&self, conn: Conn) {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(conn);
    }
}

/// One connection: its client, its socket (driven by the call that holds it), and its
/// prepared statements by SQL text. Dropping it closes the socket.
pub(super) struct Conn {
    client: Client,
    /// Each SQL text is prepared once per connection (its name and types live on the server
    /// as long as the session).
    statements: HashMap<&'static str, Statement>,
    wire: Wire,
    /// The socket's future has ended (closed, or failed): the connection is done.
    ended: bool,
}

impl Conn {
    /// Runs `work`, requests on this connection's client, to its end while driving the
    /// socket in the same task: the requests are written and their answers read as `work`
    /// awaits them. If the connection ends first, that is the answer (a closed socket is
    /// [`StoreError::Unavailable`]), unless its last read completed `work`.
    pub(super) async fn drive<'c, T, F>(
        &'c mut self,
        work: impl FnOnce(&'c Client) -> F,
    ) -> Result<T, StoreError>
    where
        F: Future<Output = Result<T, tokio_postgres::Error>> + 'c,
    {
        let Self {
            client,
            wire,
            ended,
            ..
        } = self;
        let mut work = pin!(work(client));
        poll_fn(|cx| {
            if let Poll::Ready(outcome) = work.as_mut().poll(cx) {
                return Poll::Ready(outcome.map_err(StoreError::from));
            }
            let Poll::Ready(end) = wire.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            *ended = true;
            // Its last read may have carried the answers `work` waited for.
            if let Poll::Ready(outcome) = work.as_mut().poll(cx) {
                return Poll::Ready(outcome.map_err(StoreError::from));
            }
            Poll::Ready(Err(
                end.map_or_else(StoreError::from, |()| StoreError::Unavailable)
            ))
        })
        .await
    }

    /// `sql` as a statement prepared on this connection (one round trip the first time only).
    pub(super) async fn statement(&mut self, sql: &'static str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.drive(|client| client.prepare(sql)).await?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    /// Whether the connection still works: it has not ended, and reading what arrived while it
    /// sat idle (nothing, on a healthy connection; an end of file, when the server closed it)
    /// does not end it now.
    fn is_open(&mut self) -> bool {
        if !self.ended {
            let mut cx = Context::from_waker(futures::task::noop_waker_ref());
            self.ended = self.wire.as_mut().poll(&mut cx).is_ready();
        }
        !self.ended
    }
}

/// A connection on loan for one call.
pub(super) struct Lease<'p> {
    pool: &'p Pool,
    conn: Option<Conn>,
    finished: bool,
    _permit: SemaphorePermit<'p>,
}

impl<'p> Lease<'p> {
    fn new(pool: &'p Pool, conn: Conn, permit: SemaphorePermit<'p>) -> Self {
        Self {
            pool,
            conn: Some(conn),
            finished: false,
            _permit: permit,
        }
    }

    /// The connection.
    pub(super) fn conn(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("a lease holds its connection until dropped"))
    }

    /// Marks the call complete: every request sent got its answer, so the session is idle
    /// (no transaction open) and the connection may serve the next call.
    pub(super) fn finished(&mut self) {
        self.finished = true;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if self.finished && !conn.ended {
                self.pool.put_back(conn);
            }
        }
    }
}
