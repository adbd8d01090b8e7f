//! A small pool of tokio-postgres connections, each with its own prepared statements.
//!
//! Our own, rather than a pool crate's, because of what it must do on cancellation: a store
//! call cut short by the availability budget may leave its requests in flight (or a hung
//! socket behind), so a connection goes back to the pool only when its call ran to the end
//! ([`Lease::finished`]); any other is dropped and its connection task aborted, which closes
//! the socket (an open transaction is then rolled back by the server).

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls, Statement};

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
        loop {
            let Some(conn) = self.pop_idle() else { break };
            // A connection the server (or the network) closed while idle is dropped here, not
            // failed on: the outage guard would otherwise see an outage that is over.
            if !conn.client.is_closed() {
                return Ok(Lease::new(self, conn, permit));
            }
        }
        let (client, connection) = self.config.connect(NoTls).await?;
        let task = tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "PostgreSQL connection ended");
            }
        });
        let conn = Conn {
            client,
            statements: HashMap::new(),
            task,
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

/// One connection, the task that drives its socket, and its prepared statements by SQL text.
pub(super) struct Conn {
    client: Client,
    /// Each SQL text is prepared once per connection (its name and types live on the server
    /// as long as the session).
    statements: HashMap<&'static str, Statement>,
    task: JoinHandle<()>,
}

impl Conn {
    /// The client, to send statements on.
    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    /// `sql` as a statement prepared on this connection (one round trip the first time only).
    pub(super) async fn statement(
        &mut self,
        sql: &'static str,
    ) -> Result<Statement, tokio_postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).await?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Closes the socket now, even if requests are still in flight on a hung server.
        self.task.abort();
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
            if self.finished && !conn.client.is_closed() {
                self.pool.put_back(conn);
            }
        }
    }
}
