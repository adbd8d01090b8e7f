//! Hosted UI domain prefixes, one per pool.

use super::{Store, StoreError};

impl Store {
    /// Stores `domain` for `pool_id`; false when the name or the pool already has one.
    pub(crate) async fn insert_domain(
        &self,
        domain: &str,
        pool_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO domains (domain, pool_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(domain)
        .bind(pool_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The pool that owns `domain`.
    pub(crate) async fn domain_pool(&self, domain: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT pool_id FROM domains WHERE domain = ?")
            .bind(domain)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(pool_id,)| pool_id))
    }

    /// The domain of a pool, if it has one.
    pub(crate) async fn pool_domain(&self, pool_id: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT domain FROM domains WHERE pool_id = ?")
            .bind(pool_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(domain,)| domain))
    }

    /// Deletes `domain` of `pool_id`; false when there was no such domain.
    pub(crate) async fn delete_domain(
        &self,
        domain: &str,
        pool_id: &str,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM domains WHERE domain = ? AND pool_id = ?")
            .bind(domain)
            .bind(pool_id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}
