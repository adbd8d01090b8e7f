//! [`AuditStore`] on PostgreSQL: the shared audit SQL (`store/audit.rs`), in the tenant's
//! scoped transaction, rows read through the wire client (`wire/`).

use super::wire::Row;
use async_trait::async_trait;

use super::{Params, PgStore};
use crate::domain::membership::{AuditEntry, NewAuditEntry};
use crate::domain::page::{Page, PageRequest};
use crate::store::audit::{INSERT_AUDIT, LIST_AUDIT};
use crate::store::{AuditStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl AuditStore for PgStore {
    async fn record_audit(
        &self,
        tenant: &ScopedTenant,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let params: Params = &[
            &tenant.as_str(),
            &entry.actor_sub,
            &entry.action.as_str(),
            &entry.target,
            &entry.detail.as_deref(),
            &entry.request_id,
            &self.now(),
        ];
        self.scoped_execute(tenant, INSERT_AUDIT, params)
            .await
            .map(drop)
    }

    async fn list_audit(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let params: Params = &[&tenant.as_str(), &page.after, &page.fetch_limit()];
        let entries = self.scoped_rows(tenant, LIST_AUDIT, params, entry).await?;
        Ok(Page::from_overfetch(entries, page, |e: &AuditEntry| e.id))
    }
}

/// An `audit_log` row as read.
fn entry(row: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        actor_sub: row.try_get("actor_sub")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        detail: row.try_get("detail")?,
        request_id: row.try_get("request_id")?,
        at: row.try_get("at")?,
    })
}
