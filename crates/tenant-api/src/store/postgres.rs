//! PostgreSQL backend: for several instances behind a load balancer, with row-level security.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgArguments, PgPoolOptions, PgRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{FromRow, PgPool, Postgres, Transaction};

use super::alerts::{self, AlertRow};
use super::backend::{convert, impl_stores, now, returned};
use super::items::{self, ItemRow};
use super::{sign_outs, StoreError};
use crate::clock::Clock;
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::domain::tenant::TenantId;
use crate::tenancy::ScopedTenant;
use time::OffsetDateTime;

/// Tenant data in PostgreSQL.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    clock: Arc<dyn Clock>,
}

impl PgStore {
    /// Connects to `url`; rows are stamped with `clock`'s time, and a connection must be had
    /// within `timeout`.
    pub async fn connect(
        url: &str,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // sqlx retries a refused connection until this deadline: keep it to the budget.
            .acquire_timeout(timeout)
            .connect(url)
            .await?;
        Ok(Self { pool, clock })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    /// Opens a transaction whose row-level security policies admit only `tenant`'s rows.
    ///
    /// `BEGIN` and the tenant setting go to the server as one simple query (one round trip
    /// instead of two), which cannot carry bind parameters: the tenant is written as a literal.
    /// That is safe because a [`TenantId`] holds only `[A-Za-z0-9_-]`, checked again here.
    /// `set_config(.., true)` is `SET LOCAL`: it ends with the transaction, so a pooled
    /// connection never carries one request's tenant into the next.
    async fn scoped(
        &self,
        tenant: &ScopedTenant,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin_with(begin_scoped(tenant.id())?).await
    }

    /// Runs one query in a transaction scoped to `tenant` (see [`Self::scoped`]), commits, and
    /// converts the rows: the one path of every tenant read and `RETURNING` write.
    async fn scoped_rows<R, T>(
        &self,
        tenant: &ScopedTenant,
        query: QueryAs<'_, Postgres, R, PgArguments>,
    ) -> Result<Vec<T>, StoreError>
    where
        R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
        T: TryFrom<R, Error = sqlx::Error>,
    {
        let mut tx = self.scoped(tenant).await?;
        let rows = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(convert(rows)?)
    }

    /// Runs one statement in a transaction scoped to `tenant` and commits: rows affected.
    async fn scoped_execute(
        &self,
        tenant: &ScopedTenant,
        query: Query<'_, Postgres, PgArguments>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.scoped(tenant).await?;
        let done = query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    async fn fetch_item_page(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(items::LIST_ITEMS)
            .bind(tenant.as_str())
            .bind(page.after)
            .bind(page.fetch_limit());
        let items = self.scoped_rows(tenant, query).await?;
        Ok(Page::from_overfetch(items, page, |item: &Item| item.id))
    }

    async fn fetch_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(items::GET_ITEM)
            .bind(tenant.as_str())
            .bind(id);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn fetch_alert_page(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(alerts::LIST_ALERTS)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(page.after)
            .bind(page.fetch_limit());
        let alerts = self.scoped_rows(tenant, query).await?;
        Ok(Page::from_overfetch(alerts, page, |alert: &Alert| alert.id))
    }

    async fn fetch_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(alerts::GET_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(id);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn fetch_sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(sign_outs::SIGN_OUTS_SINCE)
            .bind(since)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn fetch_ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// `BEGIN` followed by the transaction-local tenant setting, as one simple-query string.
fn begin_scoped(tenant: &TenantId) -> Result<String, sqlx::Error> {
    let id = tenant.as_str();
    TenantId::check(id)
        .map_err(|_| sqlx::Error::Protocol("tenant id unfit for a SQL literal".into()))?;
    Ok(format!(
        "BEGIN; SELECT set_config('app.tenant_id', '{id}', true)"
    ))
}

/// The writes, each one statement in the tenant's scope (PostgreSQL runs concurrent writers
/// itself: the one pool serves reads and writes).
impl PgStore {
    async fn insert_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
        at: OffsetDateTime,
    ) -> Result<Item, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(items::INSERT_ITEM)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(name.as_str())
            .bind(at);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn update_item_name(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
        at: OffsetDateTime,
    ) -> Result<Item, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(items::RENAME_ITEM)
            .bind(tenant.as_str())
            .bind(id)
            .bind(name.as_str())
            .bind(at);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn delete_item_row(&self, tenant: &ScopedTenant, id: i64) -> Result<u64, StoreError> {
        let query = sqlx::query(items::DELETE_ITEM)
            .bind(tenant.as_str())
            .bind(id);
        self.scoped_execute(tenant, query).await
    }

    async fn insert_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
        at: OffsetDateTime,
    ) -> Result<Alert, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(alerts::INSERT_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(title.as_str())
            .bind(severity.as_str())
            .bind(at);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn update_alert_acknowledged(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
        at: OffsetDateTime,
    ) -> Result<Alert, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(alerts::ACK_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(id)
            .bind(at);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn delete_alert_row(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<u64, StoreError> {
        let query = sqlx::query(alerts::DELETE_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(id);
        self.scoped_execute(tenant, query).await
    }

    async fn upsert_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError> {
        sqlx::query(sign_outs::UPSERT_SIGN_OUT)
            .bind(sub)
            .bind(at)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sign_outs_before(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(sign_outs::PURGE_SIGN_OUTS)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

impl_stores!(PgStore);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scoped_begin_names_the_tenant_as_a_literal() {
        let tenant = TenantId::parse("acme-1_B").unwrap();
        assert_eq!(
            begin_scoped(&tenant).unwrap(),
            "BEGIN; SELECT set_config('app.tenant_id', 'acme-1_B', true)"
        );
    }
}
