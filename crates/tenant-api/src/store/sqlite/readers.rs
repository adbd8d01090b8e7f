//! SQLite reads on the calling thread, through a small pool of query-only connections.
//!
//! sqlx's SQLite driver runs each connection on a thread of its own and hands every statement
//! and every row across a channel, so a 50-row page cost about two thread wake-ups per row
//! (profiled in `docs/benchmarks.md`: kernel scheduling and allocator locks, not SQL). Reads are
//! the service's hot path, so they run here instead, with rusqlite on the same `libsqlite3`: one
//! indexed statement over at most `MAX_LIMIT + 1` rows, executed in place. That is tens of
//! microseconds, and in WAL mode a reader never waits for the writer, so running it on the
//! async worker costs less than any hand-off would. Writes go to the writer thread
//! (`writer.rs`); only migrations use sqlx.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// Idle connections kept for reuse; more are opened when more threads read at once.
const MAX_IDLE: usize = 16;

/// How long a read waits on a lock before giving up. In WAL mode readers are blocked only by
/// rare events such as WAL recovery after a crash, so this stays short: it runs on an async worker.
const BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// A pool of read connections to one SQLite file.
#[derive(Debug)]
pub(super) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// Opens the pool on the database file at `path`, checking that one connection opens.
    pub(super) fn open(path: &Path) -> rusqlite::Result<Self> {
        let readers = Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        };
        let first = readers.connect()?;
        readers.idle_list().push(first);
        Ok(readers)
    }

    /// Runs `read` on a pooled connection, on this thread.
    pub(super) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let pooled = self.idle_list().pop();
        let connection = match pooled {
            Some(connection) => connection,
            None => self.connect()?,
        };
        let result = read(&connection);
        // A statement left unreset would keep its read snapshot, and with it every WAL frame
        // written since: no checkpoint could pass it. Such a connection is closed, not kept.
        if connection.is_busy() {
            tracing::warn!("a SQLite read left a statement active; closing its connection");
            return result;
        }
        let mut idle = self.idle_list();
        if idle.len() < MAX_IDLE {
            idle.push(connection);
        }
        result
    }

    fn idle_list(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while the lock was held cannot leave the list inconsistent (push/pop only).
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn connect(&self) -> rusqlite::Result<Connection> {
        // Each connection is used by one thread at a time (it is out of the pool while in use),
        // so SQLite's per-connection mutex is not needed.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&self.path, flags)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // Read-write open (a read-only one cannot create WAL's shared-memory file), but refused
        // any change: this pool only ever reads.
        connection.pragma_update(None, "query_only", true)?;
        Ok(connection)
    }
}
