//! [`ItemStore`] on PostgreSQL: the shared item SQL (`store/items.rs`), each statement in its
//! tenant's scoped transaction, rows read through sqlx.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{corrupt, PgStore};
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
        let query = sqlx::query_as::<_, ItemRow>(LIST_ITEMS)
            .bind(tenant.as_str())
            .bind(page.after)
            .bind(page.fetch_limit());
        let items = self.scoped_rows(tenant, query).await?;
        Ok(Page::from_overfetch(items, page, |item: &Item| item.id))
    }

    async fn create_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(INSERT_ITEM)
            .bind(tenant.as_str())
            .bind(owner_sub)
            .bind(name.as_str())
            .bind(self.now());
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(GET_ITEM)
            .bind(tenant.as_str())
            .bind(id);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn rename_item(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        let query = sqlx::query_as::<_, ItemRow>(RENAME_ITEM)
            .bind(tenant.as_str())
            .bind(id)
            .bind(name.as_str())
            .bind(self.now());
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError> {
        let query = sqlx::query(DELETE_ITEM).bind(tenant.as_str()).bind(id);
        deleted(self.scoped_execute(tenant, query).await?)
    }
}

/// An `items` row as stored.
#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    tenant_id: String,
    owner_sub: String,
    name: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
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
