//! Tenant-scoped storage behind traits, with SQLite and PostgreSQL implementations.
//!
//! Every data method takes a [`TenantId`] first and every query filters on it; there is no
//! unscoped lookup, so another tenant's row is simply [`StoreError::NotFound`]. On PostgreSQL,
//! row-level security enforces the same rule a second time inside the database.

mod backend;
pub mod guard;
mod postgres;
mod rows;
mod sql;
mod sqlite;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::domain::tenant::TenantId;

use guard::Guarded;
pub use postgres::PgStore;
pub(crate) use sqlite::is_in_memory;
pub use sqlite::SqliteStore;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row in this tenant (or for this owner).
    #[error("not found")]
    NotFound,
    /// The database failed; the cause is logged, never shown to clients.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A SQLite read failed; the cause is logged, never shown to clients.
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    /// `DATABASE_URL` names an in-memory SQLite database.
    #[error("in-memory SQLite is not supported: DATABASE_URL must name a file")]
    InMemory,
    /// Applying migrations failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database did not answer in time or cannot be reached; see [`guard`].
    #[error("database unavailable")]
    Unavailable,
}

impl StoreError {
    /// Whether the error says the database is unreachable, hung or locked (rather than that the
    /// request was wrong): worth a 503 and a retry, and a sign to stop sending it calls for now.
    pub(crate) fn is_outage(&self) -> bool {
        match self {
            Self::Unavailable => true,
            Self::Database(err) => match err {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::WorkerCrashed => true,
                // Connection exceptions (08…), shutdown or not yet accepting (57P0…), and too
                // many connections (53300).
                sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                    code.starts_with("08") || code.starts_with("57P0") || code == "53300"
                }),
                _ => false,
            },
            Self::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => matches!(
                failure.code,
                rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::CannotOpen
                    | rusqlite::ErrorCode::SystemIoFailure
            ),
            _ => false,
        }
    }
}

/// Items, shared by every user of a tenant.
#[async_trait]
pub trait ItemStore: Send + Sync + 'static {
    /// A page of the tenant's items, ordered by id.
    async fn list_items(
        &self,
        tenant: &TenantId,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError>;
    /// Stores a new item.
    async fn create_item(
        &self,
        tenant: &TenantId,
        owner_sub: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError>;
    /// One item of the tenant.
    async fn get_item(&self, tenant: &TenantId, id: i64) -> Result<Item, StoreError>;
    /// Renames an item of the tenant.
    async fn rename_item(
        &self,
        tenant: &TenantId,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError>;
    /// Deletes an item of the tenant.
    async fn delete_item(&self, tenant: &TenantId, id: i64) -> Result<(), StoreError>;
}

/// Alerts, each owned by one user within a tenant.
#[async_trait]
pub trait AlertStore: Send + Sync + 'static {
    /// A page of the owner's alerts in the tenant, ordered by id.
    async fn list_alerts(
        &self,
        tenant: &TenantId,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError>;
    /// Stores a new alert for the owner.
    async fn create_alert(
        &self,
        tenant: &TenantId,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError>;
    /// One of the owner's alerts.
    async fn get_alert(
        &self,
        tenant: &TenantId,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError>;
    /// Deletes one of the owner's alerts.
    async fn delete_alert(
        &self,
        tenant: &TenantId,
        owner_sub: &str,
        id: i64,
    ) -> Result<(), StoreError>;
    /// Marks one of the owner's alerts acknowledged (idempotent: the first time is kept).
    async fn acknowledge_alert(
        &self,
        tenant: &TenantId,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError>;
}

/// Per-user sign-out times, shared by every instance on the same database.
#[async_trait]
pub trait SignOutStore: Send + Sync + 'static {
    /// Records that `sub` signed out at `at` (epoch seconds); the record may be dropped after
    /// `expires_at`, when no token it covers can still be valid.
    async fn record_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError>;
    /// Sign-outs recorded at or after `since`, as `(sub, signed_out_at)`.
    async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError>;
    /// Deletes records whose `expires_at` is before `now`.
    async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError>;
}

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

/// Connects to `database_url` (`sqlite:` or `postgres:`), applying migrations when `migrate`,
/// with the default time budget per call.
pub async fn connect(database_url: &str, migrate: bool) -> Result<Stores, StoreError> {
    connect_with(database_url, migrate, DEFAULT_TIMEOUT).await
}

/// Connects as [`connect`] does; every later store call must finish within `timeout`
/// (connection included), or it answers [`StoreError::Unavailable`].
pub async fn connect_with(
    database_url: &str,
    migrate: bool,
    timeout: Duration,
) -> Result<Stores, StoreError> {
    if database_url.starts_with("postgres") {
        let store = PgStore::connect(database_url, timeout).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store, timeout))
    } else {
        let store = SqliteStore::connect(database_url, timeout).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store, timeout))
    }
}
