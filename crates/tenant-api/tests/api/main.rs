//! The one integration-test binary: every module boots the real router on an ephemeral port with
//! the embedded identity provider and a fresh SQLite database.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod helpers;
#[path = "../store_suite/mod.rs"]
mod store_suite;

mod alerts;
mod bff;
mod cli;
mod connections;
mod console;
mod disk_full;
mod docs_and_health;
mod embedded_web;
mod errors;
mod hosted_ui;
mod items;
mod login;
mod production;
mod rotation;
mod sqlite_wal;
mod tenancy;
mod tenant_admin;
mod web_client;

/// The shared store suite on SQLite (or on PostgreSQL when TENANT_API_TEST_POSTGRES is set).
mod store {
    crate::store_suite!(crate::helpers::test_stores);
}
