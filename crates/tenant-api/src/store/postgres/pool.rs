//! A small pool of connections ([`Connection`]), each with its own prepared statements.
//!
//! Our own, rather than a pool crate's, because a connection here has no task of its own:
//! the call that holds it writes its requests and reads their answers in its own task, so the
//! socket's readiness wakes the caller directly, and nothing crosses tasks per request. A
//! connection goes back to the pool only if its last exchange ended where the next can start
//! (answered, or refused by the server); one whose call was cut short by the availability
//! budget, or whose socket failed, is dropped, which closes the socket (an open transaction is
//! then rolled back by the server).

use std::sync::Mutex;

use tokio::sync::{Semaphore, SemaphorePermit};

use super::wire::{Connection, PgError};

/// At most `size` connections, opened on demand and kept while they work.
pub(super) struct Pool {
    config: tokio_postgres::Config,
    idle: Mutex<Vec<Connection>>,
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
    pub(super) async fn get(&self) -> Result<Lease<'_>, PgError> {
        let permit = self
            .permits
            .acquire()
            .await
            .unwrap_or_else(|_| unreachable!("the pool's semaphore is never closed"));
        while let Some(conn) = self.pop_idle() {
            // A connection the server (or the network) closed while idle is dropped here, not
            // failed on: the outage guard would otherwise see an outage that is over.
            if conn.is_open() {
                return Ok(Lease::new(self, conn, permit));
            }
        }
        let conn = Connection::connect(&self.config).await?;
        Ok(Lease::new(self, conn, permit))
    }

    fn pop_idle(&self) -> Option<Connection> {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
    }

    fn put_back(&self, conn: Connection) {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(conn);
    }
}

/// A connection on loan for one call; it goes back to the pool when dropped, if it can serve
/// another call.
pub(super) struct Lease<'p> {
    pool: &'p Pool,
    conn: Option<Connection>,
    _permit: SemaphorePermit<'p>,
}

impl<'p> Lease<'p> {
    fn new(pool: &'p Pool, conn: Connection, permit: SemaphorePermit<'p>) -> Self {
        Self {
            pool,
            conn: Some(conn),
            _permit: permit,
        }
    }

    /// The connection.
    pub(super) fn conn(&mut self) -> &mut Connection {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("a lease holds its connection until dropped"))
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if conn.is_reusable() {
                self.pool.put_back(conn);
            }
        }
    }
}
