//! The pipelined transaction on a real PostgreSQL (feature `postgres-tests`, with
//! `TENANT_API_TEST_POSTGRES` naming an admin URL, as `.ci/postgres.sh` sets): the statement
//! runs only inside the transaction whose tenant setting succeeded, and a failure leaves the
//! connection idle and reusable; a connection the server closed while idle is replaced, not
//! failed on; the URL's `options` reach the session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use sqlx::Connection;

use super::pool::Pool;
use super::wire::{Done, Params, PgError};
use super::{alone, pipelined, SET_TENANT};
use crate::store::sign_outs::UPSERT_SIGN_OUT;
use crate::store::StoreError;

/// A pool of one connection to a fresh, migrated database (so that every call below reuses the
/// connection the previous one left).
async fn one_connection() -> Pool {
    let url = fresh_database().await;
    Pool::new(tokio_postgres::Config::from_str(url.as_str()).unwrap(), 1)
}

/// The URL of a fresh, migrated database.
async fn fresh_database() -> url::Url {
    let admin = std::env::var("TENANT_API_TEST_POSTGRES")
        .expect("TENANT_API_TEST_POSTGRES must name a PostgreSQL admin URL (see .ci/postgres.sh)");
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    let mut conn = sqlx::PgConnection::connect(url.as_str()).await.unwrap();
    sqlx::migrate!("./migrations/postgres")
        .run(&mut conn)
        .await
        .unwrap();
    url
}

async fn scoped(
    pool: &Pool,
    scope: &'static str,
    tenant: &str,
    sql: &'static str,
    params: Params<'_>,
) -> Result<Done, StoreError> {
    let mut lease = pool.get().await.unwrap();
    pipelined(lease.conn(), scope, tenant, sql, params).await
}

async fn unscoped(pool: &Pool, sql: &'static str) -> Done {
    let mut lease = pool.get().await.unwrap();
    alone(lease.conn(), sql, &[]).await.unwrap()
}

fn text(done: &Done, column: &str) -> Option<String> {
    done.rows[0].get(column)
}

#[tokio::test]
async fn the_statement_sees_the_tenant_set_in_its_own_transaction_and_no_later_one_does() {
    let pool = one_connection().await;

    // `set_config(.., true)` lasts only as long as its transaction: the statement sees the
    // tenant only because it runs in the same one.
    let done = scoped(
        &pool,
        SET_TENANT,
        "acme",
        "SELECT current_setting('app.tenant_id', true) AS tenant, pg_backend_pid() AS pid",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(text(&done, "tenant").as_deref(), Some("acme"));
    let pid: i32 = done.rows[0].get("pid");

    // The same connection afterwards: the setting ended with the transaction (at its
    // `Sync`), so a statement outside the scoped path has no tenant, and sees no rows.
    let after = unscoped(
        &pool,
        "SELECT coalesce(current_setting('app.tenant_id', true), '') AS tenant, \
         pg_backend_pid() AS pid",
    )
    .await;
    assert_eq!(after.rows[0].get::<i32>("pid"), pid, "one connection");
    assert_eq!(text(&after, "tenant").as_deref(), Some(""));
}

#[tokio::test]
async fn a_statement_never_runs_when_setting_its_tenant_failed() {
    let pool = one_connection().await;

    // A scope statement that fails after `set_config` (the tenant does not cast to int),
    // followed in the same pipeline by a write that row-level security does not guard.
    let failing_scope = "SELECT set_config('app.tenant_id', $1, true)::int";
    let (sub, at, expires): (&str, i64, i64) = ("smuggled", 1, 2);
    let outcome = scoped(
        &pool,
        failing_scope,
        "acme",
        UPSERT_SIGN_OUT,
        &[&sub, &at, &expires],
    )
    .await;

    let err = outcome.err().expect("the pipeline fails");
    let code = match &err {
        StoreError::Database(source) => source
            .downcast_ref::<PgError>()
            .and_then(PgError::code)
            .map(str::to_owned),
        _ => None,
    };
    assert_eq!(
        code.as_deref(),
        Some("22P02"),
        "the scope's own error: {err}"
    );
    let written = unscoped(&pool, "SELECT count(*) AS n FROM sign_outs").await;
    assert_eq!(
        written.rows[0].get::<i64>("n"),
        0,
        "the write after the failed scope was refused, not run"
    );
}

#[tokio::test]
async fn a_failed_statement_commits_nothing_and_leaves_its_connection_idle() {
    let pool = one_connection().await;

    // Another tenant's row in tenant a's transaction: refused by the policy's WITH CHECK, and
    // answered as a database error, not an outage.
    let insert = "INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at) \
                  VALUES ($1, 'x', 'smuggled', now(), now())";
    let err = scoped(&pool, SET_TENANT, "a", insert, &[&"b"])
        .await
        .err()
        .expect("row-level security refuses the row");
    assert!(matches!(err, StoreError::Database(_)));

    // The transaction was rolled back at its `Sync`: the same connection serves the next
    // request at once (an aborted transaction would refuse it with 25P02), and nothing was
    // written.
    let done = scoped(
        &pool,
        SET_TENANT,
        "b",
        "SELECT count(*) AS n FROM items",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(done.rows[0].get::<i64>("n"), 0);
    // Two statements after it get transactions of their own: none was left open.
    let xid = "SELECT txid_current() AS xid";
    let first: i64 = unscoped(&pool, xid).await.rows[0].get("xid");
    let second: i64 = unscoped(&pool, xid).await.rows[0].get("xid");
    assert_ne!(first, second, "no transaction left open on the connection");
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_is_replaced_not_failed_on() {
    let pool = one_connection().await;
    let pid = "SELECT pg_backend_pid() AS pid";
    let first: i32 = unscoped(&pool, pid).await.rows[0].get("pid");

    // The server ends the pooled connection's session while it sits idle (an administrator,
    // a restart, an idle timeout), and waits until that backend is gone.
    let admin = std::env::var("TENANT_API_TEST_POSTGRES").unwrap();
    let mut other = sqlx::PgConnection::connect(&admin).await.unwrap();
    let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1, 5000)")
        .bind(first)
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert!(ended);

    // The next call notices the closed connection when it takes it, and opens another.
    let second: i32 = unscoped(&pool, pid).await.rows[0].get("pid");
    assert_ne!(first, second, "a new connection");
    let done = scoped(&pool, SET_TENANT, "acme", "SELECT 1 AS one", &[])
        .await
        .unwrap();
    assert_eq!(done.rows[0].get::<i32>("one"), 1);
}

#[tokio::test]
async fn settings_in_the_urls_options_reach_the_session() {
    // docs/postgres.md ("Plans") tells operators to set plan_cache_mode this way.
    let mut url = fresh_database().await;
    url.set_query(Some("options=-c%20plan_cache_mode%3Dforce_generic_plan"));
    let pool = Pool::new(tokio_postgres::Config::from_str(url.as_str()).unwrap(), 1);
    let done = unscoped(&pool, "SELECT current_setting('plan_cache_mode') AS mode").await;
    assert_eq!(text(&done, "mode").as_deref(), Some("force_generic_plan"));
}
