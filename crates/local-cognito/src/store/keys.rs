//! Persisted signing keys.

use super::{Store, StoreError};

impl Store {
    /// The stored PKCS#8 key for `purpose`; if none, stores `generate()`'s. When two processes
    /// race, `INSERT OR IGNORE` keeps the first key and both read it back.
    pub(crate) async fn signing_key<E>(
        &self,
        purpose: &str,
        now: i64,
        generate: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Result<Vec<u8>, E>, StoreError> {
        if let Some(der) = self.read_key(purpose).await? {
            return Ok(Ok(der));
        }
        let der = match generate() {
            Ok(der) => der,
            Err(error) => return Ok(Err(error)),
        };
        sqlx::query(
            "INSERT OR IGNORE INTO signing_keys (purpose, pkcs8, created_at) VALUES (?, ?, ?)",
        )
        .bind(purpose)
        .bind(&der)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(Ok(self.read_key(purpose).await?.unwrap_or(der)))
    }

    async fn read_key(&self, purpose: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT pkcs8 FROM signing_keys WHERE purpose = ?")
                .bind(purpose)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
