//! The SQLite store's reads: each entity's shared SQL (`store/items.rs`, `store/alerts.rs`,
//! `store/sign_outs.rs`), rows mapped straight into domain values.
//!
//! Every statement selects by `tenant_id = $1`, so each row's tenant is the caller's: it is
//! taken from the request instead of being parsed again per row.

use rusqlite::types::{FromSqlError, Type, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::domain::alert::{Alert, Severity};
use crate::domain::item::Item;
use crate::domain::page::PageRequest;
use crate::store::{alerts, items, sign_outs};
use crate::tenancy::ScopedTenant;

/// Up to `page.limit + 1` of the tenant's items after the cursor.
pub(super) fn items(
    conn: &Connection,
    tenant: &ScopedTenant,
    page: PageRequest,
) -> rusqlite::Result<Vec<Item>> {
    let mut statement = conn.prepare_cached(items::LIST_ITEMS)?;
    let rows = statement.query_map(
        params![tenant.as_str(), page.after, page.fetch_limit()],
        |row| item_from(row, tenant),
    )?;
    rows.collect()
}

/// One of the tenant's items.
pub(super) fn item(
    conn: &Connection,
    tenant: &ScopedTenant,
    id: i64,
) -> rusqlite::Result<Option<Item>> {
    conn.prepare_cached(items::GET_ITEM)?
        .query_row(params![tenant.as_str(), id], |row| item_from(row, tenant))
        .optional()
}

/// Up to `page.limit + 1` of the owner's alerts in the tenant after the cursor.
pub(super) fn alerts(
    conn: &Connection,
    tenant: &ScopedTenant,
    owner_sub: &str,
    page: PageRequest,
) -> rusqlite::Result<Vec<Alert>> {
    let mut statement = conn.prepare_cached(alerts::LIST_ALERTS)?;
    let rows = statement.query_map(
        params![tenant.as_str(), owner_sub, page.after, page.fetch_limit()],
        |row| alert_from(row, tenant),
    )?;
    rows.collect()
}

/// One of the owner's alerts in the tenant.
pub(super) fn alert(
    conn: &Connection,
    tenant: &ScopedTenant,
    owner_sub: &str,
    id: i64,
) -> rusqlite::Result<Option<Alert>> {
    conn.prepare_cached(alerts::GET_ALERT)?
        .query_row(params![tenant.as_str(), owner_sub, id], |row| {
            alert_from(row, tenant)
        })
        .optional()
}

/// Sign-outs recorded at or after `since`.
pub(super) fn sign_outs_since(
    conn: &Connection,
    since: i64,
) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut statement = conn.prepare_cached(sign_outs::SIGN_OUTS_SINCE)?;
    let rows = statement.query_map(params![since], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// A trivial round trip, for readiness.
pub(super) fn ping(conn: &Connection) -> rusqlite::Result<()> {
    conn.prepare_cached("SELECT 1")?.query_row([], |_| Ok(()))
}

/// Columns: id, tenant_id, owner_sub, name, created_at, updated_at.
pub(super) fn item_from(row: &Row<'_>, tenant: &ScopedTenant) -> rusqlite::Result<Item> {
    Ok(Item {
        id: row.get(0)?,
        tenant_id: tenant.id().clone(),
        owner_sub: row.get(2)?,
        name: row.get(3)?,
        created_at: timestamp(row, 4)?,
        updated_at: timestamp(row, 5)?,
    })
}

/// Columns: id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at.
pub(super) fn alert_from(row: &Row<'_>, tenant: &ScopedTenant) -> rusqlite::Result<Alert> {
    let severity = row.get_ref(4)?.as_str()?;
    Ok(Alert {
        id: row.get(0)?,
        tenant_id: tenant.id().clone(),
        owner_sub: row.get(2)?,
        title: row.get(3)?,
        severity: severity
            .parse::<Severity>()
            .map_err(|_| invalid(4, Type::Text, "stored severity is not valid"))?,
        created_at: timestamp(row, 5)?,
        acknowledged_at: match row.get_ref(6)? {
            ValueRef::Null => None,
            _ => Some(timestamp(row, 6)?),
        },
    })
}

/// A timestamp column, stored as RFC 3339 text (as sqlx writes `OffsetDateTime`).
fn timestamp(row: &Row<'_>, column: usize) -> rusqlite::Result<OffsetDateTime> {
    let text = row
        .get_ref(column)?
        .as_str()
        .map_err(|e| from_sql(column, e))?;
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| invalid(column, Type::Text, "stored timestamp is not valid"))
}

fn from_sql(column: usize, err: FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(err))
}

fn invalid(column: usize, kind: Type, what: &'static str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, kind, what.into())
}
