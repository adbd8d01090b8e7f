//! SQLite backend: one file, WAL mode, the default for a single instance.
//!
//! Two primitives reach the database, both through the availability guard: [`SqliteStore::read`]
//! runs a read in place on a pooled connection ([`readers`]), and [`SqliteStore::write`] queues a
//! write for the one writer thread, which commits them in groups ([`writer`]); migrations go
//! through sqlx. Each entity's statements, bindings and row mapping are in `items.rs`,
//! `alerts.rs` and `sign_outs.rs`; what they share (running a statement to completion, timestamps
//! as stored) is in [`rows`]. Why reads and writes run as they do: see those modules.

mod alerts;
mod audit;
mod items;
mod memberships;
mod readers;
mod rows;
mod sessions;
mod sign_outs;
mod writer;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::availability::Availability;
use super::{Ping, StoreError};
use crate::clock::Clock;
use crate::config::is_in_memory_sqlite;
use readers::Readers;
#[cfg(feature = "test-support")]
pub use writer::test_hook::set_max_page_count_for_tests;
use writer::Writer;

/// Bytes of WAL kept on disk after a checkpoint has reset it (SQLite's default keeps all).
const JOURNAL_SIZE_LIMIT: u64 = 64 << 20;

/// Tenant data in SQLite.
pub struct SqliteStore {
    /// Creates the file and applies migrations (sqlx's migrator); kept open, so that WAL's
    /// shared-memory file outlives idle periods.
    migrator: SqlitePool,
    /// SQLite admits one writer at a time. Writes queue for this one, in order, instead of
    /// racing for the lock and sleeping in SQLite's busy handler (which put 40–70 ms on write
    /// p99), and are committed in groups.
    writer: Writer,
    /// Read connections, used in place.
    readers: Readers,
    /// Every read and write is bounded and failed fast while the database is down.
    availability: Availability,
    /// The time rows are stamped with.
    clock: Arc<dyn Clock>,
    /// The database file, named in errors about it.
    file: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url`; rows are stamped with `clock`'s time,
    /// and a call (a writer waiting for the database lock included) may take at most `timeout`.
    /// A file that cannot be used (not a database, damaged, unreadable) is a
    /// [`StoreError::File`] naming it.
    pub async fn connect(
        url: &str,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        if is_in_memory_sqlite(url) {
            return Err(StoreError::InMemory);
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL is durable against application crashes, and fast.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(timeout)
            // After a checkpoint that a long reader held back, the WAL file is cut back to this
            // size when it is next reused, instead of keeping its high-water mark forever.
            .pragma("journal_size_limit", JOURNAL_SIZE_LIMIT.to_string())
            .foreign_keys(true);
        // A fresh checkout has no data directory yet; SQLite creates the file but not its folder.
        let file = options.get_filename().to_owned();
        let in_file = |err| StoreError::in_file(&file, err);
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| in_file(sqlx::Error::Io(e)))?;
        }
        let migrator = SqlitePoolOptions::new()
            .max_connections(1)
            // A local file connection cannot go stale; testing it would cost a round trip to
            // sqlx's connection thread on every use.
            .test_before_acquire(false)
            // Kept open, so WAL's shared-memory file outlives idle periods.
            .min_connections(1)
            .acquire_timeout(timeout)
            .connect_with(options)
            .await
            .map_err(in_file)?;
        let writer = Writer::open(&file, timeout).map_err(|e| StoreError::in_file(&file, e))?;
        let readers = Readers::open(&file).map_err(|e| StoreError::in_file(&file, e))?;
        Ok(Self {
            migrator,
            writer,
            readers,
            availability: Availability::new(timeout),
            clock,
            file,
        })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.migrator)
            .await
            .map_err(|e| StoreError::in_file(&self.file, e))
    }

    /// Runs `read` on a pooled read connection, on this thread.
    fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.availability.run_now(|| Ok(self.readers.read(read)?))
    }

    /// Runs `work` (one statement) on the writer thread, in the next group to commit.
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.availability.run(self.writer.write(work)).await
    }

    /// The time to stamp a row with, as stored.
    fn stamp(&self) -> Result<String, StoreError> {
        rows::stamp(super::now(&*self.clock))
    }
}

#[async_trait]
impl Ping for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| conn.prepare_cached("SELECT 1")?.query_row([], |_| Ok(())))
    }
}
