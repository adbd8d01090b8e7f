//! The store traits implemented once over each backend's statements.
//!
//! Both backends run the same SQL, kept with each entity (`items.rs`, `alerts.rs`,
//! `sign_outs.rs`), each in its own way: PostgreSQL through sqlx, every tenant statement in a
//! transaction that sets `app.tenant_id` for row-level security (`postgres.rs`); SQLite through
//! rusqlite, reads in place (`sqlite/readers.rs`) and writes on one writer thread that commits
//! them in groups (`sqlite/writer.rs`). What is common — the stamp of the store's clock, an
//! absent row as `NotFound` — is here. A macro instead of generics keeps the backends' own
//! types out of the traits.

/// Implements `ItemStore`, `AlertStore`, `SignOutStore` and `Ping` for `$store`. The store has a
/// `clock` field (the time of `created_at`/`updated_at`) and provides, as async methods, the
/// reads `fetch_item_page`, `fetch_item`, `fetch_alert_page`, `fetch_alert`,
/// `fetch_sign_outs_since` and `fetch_ping`, and the writes `insert_item`, `update_item_name`,
/// `delete_item_row`, `insert_alert`, `update_alert_acknowledged`, `delete_alert_row` (rows
/// deleted), `upsert_sign_out` and `delete_sign_outs_before` (rows deleted).
macro_rules! impl_stores {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::ItemStore for $store {
            async fn list_items(
                &self,
                tenant: &ScopedTenant,
                page: PageRequest,
            ) -> Result<Page<Item>, StoreError> {
                self.fetch_item_page(tenant, page).await
            }

            async fn create_item(
                &self,
                tenant: &ScopedTenant,
                owner_sub: &str,
                name: &ItemName,
            ) -> Result<Item, StoreError> {
                self.insert_item(tenant, owner_sub, name, now(&*self.clock))
                    .await
            }

            async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
                self.fetch_item(tenant, id).await
            }

            async fn rename_item(
                &self,
                tenant: &ScopedTenant,
                id: i64,
                name: &ItemName,
            ) -> Result<Item, StoreError> {
                self.update_item_name(tenant, id, name, now(&*self.clock))
                    .await
            }

            async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError> {
                if self.delete_item_row(tenant, id).await? == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::AlertStore for $store {
            async fn list_alerts(
                &self,
                tenant: &ScopedTenant,
                owner_sub: &str,
                page: PageRequest,
            ) -> Result<Page<Alert>, StoreError> {
                self.fetch_alert_page(tenant, owner_sub, page).await
            }

            async fn create_alert(
                &self,
                tenant: &ScopedTenant,
                owner_sub: &str,
                title: &AlertTitle,
                severity: Severity,
            ) -> Result<Alert, StoreError> {
                self.insert_alert(tenant, owner_sub, title, severity, now(&*self.clock))
                    .await
            }

            async fn get_alert(
                &self,
                tenant: &ScopedTenant,
                owner_sub: &str,
                id: i64,
            ) -> Result<Alert, StoreError> {
                self.fetch_alert(tenant, owner_sub, id).await
            }

            async fn delete_alert(
                &self,
                tenant: &ScopedTenant,
                owner_sub: &str,
                id: i64,
            ) -> Result<(), StoreError> {
                if self.delete_alert_row(tenant, owner_sub, id).await? == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }

            async fn acknowledge_alert(
                &self,
                tenant: &ScopedTenant,
                owner_sub: &str,
                id: i64,
            ) -> Result<Alert, StoreError> {
                self.update_alert_acknowledged(tenant, owner_sub, id, now(&*self.clock))
                    .await
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::SignOutStore for $store {
            async fn record_sign_out(
                &self,
                sub: &str,
                at: i64,
                expires_at: i64,
            ) -> Result<(), StoreError> {
                self.upsert_sign_out(sub, at, expires_at).await
            }

            async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
                self.fetch_sign_outs_since(since).await
            }

            async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
                self.delete_sign_outs_before(now).await
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::Ping for $store {
            async fn ping(&self) -> Result<(), StoreError> {
                self.fetch_ping().await
            }
        }
    };
}

pub(super) use impl_stores;

use super::StoreError;

/// The row of a `… RETURNING` write, which every write fetches with `fetch_all`: the statement
/// must run to completion. SQLite runs its automatic WAL checkpoint only when a statement steps to
/// `SQLITE_DONE` (`doWalCallbacks` in `sqlite3_step`), never when one is reset after its first
/// row, which is what `fetch_one`/`fetch_optional` do. With those, a service that only inserted
/// never checkpointed and its WAL grew without bound (1.37 GB in 10 s of item creation).
pub(super) fn returned<R>(rows: Vec<R>) -> Result<R, StoreError> {
    rows.into_iter().next().ok_or(StoreError::NotFound)
}

/// The store clock's time, truncated to microseconds so SQLite and PostgreSQL store the same
/// value.
pub(super) fn now(clock: &dyn crate::clock::Clock) -> time::OffsetDateTime {
    let now = time::OffsetDateTime::from(clock.now());
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// A stored value the domain refuses: the row is corrupt.
pub(super) fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} is not valid").into())
}

/// Converts fetched rows into domain values.
pub(super) fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, sqlx::Error>
where
    T: TryFrom<R, Error = sqlx::Error>,
{
    rows.into_iter().map(T::try_from).collect()
}
