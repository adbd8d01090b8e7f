//! Persisted user pools.

use super::{Store, StoreError};
use crate::domain::pool::{Pool, PoolSettings};

type PoolRow = (String, String, i64, i64, String);

fn from_row((id, name, created_at, modified_at, settings): PoolRow) -> Result<Pool, StoreError> {
    Ok(Pool {
        id,
        name,
        created_at,
        modified_at,
        settings: serde_json::from_str::<PoolSettings>(&settings)?,
    })
}

impl Store {
    /// Stores a new pool.
    pub(crate) async fn insert_pool(&self, pool: &Pool) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO pools (id, name, created_at, modified_at, settings) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(pool.created_at)
        .bind(pool.modified_at)
        .bind(serde_json::to_string(&pool.settings)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces a pool's settings; false when the pool does not exist.
    pub(crate) async fn update_pool_settings(
        &self,
        id: &str,
        settings: &PoolSettings,
        now: i64,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query("UPDATE pools SET settings = ?, modified_at = ? WHERE id = ?")
            .bind(serde_json::to_string(settings)?)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The pool with this id.
    pub(crate) async fn pool(&self, id: &str) -> Result<Option<Pool>, StoreError> {
        sqlx::query_as::<_, PoolRow>(
            "SELECT id, name, created_at, modified_at, settings FROM pools WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(from_row)
        .transpose()
    }

    /// Up to `limit` pools with ids after `after`, in id order.
    pub(crate) async fn list_pools(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Pool>, StoreError> {
        sqlx::query_as::<_, PoolRow>(
            "SELECT id, name, created_at, modified_at, settings FROM pools
             WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(from_row)
        .collect()
    }
}
