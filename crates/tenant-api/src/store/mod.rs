//! Tenant-scoped storage behind traits, with SQLite and PostgreSQL implementations.
//!
//! Every data method takes a [`ScopedTenant`] first (which only the tenant resolver builds, after
//! the proof) and every query filters on it; there is no
//! unscoped lookup, so another tenant's row is simply [`StoreError::NotFound`]. On PostgreSQL,
//! row-level security enforces the same rule a second time inside the database.

mod alerts;
mod backend;
mod error;
mod items;
mod postgres;
mod sign_outs;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::clock::{Clock, SystemClock};

pub use alerts::AlertStore;
pub use error::StoreError;
pub use items::ItemStore;
pub use postgres::PgStore;
pub use sign_outs::SignOutStore;
pub(crate) use sqlite::is_in_memory;
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
