//! [`ItemStore`] on PostgreSQL: the shared item SQL (`store/items.rs`), each statement in its
//! tenant's scoped transaction, rows read through the wire client (`wire/`).

use super::wire::Row;
use async_trait::async_trait;

use super::{corrupt, Params, PgStore};
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::domain::tenant::TenantId;
use crate::store::items::{DELETE_ITEM, GET_ITEM, INSERT_ITEM, LIST_ITEMS, RENAME_ITEM};
use crate::store::{deleted, returned, ItemStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl ItemStore for PgStore {
    async fn list_items(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError> {
        let params: Params = &[&tenant.as_str(), &page.after, &page.fetch_limit()];
        let items = self.scoped_rows(tenant, LIST_ITEMS, params, item).await?;
        Ok(Page::from_overfetch(items, page, |item: &Item| item.id))
    }

    async fn create_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        let params: Params = &[&tenant.as_str(), &owner_sub, &name.as_str(), &self.now()];
        returned(self.scoped_rows(tenant, INSERT_ITEM, params, item).await?)
    }

    async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
        let params: Params = &[&tenant.as_str(), &id];
        returned(self.scoped_rows(tenant, GET_ITEM, params, item).await?)
    }

    async fn rename_item(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        let params: Params = &[&tenant.as_str(), &id, &name.as_str(), &self.now()];
        returned(self.scoped_rows(tenant, RENAME_ITEM, params, item).await?)
    }

    async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError> {
        let params: Params = &[&tenant.as_str(), &id];
        deleted(self.scoped_execute(tenant, DELETE_ITEM, params).await?)
    }
}

/// An `items` row as stored.
fn item(row: &Row) -> Result<Item, StoreError> {
    let tenant_id: &str = row.try_get("tenant_id")?;
    Ok(Item {
        id: row.try_get("id")?,
        tenant_id: TenantId::parse(tenant_id).map_err(|_| corrupt("tenant_id"))?,
        owner_sub: row.try_get("owner_sub")?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
