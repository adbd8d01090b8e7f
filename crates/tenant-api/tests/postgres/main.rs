//! PostgreSQL-only guarantees: row-level security, sign-out across instances, and outages.
//! Needs `TENANT_API_TEST_POSTGRES` (an admin URL for a role that may create databases but is
//! neither superuser nor BYPASSRLS); `.ci/postgres.sh` starts such a server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub,
    dead_code
)]

#[path = "../api/helpers.rs"]
mod helpers;
#[path = "../api/hosted_ui.rs"]
mod hosted_ui;
#[path = "../store_suite/mod.rs"]
#[allow(dead_code)]
mod store_suite;

mod check;
mod instances;
mod outage;
mod rls;

/// The admin URL, or a clear failure.
pub fn admin_url() -> String {
    std::env::var("TENANT_API_TEST_POSTGRES")
        .expect("TENANT_API_TEST_POSTGRES must name a PostgreSQL admin URL (see .ci/postgres.sh)")
}

/// Creates a fresh database and returns its URL.
pub async fn fresh_database() -> String {
    use sqlx::Connection;
    let admin = admin_url();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    url.to_string()
}
