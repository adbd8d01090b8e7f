//! Alerts: the [`AlertStore`] contract and its SQL, one text for SQLite and PostgreSQL; every
//! statement filters on `tenant_id = $1` and the owner. Each backend runs it in its own
//! `alerts.rs` (`sqlite/alerts.rs`, `postgres/alerts.rs`), with its bindings and row mapping.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;

/// Alerts, each owned by one user within a tenant.
#[async_trait]
pub trait AlertStore: Send + Sync + 'static {
    /// A page of the owner's alerts in the tenant, ordered by id.
    async fn list_alerts(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError>;
    /// Stores a new alert for the owner.
    async fn create_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError>;
    /// One of the owner's alerts.
    async fn get_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError>;
    /// Deletes one of the owner's alerts.
    async fn delete_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<(), StoreError>;
    /// Marks one of the owner's alerts acknowledged (idempotent: the first time is kept).
    async fn acknowledge_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError>;
}

pub(super) const LIST_ALERTS: &str =
    "SELECT id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at \
     FROM alerts WHERE tenant_id = $1 AND owner_sub = $2 AND id > $3 ORDER BY id LIMIT $4";
pub(super) const INSERT_ALERT: &str =
    "INSERT INTO alerts (tenant_id, owner_sub, title, severity, created_at) \
     VALUES ($1, $2, $3, $4, $5) \
     RETURNING id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at";
pub(super) const GET_ALERT: &str =
    "SELECT id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at \
     FROM alerts WHERE tenant_id = $1 AND owner_sub = $2 AND id = $3";
pub(super) const ACK_ALERT: &str =
    "UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, $4) \
     WHERE tenant_id = $1 AND owner_sub = $2 AND id = $3 \
     RETURNING id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at";
pub(super) const DELETE_ALERT: &str =
    "DELETE FROM alerts WHERE tenant_id = $1 AND owner_sub = $2 AND id = $3";
