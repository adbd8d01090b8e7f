//! [`AuditStore`] on PostgreSQL: the shared audit SQL (`store/audit.rs`), in the tenant's
//! scoped transaction.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::PgStore;
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
        let query = sqlx::query(INSERT_AUDIT)
            .bind(tenant.as_str())
            .bind(&entry.actor_sub)
            .bind(entry.action.as_str())
            .bind(&entry.target)
            .bind(entry.detail.as_deref())
            .bind(&entry.request_id)
            .bind(self.now());
        self.scoped_execute(tenant, query).await.map(drop)
    }

    async fn list_audit(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let query = sqlx::query_as::<_, AuditRow>(LIST_AUDIT)
            .bind(tenant.as_str())
            .bind(page.after)
            .bind(page.fetch_limit());
        let rows = self.scoped_rows(tenant, query).await?;
        Ok(Page::from_overfetch(rows, page, |e: &AuditEntry| e.id))
    }
}

/// An `audit_log` row as read.
#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    actor_sub: String,
    action: String,
    target: String,
    detail: Option<String>,
    request_id: String,
    at: OffsetDateTime,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = sqlx::Error;
    fn try_from(row: AuditRow) -> Result<Self, sqlx::Error> {
        Ok(AuditEntry {
            id: row.id,
            actor_sub: row.actor_sub,
            action: row.action,
            target: row.target,
            detail: row.detail,
            request_id: row.request_id,
            at: row.at,
        })
    }
}
