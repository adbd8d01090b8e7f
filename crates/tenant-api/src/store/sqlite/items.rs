//! [`ItemStore`] on SQLite: the shared item SQL (`store/items.rs`), reads in place, writes on the
//! writer thread, rows mapped straight into [`Item`]s.
//!
//! Every statement selects by `tenant_id = $1`, so each row's tenant is the caller's: it is
//! taken from the request instead of being parsed again per row.

use async_trait::async_trait;
use rusqlite::{named_params, params, OptionalExtension, Row};

use super::rows::{execute, returning, timestamp};
use super::SqliteStore;
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::store::items::{DELETE_ITEM, GET_ITEM, INSERT_ITEM, LIST_ITEMS, RENAME_ITEM};
use crate::store::{deleted, ItemStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl ItemStore for SqliteStore {
    async fn list_items(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError> {
        let rows = self.read(|conn| {
            let mut statement = conn.prepare_cached(LIST_ITEMS)?;
            let rows = statement.query_map(
                params![tenant.as_str(), page.after, page.fetch_limit()],
                |row| item_from(row, tenant),
            )?;
            rows.collect()
        })?;
        Ok(Page::from_overfetch(rows, page, |item| item.id))
    }

    async fn create_item(
        &self,
        tenant: &ScopedTenant,
        owner_sub: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        let (tenant, owner_sub, name, at) = (
            tenant.clone(),
            owner_sub.to_owned(),
            name.as_str().to_owned(),
            self.stamp()?,
        );
        self.write(move |c| {
            let params =
                named_params! {"$1": tenant.as_str(), "$2": owner_sub, "$3": name, "$4": at};
            returning(c, INSERT_ITEM, params, |row| item_from(row, &tenant))
        })
        .await
    }

    async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(GET_ITEM)?
                .query_row(params![tenant.as_str(), id], |row| item_from(row, tenant))
                .optional()
        })?
        .ok_or(StoreError::NotFound)
    }

    async fn rename_item(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        let (tenant, name, at) = (tenant.clone(), name.as_str().to_owned(), self.stamp()?);
        self.write(move |c| {
            let params = named_params! {"$1": tenant.as_str(), "$2": id, "$3": name, "$4": at};
            returning(c, RENAME_ITEM, params, |row| item_from(row, &tenant))
        })
        .await
    }

    async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        let rows = self
            .write(move |c| {
                execute(
                    c,
                    DELETE_ITEM,
                    named_params! {"$1": tenant.as_str(), "$2": id},
                )
            })
            .await?;
        deleted(rows)
    }
}

/// Columns: id, tenant_id, owner_sub, name, created_at, updated_at.
fn item_from(row: &Row<'_>, tenant: &ScopedTenant) -> rusqlite::Result<Item> {
    Ok(Item {
        id: row.get(0)?,
        tenant_id: tenant.id().clone(),
        owner_sub: row.get(2)?,
        name: row.get(3)?,
        created_at: timestamp(row, 4)?,
        updated_at: timestamp(row, 5)?,
    })
}
