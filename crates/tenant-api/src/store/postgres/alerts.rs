//! [`AlertStore`] on PostgreSQL: the shared alert SQL (`store/alerts.rs`), each statement in its
//! tenant's scoped transaction, rows read through sqlx.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{corrupt, PgStore};
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::page::{Page, PageRequest};
use crate::domain::tenant::TenantId;
use crate::store::alerts::{ACK_ALERT, DELETE_ALERT, GET_ALERT, INSERT_ALERT, LIST_ALERTS};
use crate::store::{deleted, returned, AlertStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl AlertStore for PgStore {
    async fn list_alerts(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(LIST_ALERTS)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(page.after)
            .bind(page.fetch_limit());
        let alerts = self.scoped_rows(tenant, query).await?;
        Ok(Page::from_overfetch(alerts, page, |alert: &Alert| alert.id))
    }

    async fn create_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(INSERT_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(title.as_str())
            .bind(severity.as_str())
            .bind(self.now());
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn get_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(GET_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(id);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn delete_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(DELETE_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(id);
        deleted(self.scoped_execute(tenant, query).await?)
    }

    async fn acknowledge_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let query = sqlx::query_as::<_, AlertRow>(ACK_ALERT)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(id)
            .bind(self.now());
        returned(self.scoped_rows(tenant, query).await?)
    }
}

/// An `alerts` row as stored.
#[derive(sqlx::FromRow)]
struct AlertRow {
    id: i64,
    tenant_id: String,
    owner_sub: String,
    title: String,
    severity: String,
    created_at: OffsetDateTime,
    acknowledged_at: Option<OffsetDateTime>,
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
