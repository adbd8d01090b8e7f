//! [`AlertStore`] on SQLite: the shared alert SQL (`store/alerts.rs`), reads in place, writes on
//! the writer thread, rows mapped straight into [`Alert`]s.
//!
//! Every statement selects by `tenant_id = $1` and the owner, so each row's tenant is the
//! caller's: it is taken from the request instead of being parsed again per row.

use async_trait::async_trait;
use rusqlite::types::{Type, ValueRef};
use rusqlite::{named_params, params, OptionalExtension, Row};

use super::rows::{execute, invalid, returning, timestamp};
use super::SqliteStore;
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::page::{Page, PageRequest};
use crate::store::alerts::{ACK_ALERT, DELETE_ALERT, GET_ALERT, INSERT_ALERT, LIST_ALERTS};
use crate::store::{deleted, AlertStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl AlertStore for SqliteStore {
    async fn list_alerts(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError> {
        let rows = self.read(|conn| {
            let mut statement = conn.prepare_cached(LIST_ALERTS)?;
            let rows = statement.query_map(
                params![tenant.as_str(), owner_sub, page.after, page.fetch_limit()],
                |row| alert_from(row, tenant),
            )?;
            rows.collect()
        })?;
        Ok(Page::from_overfetch(rows, page, |alert| alert.id))
    }

    async fn create_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError> {
        let (tenant, owner_sub, title, at) = (
            tenant.clone(),
            owner_sub.to_owned(),
            title.as_str().to_owned(),
            self.stamp()?,
        );
        self.write(move |c| {
            let params = named_params! {
                "$1": tenant.as_str(), "$2": owner_sub, "$3": title,
                "$4": severity.as_str(), "$5": at,
            };
            returning(c, INSERT_ALERT, params, |row| alert_from(row, &tenant))
        })
        .await
    }

    async fn get_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(GET_ALERT)?
                .query_row(params![tenant.as_str(), owner_sub, id], |row| {
                    alert_from(row, tenant)
                })
                .optional()
        })?
        .ok_or(StoreError::NotFound)
    }

    async fn delete_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<(), StoreError> {
        let (tenant, owner_sub) = (tenant.clone(), owner_sub.to_owned());
        let rows = self
            .write(move |c| {
                let params = named_params! {"$1": tenant.as_str(), "$2": owner_sub, "$3": id};
                execute(c, DELETE_ALERT, params)
            })
            .await?;
        deleted(rows)
    }

    async fn acknowledge_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let (tenant, owner_sub, at) = (tenant.clone(), owner_sub.to_owned(), self.stamp()?);
        self.write(move |c| {
            let params = named_params! {"$1": tenant.as_str(), "$2": owner_sub, "$3": id, "$4": at};
            returning(c, ACK_ALERT, params, |row| alert_from(row, &tenant))
        })
        .await
    }
}

/// Columns: id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at.
fn alert_from(row: &Row<'_>, tenant: &ScopedTenant) -> rusqlite::Result<Alert> {
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
