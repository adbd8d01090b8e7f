//! Database rows and their conversion into domain types.

use time::OffsetDateTime;

use crate::domain::alert::{Alert, Severity};
use crate::domain::item::Item;
use crate::domain::tenant::TenantId;

/// An `items` row as stored.
#[derive(sqlx::FromRow)]
pub(super) struct ItemRow {
    id: i64,
    tenant_id: String,
    owner_sub: String,
    name: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

/// An `alerts` row as stored.
#[derive(sqlx::FromRow)]
pub(super) struct AlertRow {
    id: i64,
    tenant_id: String,
    owner_sub: String,
    title: String,
    severity: String,
    created_at: OffsetDateTime,
    acknowledged_at: Option<OffsetDateTime>,
}

fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} is not valid").into())
}

impl TryFrom<ItemRow> for Item {
    type Error = sqlx::Error;
    fn try_from(row: ItemRow) -> Result<Self, sqlx::Error> {
        Ok(Item {
            id: row.id,
            tenant_id: TenantId::parse(&row.tenant_id).map_err(|_| corrupt("tenant_id"))?,
            owner_sub: row.owner_sub,
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl TryFrom<AlertRow> for Alert {
    type Error = sqlx::Error;
    fn try_from(row: AlertRow) -> Result<Self, sqlx::Error> {
        Ok(Alert {
            id: row.id,
            tenant_id: TenantId::parse(&row.tenant_id).map_err(|_| corrupt("tenant_id"))?,
            owner_sub: row.owner_sub,
            title: row.title,
            severity: row
                .severity
                .parse::<Severity>()
                .map_err(|_| corrupt("severity"))?,
            created_at: row.created_at,
            acknowledged_at: row.acknowledged_at,
        })
    }
}

/// Converts fetched rows into domain values.
pub(super) fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, sqlx::Error>
where
    T: TryFrom<R, Error = sqlx::Error>,
{
    rows.into_iter().map(T::try_from).collect()
}
