//! Tenant-scoped storage behind traits, with SQLite and PostgreSQL implementations.
//!
//! Every data method takes a [`ScopedTenant`] first (which only the tenant resolver builds, after
//! the proof) and every query filters on it; there is no
//! unscoped lookup, so another tenant's row is simply [`StoreError::NotFound`]. On PostgreSQL,
//! row-level security enforces the same rule a second time inside the database.

mod backend;
mod error;
mod postgres;
mod rows;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::clock::{Clock, SystemClock};
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;

pub use error::StoreError;
pub use postgres::PgStore;
pub(crate) use sqlite::is_in_memory;
pub use sqlite::SqliteStore;

/// Items, shared by every user of a tenant.
#[async_trait]
pub trait ItemStore: Send + Sync + 'static {
    /// A page of the tenant's items, ordered by id.
    async fn list_items(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError>;
    /// Stores a new item.
    async fn create_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError>;
    /// One item of the tenant.
    async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError>;
    /// Renames an item of the tenant.
    async fn rename_item(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError>;
    /// Deletes an item of the tenant.
    async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError>;
}

/// Alerts, each owned by one user within a tenant.
#[async_trait]
pub trait AlertStore: Send + Sync + 'static {
    /// A page of the owner's alerts in the tenant, ordered by id.
    async fn list_alerts(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError>;
    /// Stores a new alert for the owner.
    async fn create_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError>;
    /// One of the owner's alerts.
    async fn get_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError>;
    /// Deletes one of the owner's alerts.
    async fn delete_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<(), StoreError>;
    /// Marks one of the owner's alerts acknowledged (idempotent: the first time is kept).
    async fn acknowledge_alert(
        &self,
        tenant: &ScopedTenant,
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
    fn from_backend<S>(store: S) -> Self
    where
        S: ItemStore + AlertStore + SignOutStore + Ping,
    {
        let store = Arc::new(store);
        Self {
            items: store.clone(),
            alerts: store.clone(),
            sign_outs: store.clone(),
            ping: store,
        }
    }
}

/// Connects to `database_url` (`sqlite:` or `postgres:`), applying migrations when `migrate`;
/// rows are stamped with the system time.
pub async fn connect(database_url: &str, migrate: bool) -> Result<Stores, StoreError> {
    connect_with_clock(database_url, migrate, Arc::new(SystemClock)).await
}

/// [`connect`], with rows stamped with `clock`'s time.
pub async fn connect_with_clock(
    database_url: &str,
    migrate: bool,
    clock: Arc<dyn Clock>,
) -> Result<Stores, StoreError> {
    if database_url.starts_with("postgres") {
        let store = PgStore::connect(database_url, clock).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store))
    } else {
        let store = SqliteStore::connect(database_url, clock).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Stores::from_backend(store))
    }
}
