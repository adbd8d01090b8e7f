//! The SQLite store's writes: each entity's shared SQL (`store/items.rs`, `store/alerts.rs`,
//! `store/sign_outs.rs`) run on the writer thread (`writer.rs`), rows mapped as the reads map
//! them. Every statement filters on `tenant_id`, as SQLite has no row-level security.
//!
//! The SQL numbers its parameters (`$1`…) in the order PostgreSQL binds them, which is not
//! always the order they appear in, so they are bound here by name.

use rusqlite::{named_params, Connection};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::reads::{alert_from, item_from};
use super::SqliteStore;
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::item::{Item, ItemName};
use crate::store::backend::returned;
use crate::store::{alerts, items, sign_outs, StoreError};
use crate::tenancy::ScopedTenant;

impl SqliteStore {
    pub(super) async fn insert_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
        at: OffsetDateTime,
    ) -> Result<Item, StoreError> {
        let (tenant, owner_sub, name, at) = (
            tenant.clone(),
            owner_sub.to_owned(),
            name.as_str().to_owned(),
            stamp(at)?,
        );
        self.writer
            .write(move |c| {
                let params =
                    named_params! {"$1": tenant.as_str(), "$2": owner_sub, "$3": name, "$4": at};
                returning(c, items::INSERT_ITEM, params, |row| item_from(row, &tenant))
            })
            .await
    }

    pub(super) async fn update_item_name(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
        at: OffsetDateTime,
    ) -> Result<Item, StoreError> {
        let (tenant, name, at) = (tenant.clone(), name.as_str().to_owned(), stamp(at)?);
        self.writer
            .write(move |c| {
                let params = named_params! {"$1": tenant.as_str(), "$2": id, "$3": name, "$4": at};
                returning(c, items::RENAME_ITEM, params, |row| item_from(row, &tenant))
            })
            .await
    }

    pub(super) async fn delete_item_row(
        &self,
        tenant: &ScopedTenant,
        id: i64,
    ) -> Result<u64, StoreError> {
        let tenant = tenant.clone();
        self.writer
            .write(move |c| {
                execute(
                    c,
                    items::DELETE_ITEM,
                    named_params! {"$1": tenant.as_str(), "$2": id},
                )
            })
            .await
    }

    pub(super) async fn insert_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
        at: OffsetDateTime,
    ) -> Result<Alert, StoreError> {
        let (tenant, owner_sub, title, at) = (
            tenant.clone(),
            owner_sub.to_owned(),
            title.as_str().to_owned(),
            stamp(at)?,
        );
        self.writer
            .write(move |c| {
                let params = named_params! {
                    "$1": tenant.as_str(), "$2": owner_sub, "$3": title,
                    "$4": severity.as_str(), "$5": at,
                };
                returning(c, alerts::INSERT_ALERT, params, |row| {
                    alert_from(row, &tenant)
                })
            })
            .await
    }

    pub(super) async fn update_alert_acknowledged(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
        at: OffsetDateTime,
    ) -> Result<Alert, StoreError> {
        let (tenant, owner_sub, at) = (tenant.clone(), owner_sub.to_owned(), stamp(at)?);
        self.writer
            .write(move |c| {
                let params =
                    named_params! {"$1": tenant.as_str(), "$2": owner_sub, "$3": id, "$4": at};
                returning(c, alerts::ACK_ALERT, params, |row| alert_from(row, &tenant))
            })
            .await
    }

    pub(super) async fn delete_alert_row(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<u64, StoreError> {
        let (tenant, owner_sub) = (tenant.clone(), owner_sub.to_owned());
        self.writer
            .write(move |c| {
                let params = named_params! {"$1": tenant.as_str(), "$2": owner_sub, "$3": id};
                execute(c, alerts::DELETE_ALERT, params)
            })
            .await
    }

    pub(super) async fn upsert_sign_out(
        &self,
        sub: &str,
        at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let sub = sub.to_owned();
        self.writer
            .write(move |c| {
                let params = named_params! {"$1": sub, "$2": at, "$3": expires_at};
                execute(c, sign_outs::UPSERT_SIGN_OUT, params).map(|_| ())
            })
            .await
    }

    pub(super) async fn delete_sign_outs_before(&self, now: i64) -> Result<u64, StoreError> {
        self.writer
            .write(move |c| execute(c, sign_outs::PURGE_SIGN_OUTS, named_params! {"$1": now}))
            .await
    }
}

/// Runs a one-row `RETURNING` write to completion (see `store::backend::returned`): its row.
fn returning<T>(
    connection: &Connection,
    sql: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<T, StoreError> {
    let mut statement = connection.prepare_cached(sql)?;
    let rows = statement.query_map(params, row)?;
    returned(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Runs a statement without rows to completion: rows changed.
fn execute(
    connection: &Connection,
    sql: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
) -> Result<u64, StoreError> {
    let changed = connection.prepare_cached(sql)?.execute(params)?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

/// A timestamp as stored: RFC 3339 text, as sqlx writes `OffsetDateTime` and the reads parse it.
fn stamp(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339)
        .map_err(|e| StoreError::Database(Box::new(e)))
}
