//! [`AuditStore`] on SQLite: the shared audit SQL (`store/audit.rs`).

use async_trait::async_trait;
use rusqlite::{named_params, params, Row};

use super::rows::{execute, timestamp};
use super::SqliteStore;
use crate::domain::membership::{AuditEntry, NewAuditEntry};
use crate::domain::page::{Page, PageRequest};
use crate::store::audit::{INSERT_AUDIT, LIST_AUDIT};
use crate::store::{AuditStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl AuditStore for SqliteStore {
    async fn record_audit(
        &self,
        tenant: &ScopedTenant,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let (tenant, entry, at) = (tenant.clone(), entry.clone(), self.stamp()?);
        self.write(move |c| {
            let params = named_params! {
                "$1": tenant.as_str(), "$2": entry.actor_sub, "$3": entry.action.as_str(),
                "$4": entry.target, "$5": entry.detail, "$6": entry.request_id, "$7": at
            };
            execute(c, INSERT_AUDIT, params).map(drop)
        })
        .await
    }

    async fn list_audit(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let rows = self.read(|conn| {
            let mut statement = conn.prepare_cached(LIST_AUDIT)?;
            let rows = statement.query_map(
                params![tenant.as_str(), page.after, page.fetch_limit()],
                entry_from,
            )?;
            rows.collect()
        })?;
        Ok(Page::from_overfetch(rows, page, |entry| entry.id))
    }
}

/// Columns: id, actor_sub, action, target, detail, request_id, at.
fn entry_from(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        actor_sub: row.get(1)?,
        action: row.get(2)?,
        target: row.get(3)?,
        detail: row.get(4)?,
        request_id: row.get(5)?,
        at: timestamp(row, 6)?,
    })
}
