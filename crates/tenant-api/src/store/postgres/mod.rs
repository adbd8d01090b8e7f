//! PostgreSQL backend: for several instances behind a load balancer, with row-level security.
//!
//! Requests reach PostgreSQL through a client of our own ([`wire`]): a tenant statement goes
//! out with its tenant setting in one write, as one transaction, and costs one network round
//! trip ([`pipelined`]). Connections come from a small pool of our own ([`pool`]), each with
//! its prepared statements. Migrations still run on sqlx.
//!
//! Three primitives reach the database, all through the availability guard:
//! [`PgStore::scoped_rows`] and [`PgStore::scoped_execute`] run one tenant statement in a
//! transaction whose row-level security admits only that tenant's rows, and [`PgStore::unscoped`]
//! runs a statement on data that belongs to no tenant (sign-outs, a person's tenant count, the
//! ping). Each entity's bindings and row mapping are in `items.rs`, `alerts.rs`,
//! `memberships.rs`, `audit.rs` and `sign_outs.rs`.

mod alerts;
mod audit;
mod items;
mod memberships;
mod pool;
mod sessions;
mod sign_outs;
#[cfg(all(test, feature = "postgres-tests"))]
mod tests;
pub(crate) mod wire;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::Connection as _;
use time::OffsetDateTime;

use super::availability::Availability;
use super::{Ping, StoreError};
use crate::clock::Clock;
use crate::tenancy::ScopedTenant;
use pool::Pool;
use wire::{Connection, Done, Params, Row};

/// The statement before every tenant statement, in its transaction: the tenant that row-level
/// security admits. `set_config(.., true)` is `SET LOCAL`: it ends with the transaction, so a
/// pooled connection never carries one request's tenant into the next.
const SET_TENANT: &str = "SELECT set_config('app.tenant_id', $1, true)";
/// The person scope: row-level security admits a person's own memberships in every tenant
/// (migration 0012), and nothing else of any tenant.
const SET_PERSON: &str = "SELECT set_config('app.sub', $1, true)";

/// Tenant data in PostgreSQL.
pub struct PgStore {
    /// Connections for every statement, reads and writes alike (PostgreSQL runs concurrent
    /// writers itself).
    pool: Pool,
    /// Where migrations connect (they run on sqlx, once, at start-up).
    url: String,
    /// Every statement is bounded and failed fast while the database is down.
    availability: Availability,
    /// The time rows are stamped with.
    clock: Arc<dyn Clock>,
}

impl PgStore {
    /// Connects to `url` with up to `pool_size` connections; rows are stamped with `clock`'s
    /// time, and a call (getting a connection included) may take at most `timeout`.
    pub async fn connect(
        url: &str,
        timeout: Duration,
        pool_size: usize,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let config = tokio_postgres::Config::from_str(url)?;
        let store = Self {
            pool: Pool::new(config, pool_size.max(1)),
            url: url.to_owned(),
            availability: Availability::new(timeout),
            clock,
        };
        // One connection now, so that a wrong URL or password stops the start-up.
        store.ping().await?;
        Ok(store)
    }

    /// Applies pending migrations (through sqlx, on a connection of their own).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = sqlx::PgConnection::connect(&self.url).await?;
        sqlx::migrate!("./migrations/postgres")
            .run(&mut conn)
            .await?;
        conn.close().await?;
        Ok(())
    }

    /// Runs one statement in a transaction scoped to `tenant` and commits: the one path of
    /// every tenant read and write.
    ///
    /// The tenant setting and the statement are sent together as one transaction, one network
    /// round trip (see [`pipelined`]); row-level security admits only `tenant`'s rows.
    async fn scoped(
        &self,
        tenant: &ScopedTenant,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Done, StoreError> {
        self.in_scope(SET_TENANT, tenant.as_str(), sql, params)
            .await
    }

    /// [`Self::scoped`], converting the rows (reads and `… RETURNING` writes).
    async fn scoped_rows<T>(
        &self,
        tenant: &ScopedTenant,
        sql: &'static str,
        params: Params<'_>,
        convert: fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let done = self.scoped(tenant, sql, params).await?;
        done.rows.iter().map(convert).collect()
    }

    /// Runs one statement in a transaction scoped to the person `sub` (no tenant): one round
    /// trip, as [`Self::scoped`].
    async fn as_person(
        &self,
        sub: &str,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Done, StoreError> {
        self.in_scope(SET_PERSON, sub, sql, params).await
    }

    /// `sql` in a transaction whose `scope` setting is `value`, on a pooled connection.
    async fn in_scope(
        &self,
        scope: &'static str,
        value: &str,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Done, StoreError> {
        self.availability
            .run(async {
                let mut lease = self.pool.get().await?;
                pipelined(lease.conn(), scope, value, sql, params).await
            })
            .await
    }

    /// [`Self::scoped`] for a statement without rows: the rows it affected.
    async fn scoped_execute(
        &self,
        tenant: &ScopedTenant,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<u64, StoreError> {
        Ok(self.scoped(tenant, sql, params).await?.affected)
    }

    /// Runs one statement, on its own, on data that belongs to no tenant (sign-outs, the
    /// ping): one round trip.
    async fn unscoped(&self, sql: &'static str, params: Params<'_>) -> Result<Done, StoreError> {
        self.availability
            .run(async {
                let mut lease = self.pool.get().await?;
                alone(lease.conn(), sql, params).await
            })
            .await
    }

    /// The time to stamp a row with.
    fn now(&self) -> OffsetDateTime {
        super::now(&*self.clock)
    }
}

#[async_trait]
impl Ping for PgStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.unscoped("SELECT 1", &[]).await.map(|_| ())
    }
}

/// `scope` (the tenant or person setting, given `value`), then the statement, as one
/// transaction sent in one write and answered in one round trip ([`Connection::transaction`]:
/// one `Sync`, no `BEGIN` or `COMMIT`).
///
/// An error in `scope` makes the server skip the statement, so the statement never runs
/// unless `scope` succeeded in the same transaction; an error in the statement rolls the
/// transaction back; the first error is the answer, and either way the session is idle again.
async fn pipelined(
    conn: &mut Connection,
    scope: &'static str,
    value: &str,
    sql: &'static str,
    params: Params<'_>,
) -> Result<Done, StoreError> {
    let scope = conn.statement(scope).await?;
    let statement = conn.statement(sql).await?;
    let value: Params = &[&value];
    Ok(conn
        .transaction(&[(&scope, value), (&statement, params)])
        .await?)
}

/// One statement on its own (its own implicit transaction): one round trip.
async fn alone(
    conn: &mut Connection,
    sql: &'static str,
    params: Params<'_>,
) -> Result<Done, StoreError> {
    let statement = conn.statement(sql).await?;
    Ok(conn.transaction(&[(&statement, params)]).await?)
}

/// A stored value the domain refuses: the row is corrupt.
fn corrupt(what: &str) -> StoreError {
    StoreError::Database(format!("stored {what} is not valid").into())
}
