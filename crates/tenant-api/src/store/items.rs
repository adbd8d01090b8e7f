//! Items: the [`ItemStore`] contract and its SQL, one text for SQLite and PostgreSQL; every
//! statement filters on `tenant_id = $1`. Each backend runs it in its own `items.rs`
//! (`sqlite/items.rs`, `postgres/items.rs`), with its bindings and row mapping.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;

/// Items, shared by every user of a tenant.
#[async_trait]
pub trait ItemStore: Send + Sync + 'static {
    /// A page of the tenant's items, ordered by id.
    async fn list_items(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError>;
    /// Stores a new item.
    async fn create_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError>;
    /// One item of the tenant.
    async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError>;
    /// Renames an item of the tenant.
    async fn rename_item(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError>;
    /// Deletes an item of the tenant.
    async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError>;
}

pub(super) const LIST_ITEMS: &str =
    "SELECT id, tenant_id, owner_sub, name, created_at, updated_at \
     FROM items WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3";
pub(super) const INSERT_ITEM: &str =
    "INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $4) RETURNING id, tenant_id, owner_sub, name, created_at, updated_at";
pub(super) const GET_ITEM: &str = "SELECT id, tenant_id, owner_sub, name, created_at, updated_at \
     FROM items WHERE tenant_id = $1 AND id = $2";
pub(super) const RENAME_ITEM: &str = "UPDATE items SET name = $3, updated_at = $4 \
     WHERE tenant_id = $1 AND id = $2 \
     RETURNING id, tenant_id, owner_sub, name, created_at, updated_at";
pub(super) const DELETE_ITEM: &str = "DELETE FROM items WHERE tenant_id = $1 AND id = $2";
