//! Tenant-scoped storage behind traits, with SQLite and PostgreSQL implementations.
//!
//! Every data method takes a [`ScopedTenant`] first (which only the tenant resolver builds, after
//! the proof) and every query filters on it; there is no
//! unscoped lookup, so another tenant's row is simply [`StoreError::NotFound`]. On PostgreSQL,
//! row-level security enforces the same rule a second time inside the database.

mod alerts;
mod backend;
mod check;
mod error;
pub mod guard;
mod items;
mod postgres;
mod sign_outs;
mod sqlite;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::clock::{Clock, SystemClock};

pub use alerts::AlertStore;
pub use check::{check, Checked};
pub use error::StoreError;
use guard::Guarded;
pub use items::ItemStore;
pub use postgres::PgStore;
pub use sign_outs::SignOutStore;
pub(crate) use sqlite::is_in_memory;
#[cfg(feature = "test-support")]
pub use sqlite::set_max_page_count_for_tests;
pub use sqlite::SqliteStore;

/// Liveness of the database, for readiness probes.
#[async_trait]
pub trait Ping: Send + Sync + 'static {
    /// Succeeds when a trivial query round-trips.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Every store the service uses, as trait objects sharing one connection pool.
#[derive(Clone)]
pub struct Stores {
    /// Items.
    pub items: Arc<dyn ItemStore>,
    /// Alerts.
    pub alerts: Arc<dyn AlertStore>,
    /// Sign-out records.
    pub sign_outs: Arc<dyn SignOutStore>,
    /// Database reachability.
    pub ping: Arc<dyn Ping>,
}

impl Stores {
    /// The stores of one backend, each call bounded by `timeout` (see [`guard`]).
    fn from_backend<S>(store: S, timeout: Duration) -> Self
    where
        S: ItemStore + AlertStore + SignOutStore + Ping,
    {
        let store = Arc::new(Guarded::new(store, timeout));
        Self {
            items: store.clone(),
            alerts: store.clone(),
            sign_outs: store.clone(),
            ping: store,
        }
    }
}

/// How long one store call may take when nothing else is configured (`DATABASE_TIMEOUT_MS`):
/// under a second, so that even the first request after PostgreSQL stopped (which waits out
/// sqlx's retries of the refused connection) is answered within one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(800);

/// Connects to `database_url` (`sqlite:` or `postgres:`), applying migrations when `migrate`;
/// rows are stamped with the system time, and each call has [`DEFAULT_TIMEOUT`].
pub async fn connect(database_url: &str, migrate: bool) -> Result<Stores, StoreError> {
    open(
        database_url,
        migrate,
        DEFAULT_TIMEOUT,
        Arc::new(SystemClock),
    )
    .await
}

/// [`connect`], with every later store call (connecting included) bounded by `timeout`: past
/// it, or while the database is known to be down, a call answers [`StoreError::Unavailable`].
pub async fn connect_with(
    database_url: &str,
    migrate: bool,
    timeout: Duration,
) -> Result<Stores, StoreError> {
    open(database_url, migrate, timeout, Arc::new(SystemClock)).await
}

/// [`connect`], with rows stamped with `clock`'s time.
pub async fn connect_with_clock(
    database_url: &str,
    migrate: bool,
    clock: Arc<dyn Clock>,
) -> Result<Stores, StoreError> {
    open(database_url, migrate, DEFAULT_TIMEOUT, clock).await
}

async fn open(
    database_url: &str,
    migrate: bool,
    timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Stores, StoreError> {
    if database_url.starts_with("postgres") {
        let store = PgStore::connect(database_url, timeout, clock).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store, timeout))
    } else {
        let store = SqliteStore::connect(database_url, timeout, clock).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store, timeout))
    }
}
