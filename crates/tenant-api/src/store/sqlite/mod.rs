//! SQLite backend: one file, WAL mode, the default for a single instance.
//!
//! Reads run in place through [`readers`]; writes queue for the one writer thread, which
//! commits them in groups ([`writer`], the statements in [`writes`]); migrations go through sqlx.
//! Why each: see those modules.

mod readers;
mod reads;
mod writer;
mod writes;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::backend::{impl_stores, now};
use super::StoreError;
use crate::clock::Clock;
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;
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
    /// The time rows are stamped with.
    clock: Arc<dyn Clock>,
    /// The database file, named in errors about it.
    file: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url`; rows are stamped with `clock`'s time,
    /// and a writer waits at most `timeout` for the database lock. A file that cannot be used
    /// (not a database, damaged, unreadable) is a [`StoreError::File`] naming it.
    pub async fn connect(
        url: &str,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
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
        if is_in_memory(url) {
            return Err(StoreError::InMemory);
        }
        let in_file = |err| StoreError::in_file(&file, err);
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| in_file(sqlx::Error::Io(e)))?;
        }
        let migrator = SqlitePoolOptions::new()
            .max_connections(1)
            // A local file connection cannot go stale; testing it would cost a round trip to
            // sqlx's connection thread on every write.
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

    async fn fetch_item_page(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError> {
        let rows = self.readers.read(|conn| reads::items(conn, tenant, page))?;
        Ok(Page::from_overfetch(rows, page, |item| item.id))
    }

    async fn fetch_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
        let item = self.readers.read(|conn| reads::item(conn, tenant, id))?;
        item.ok_or(StoreError::NotFound)
    }

    async fn fetch_alert_page(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError> {
        let rows = self
            .readers
            .read(|conn| reads::alerts(conn, tenant, owner_sub, page))?;
        Ok(Page::from_overfetch(rows, page, |alert| alert.id))
    }

    async fn fetch_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let alert = self
            .readers
            .read(|conn| reads::alert(conn, tenant, owner_sub, id))?;
        alert.ok_or(StoreError::NotFound)
    }

    async fn fetch_sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(self
            .readers
            .read(|conn| reads::sign_outs_since(conn, since))?)
    }

    async fn fetch_ping(&self) -> Result<(), StoreError> {
        Ok(self.readers.read(reads::ping)?)
    }
}

impl_stores!(SqliteStore);

/// Whether `url` names an in-memory SQLite database, which this store cannot serve: it would
/// vanish with the process, and its read connections would each see a database of their own.
pub(crate) fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}
