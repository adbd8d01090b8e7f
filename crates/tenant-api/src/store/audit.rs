//! The per-tenant audit log: the [`AuditStore`] contract and its SQL (one text for both
//! backends, run by `sqlite/audit.rs` and `postgres/audit.rs`); tenant data like items.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::membership::{AuditEntry, NewAuditEntry};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;

/// What a tenant's admins did, oldest first.
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Records one action, stamped with the store's clock.
    async fn record_audit(
        &self,
        tenant: &ScopedTenant,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError>;
    /// A page of the tenant's audit log, ordered by id.
    async fn list_audit(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError>;
}

pub(super) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (tenant_id, actor_sub, action, target, detail, request_id, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(super) const LIST_AUDIT: &str = "SELECT id, actor_sub, action, target, detail, request_id, at \
     FROM audit_log WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3";
