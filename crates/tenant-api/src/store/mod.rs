//! Tenant-scoped storage behind traits, with SQLite and PostgreSQL implementations.
//!
//! Every data method takes a [`ScopedTenant`] first (which only the tenant resolver builds, after
//! the proof) and every query filters on it; there is no unscoped lookup, so another tenant's row
//! is simply [`StoreError::NotFound`]. On PostgreSQL, row-level security enforces the same rule a
//! second time inside the database.
//!
//! Layout: each entity's trait and SQL text live together (`items.rs`, `alerts.rs`,
//! `memberships.rs`, `audit.rs`, `sign_outs.rs`, `sessions.rs`; one text for both backends); each backend implements the traits in one file
//! per entity (`sqlite/items.rs`, `postgres/items.rs`, …) with its bindings and row mapping, on
//! top of its few primitives, which run through the availability guard (`availability.rs`). A new store method
//! touches the trait file and one file per backend.
//!
//! [`ScopedTenant`]: crate::tenancy::ScopedTenant

mod alerts;
mod audit;
mod availability;
mod check;
mod error;
mod items;
mod memberships;
mod postgres;
mod sessions;
mod sign_outs;
mod sqlite;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::clock::{Clock, SystemClock};
use crate::config::{DEFAULT_DATABASE_POOL_SIZE, DEFAULT_DATABASE_TIMEOUT};

pub use alerts::AlertStore;
pub use audit::AuditStore;
pub use check::{check, Checked};
pub use error::StoreError;
pub use items::ItemStore;
pub use memberships::MembershipStore;
pub use postgres::PgStore;
pub use sessions::SessionStore;
pub use sign_outs::SignOutStore;
#[cfg(feature = "test-support")]
pub use sqlite::set_max_page_count_for_tests;
pub use sqlite::SqliteStore;

/// Liveness of the database, for readiness probes.
#[async_trait]
pub trait Ping: Send + Sync + 'static {
    /// Succeeds when a trivial query round-trips.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Every store the service uses, as trait objects sharing one backend.
#[derive(Clone)]
pub struct Stores {
    /// Items.
    pub items: Arc<dyn ItemStore>,
    /// Alerts.
    pub alerts: Arc<dyn AlertStore>,
    /// Sign-out records.
    pub sign_outs: Arc<dyn SignOutStore>,
    /// Memberships of tenants.
    pub memberships: Arc<dyn MembershipStore>,
    /// Each tenant's audit log.
    pub audit: Arc<dyn AuditStore>,
    /// Browser sessions of the Backend-for-Frontend.
    pub sessions: Arc<dyn SessionStore>,
    /// Database reachability.
    pub ping: Arc<dyn Ping>,
}

impl Stores {
    /// The stores of one backend.
    fn from_backend<S>(store: S) -> Self
    where
        S: ItemStore
            + AlertStore
            + SignOutStore
            + MembershipStore
            + AuditStore
            + SessionStore
            + Ping,
    {
        let store = Arc::new(store);
        Self {
            items: store.clone(),
            alerts: store.clone(),
            sign_outs: store.clone(),
            memberships: store.clone(),
            audit: store.clone(),
            sessions: store.clone(),
            ping: store,
        }
    }
}

/// Connects to `database_url` (`sqlite:` or `postgres:`), applying migrations when `migrate`;
/// rows are stamped with the system time, and each call has [`DEFAULT_DATABASE_TIMEOUT`].
pub async fn connect(database_url: &str, migrate: bool) -> Result<Stores, StoreError> {
    open(
        database_url,
        migrate,
        DEFAULT_DATABASE_TIMEOUT,
        Arc::new(SystemClock),
    )
    .await
}

/// [`connect`], with every later store call (connecting included) bounded by `timeout`: past
/// it, or while the database is known to be down, a call answers [`StoreError::Unavailable`];
/// rows are stamped with `clock`'s time.
pub async fn open(
    database_url: &str,
    migrate: bool,
    timeout: Duration,
    clock: Arc<dyn Clock>,
) -> Result<Stores, StoreError> {
    let pool_size = DEFAULT_DATABASE_POOL_SIZE;
    open_with_pool(database_url, migrate, timeout, pool_size, clock).await
}

/// [`open`], with at most `pool_size` connections to PostgreSQL (SQLite has its own sizes).
pub async fn open_with_pool(
    database_url: &str,
    migrate: bool,
    timeout: Duration,
    pool_size: usize,
    clock: Arc<dyn Clock>,
) -> Result<Stores, StoreError> {
    if database_url.starts_with("postgres") {
        let store = PgStore::connect(database_url, timeout, pool_size, clock).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store))
    } else {
        let store = SqliteStore::connect(database_url, timeout, clock).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store))
    }
}

/// The store clock's time, truncated to microseconds so SQLite and PostgreSQL store the same
/// value.
fn now(clock: &dyn Clock) -> time::OffsetDateTime {
    let now = time::OffsetDateTime::from(clock.now());
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// The row of a `… RETURNING` write, which every write fetches to the end: the statement must
/// run to completion. SQLite runs its automatic WAL checkpoint only when a statement steps to
/// `SQLITE_DONE` (`doWalCallbacks` in `sqlite3_step`), never when one is reset after its first
/// row. A service that stopped after the first row never checkpointed, and its WAL grew without
/// bound (1.37 GB in 10 s of item creation).
fn returned<R>(rows: Vec<R>) -> Result<R, StoreError> {
    rows.into_iter().next().ok_or(StoreError::NotFound)
}

/// A delete's outcome: it deleted the row, or there was none (in this tenant, for this owner).
fn deleted(rows: u64) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
