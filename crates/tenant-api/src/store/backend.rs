//! The store traits implemented once for any sqlx backend.
//!
//! Both backends run the same SQL, kept with each entity (`items.rs`, `alerts.rs`,
//! `sign_outs.rs`). Writes go through sqlx here and run in each backend's tenant scope
//! (`scoped_rows`, `scoped_execute`): on PostgreSQL a transaction that sets `app.tenant_id` for
//! row-level security, on SQLite the single writer connection (every operation is one
//! statement, atomic on its own, so a transaction would only add two round trips). Reads are each backend's own `fetch_*` methods: sqlx on PostgreSQL, in-place rusqlite
//! on SQLite (see `sqlite/readers.rs`). A macro instead of generics keeps the sqlx trait bounds
//! out of sight.

/// Implements `ItemStore`, `AlertStore`, `SignOutStore` and `Ping` for `$store` on database
/// `$db`. The store has a `clock` field (the time of `created_at`/`updated_at`) and provides
/// `scoped_rows(&ScopedTenant, query)` and `scoped_execute(&ScopedTenant, query)` (one statement
/// in the tenant's scope: converted rows, rows affected),
/// `write_pool()` (for the tenant-less sign-out records) and the reads `fetch_item_page`,
/// `fetch_item`, `fetch_alert_page`, `fetch_alert`, `fetch_sign_outs_since` and `fetch_ping`.
macro_rules! impl_stores {
    ($store:ty, $db:ty) => {
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
                let query = sqlx::query_as::<$db, $crate::store::items::ItemRow>(
                    $crate::store::items::INSERT_ITEM,
                )
                .bind(tenant.as_str())
                .bind(owner_sub)
                .bind(name.as_str())
                .bind(now(&*self.clock));
                returned(self.scoped_rows(tenant, query).await?)
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
                let query = sqlx::query_as::<$db, $crate::store::items::ItemRow>(
                    $crate::store::items::RENAME_ITEM,
                )
                .bind(tenant.as_str())
                .bind(id)
                .bind(name.as_str())
                .bind(now(&*self.clock));
                returned(self.scoped_rows(tenant, query).await?)
            }

            async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError> {
                let query = sqlx::query::<$db>($crate::store::items::DELETE_ITEM)
                    .bind(tenant.as_str())
                    .bind(id);
                if self.scoped_execute(tenant, query).await? == 0 {
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
                let query = sqlx::query_as::<$db, $crate::store::alerts::AlertRow>(
                    $crate::store::alerts::INSERT_ALERT,
                )
                .bind(tenant.as_str())
                .bind(owner_sub)
                .bind(title.as_str())
                .bind(severity.as_str())
                .bind(now(&*self.clock));
                returned(self.scoped_rows(tenant, query).await?)
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
                let query = sqlx::query::<$db>($crate::store::alerts::DELETE_ALERT)
                    .bind(tenant.as_str())
                    .bind(owner_sub)
                    .bind(id);
                if self.scoped_execute(tenant, query).await? == 0 {
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
                let query = sqlx::query_as::<$db, $crate::store::alerts::AlertRow>(
                    $crate::store::alerts::ACK_ALERT,
                )
                .bind(tenant.as_str())
                .bind(owner_sub)
                .bind(id)
                .bind(now(&*self.clock));
                returned(self.scoped_rows(tenant, query).await?)
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
                sqlx::query::<$db>($crate::store::sign_outs::UPSERT_SIGN_OUT)
                    .bind(sub)
                    .bind(at)
                    .bind(expires_at)
                    .execute(self.write_pool())
                    .await?;
                Ok(())
            }

            async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
                self.fetch_sign_outs_since(since).await
            }

            async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
                let done = sqlx::query::<$db>($crate::store::sign_outs::PURGE_SIGN_OUTS)
                    .bind(now)
                    .execute(self.write_pool())
                    .await?;
                Ok(done.rows_affected())
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
