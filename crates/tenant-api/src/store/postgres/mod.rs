//! PostgreSQL backend: for several instances behind a load balancer, with row-level security.
//!
//! Three primitives reach the database, all through the availability guard:
//! [`PgStore::scoped_rows`] and [`PgStore::scoped_execute`] run one tenant statement in a
//! transaction whose row-level security admits only that tenant's rows, and [`PgStore::unscoped`]
//! runs a statement on data that belongs to no tenant (sign-outs, the ping). Each entity's
//! bindings and sqlx rows are in `items.rs`, `alerts.rs` and `sign_outs.rs`.

mod alerts;
mod audit;
mod items;
mod memberships;
mod sign_outs;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgPoolOptions, PgRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{FromRow, PgPool, Postgres, Transaction};
use time::OffsetDateTime;

use super::availability::Availability;
use super::{Ping, StoreError};
use crate::clock::Clock;
use crate::domain::tenant::TenantId;
use crate::tenancy::ScopedTenant;

/// Tenant data in PostgreSQL.
pub struct PgStore {
    /// Connections for every statement, reads and writes alike (PostgreSQL runs concurrent
    /// writers itself).
    pool: PgPool,
    /// Every statement is bounded and failed fast while the database is down.
    availability: Availability,
    /// The time rows are stamped with.
    clock: Arc<dyn Clock>,
}

impl PgStore {
    /// Connects to `url`; rows are stamped with `clock`'s time, and a call (getting a
    /// connection included) may take at most `timeout`.
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
        Ok(Self {
            pool,
            availability: Availability::new(timeout),
            clock,
        })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    /// Runs one query in a transaction scoped to `tenant` (see [`begin_scoped`]), commits, and
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
        self.availability
            .run(async {
                let mut tx = self.scoped(tenant).await?;
                let rows = query.fetch_all(&mut *tx).await?;
                tx.commit().await?;
                Ok(convert(rows)?)
            })
            .await
    }

    /// Runs one statement in a transaction scoped to `tenant` and commits: rows affected.
    async fn scoped_execute(
        &self,
        tenant: &ScopedTenant,
        query: Query<'_, Postgres, PgArguments>,
    ) -> Result<u64, StoreError> {
        self.availability
            .run(async {
                let mut tx = self.scoped(tenant).await?;
                let done = query.execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(done.rows_affected())
            })
            .await
    }

    /// Runs `call` (a statement on [`Self::pool`]) for data that belongs to no tenant.
    async fn unscoped<T>(
        &self,
        call: impl Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, StoreError> {
        self.availability.run(async { Ok(call.await?) }).await
    }

    /// Opens a transaction whose row-level security policies admit only `tenant`'s rows.
    async fn scoped(
        &self,
        tenant: &ScopedTenant,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin_with(begin_scoped(tenant.id())?).await
    }

    /// The time to stamp a row with.
    fn now(&self) -> OffsetDateTime {
        super::now(&*self.clock)
    }
}

#[async_trait]
impl Ping for PgStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.unscoped(sqlx::query("SELECT 1").execute(&self.pool))
            .await
            .map(|_| ())
    }
}

/// `BEGIN` followed by the transaction-local tenant setting, as one simple-query string.
///
/// `BEGIN` and the tenant setting go to the server as one simple query (one round trip instead
/// of two), which cannot carry bind parameters: the tenant is written as a literal. That is safe
/// because a [`TenantId`] holds only `[A-Za-z0-9_-]`, checked again here. `set_config(.., true)`
/// is `SET LOCAL`: it ends with the transaction, so a pooled connection never carries one
/// request's tenant into the next.
fn begin_scoped(tenant: &TenantId) -> Result<String, sqlx::Error> {
    let id = tenant.as_str();
    TenantId::check(id)
        .map_err(|_| sqlx::Error::Protocol("tenant id unfit for a SQL literal".into()))?;
    Ok(format!(
        "BEGIN; SELECT set_config('app.tenant_id', '{id}', true)"
    ))
}

/// A stored value the domain refuses: the row is corrupt.
fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} is not valid").into())
}

/// Converts fetched rows into domain values.
fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, sqlx::Error>
where
    T: TryFrom<R, Error = sqlx::Error>,
{
    rows.into_iter().map(T::try_from).collect()
}

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
