//! [`AlertStore`] on PostgreSQL: the shared alert SQL (`store/alerts.rs`), each statement in its
//! tenant's scoped transaction, rows read through the wire client (`wire/`).

use super::wire::Row;
use async_trait::async_trait;

use super::{corrupt, Params, PgStore};
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
        let params: Params = &[
            &tenant.as_str(),
            &owner_sub,
            &page.after,
            &page.fetch_limit(),
        ];
        let alerts = self.scoped_rows(tenant, LIST_ALERTS, params, alert).await?;
        Ok(Page::from_overfetch(alerts, page, |alert: &Alert| alert.id))
    }

    async fn create_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError> {
        let params: Params = &[
            &tenant.as_str(),
            &owner_sub,
            &title.as_str(),
            &severity.as_str(),
            &self.now(),
        ];
        returned(
            self.scoped_rows(tenant, INSERT_ALERT, params, alert)
                .await?,
        )
    }

    async fn get_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let params: Params = &[&tenant.as_str(), &owner_sub, &id];
        returned(self.scoped_rows(tenant, GET_ALERT, params, alert).await?)
    }

    async fn delete_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<(), StoreError> {
        let params: Params = &[&tenant.as_str(), &owner_sub, &id];
        deleted(self.scoped_execute(tenant, DELETE_ALERT, params).await?)
    }

    async fn acknowledge_alert(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        let params: Params = &[&tenant.as_str(), &owner_sub, &id, &self.now()];
        returned(self.scoped_rows(tenant, ACK_ALERT, params, alert).await?)
    }
}

/// An `alerts` row as stored.
fn alert(row: &Row) -> Result<Alert, StoreError> {
    let tenant_id: &str = row.try_get("tenant_id")?;
    let severity: &str = row.try_get("severity")?;
    Ok(Alert {
        id: row.try_get("id")?,
        tenant_id: TenantId::parse(tenant_id).map_err(|_| corrupt("tenant_id"))?,
        owner_sub: row.try_get("owner_sub")?,
        title: row.try_get("title")?,
        severity: severity
            .parse::<Severity>()
            .map_err(|_| corrupt("severity"))?,
        created_at: row.try_get("created_at")?,
        acknowledged_at: row.try_get("acknowledged_at")?,
    })
}
