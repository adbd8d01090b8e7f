//! PostgreSQL backend: for several instances behind a load balancer, with row-level security.
//!
//! Requests reach PostgreSQL through tokio-postgres, which pipelines: a tenant statement goes
//! out with its `BEGIN`, tenant setting and `COMMIT` in one write, and costs one network round
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

use std::pin::pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use sqlx::Connection;
use time::OffsetDateTime;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row, Statement};

use super::availability::Availability;
use super::{Ping, StoreError};
use crate::clock::Clock;
use crate::tenancy::ScopedTenant;
use pool::{Conn, Pool};

/// The statements around every tenant statement: the transaction, and in it the tenant that
/// row-level security admits. `set_config(.., true)` is `SET LOCAL`: it ends with the
/// transaction, so a pooled connection never carries one request's tenant into the next.
const BEGIN: &str = "BEGIN";
const SET_TENANT: &str = "SELECT set_config('app.tenant_id', $1, true)";
/// The person scope: row-level security admits a person's own memberships in every tenant
/// (migration 0012), and nothing else of any tenant.
const SET_PERSON: &str = "SELECT set_config('app.sub', $1, true)";
const COMMIT: &str = "COMMIT";

/// A parameter list of a statement.
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

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

/// What a statement returned: its rows, and the rows it affected.
struct Done {
    rows: Vec<Row>,
    affected: u64,
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
    /// `BEGIN`, the tenant setting, the statement and `COMMIT` are sent together, one network
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
                let done = pipelined(lease.conn(), scope, value, sql, params).await;
                lease.finished();
                done
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
                let done = alone(lease.conn(), sql, params).await;
                lease.finished();
                done
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

/// `BEGIN`; `scope` (the tenant or person setting, given `value`); the statement; `COMMIT`,
/// sent in one write and answered in one round trip.
///
/// The four requests are issued concurrently on one client: `futures::join!` polls them in
/// order, each puts its message on the client's queue when first polled, and the connection,
/// driven in this task ([`Conn::drive`]), writes everything queued at once. Each request ends
/// with its own `Sync`, so the server runs them in order, and an error in any of them aborts
/// the transaction: every later statement but `COMMIT` is refused (`25P02`), and `COMMIT`
/// answers `ROLLBACK`. So the statement never runs unless `scope` succeeded in the same
/// transaction, a failed statement commits nothing, and the first error is the answer. When
/// all four are answered the session is idle again, whatever failed.
async fn pipelined(
    conn: &mut Conn,
    scope: &'static str,
    value: &str,
    sql: &'static str,
    params: Params<'_>,
) -> Result<Done, StoreError> {
    let begin = conn.statement(BEGIN).await?;
    let scope = conn.statement(scope).await?;
    let statement = conn.statement(sql).await?;
    let commit = conn.statement(COMMIT).await?;
    let value: Params = &[&value];
    conn.drive(|client| async move {
        let (begun, scoped, done, committed) = futures::join!(
            client.execute(&begin, &[]),
            client.execute(&scope, value),
            run(client, &statement, params),
            client.execute(&commit, &[]),
        );
        begun?;
        scoped?;
        let done = done?;
        committed?;
        Ok(done)
    })
    .await
}

/// One statement on its own (its own implicit transaction): one round trip.
async fn alone(conn: &mut Conn, sql: &'static str, params: Params<'_>) -> Result<Done, StoreError> {
    let statement = conn.statement(sql).await?;
    conn.drive(|client| async move { run(client, &statement, params).await })
        .await
}

/// Runs a prepared statement to the end: all its rows, and the count of rows it affected.
async fn run(
    client: &Client,
    statement: &Statement,
    params: Params<'_>,
) -> Result<Done, tokio_postgres::Error> {
    let params = params.iter().map(|param| *param as &dyn ToSql);
    let mut stream = pin!(client.query_raw(statement, params).await?);
    let mut rows = Vec::new();
    while let Some(row) = stream.next().await {
        rows.push(row?);
    }
    let affected = stream.rows_affected().unwrap_or(0);
    Ok(Done { rows, affected })
}

/// A stored value the domain refuses: the row is corrupt.
fn corrupt(what: &str) -> StoreError {
    StoreError::Database(format!("stored {what} is not valid").into())
}
