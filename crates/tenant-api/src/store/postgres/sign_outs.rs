//! [`SignOutStore`] on PostgreSQL: the shared sign-out SQL (`store/sign_outs.rs`), outside any
//! tenant's scope (a sign-out is per user).

use async_trait::async_trait;

use super::PgStore;
use crate::store::sign_outs::{PURGE_SIGN_OUTS, SIGN_OUTS_SINCE, UPSERT_SIGN_OUT};
use crate::store::{SignOutStore, StoreError};

#[async_trait]
impl SignOutStore for PgStore {
    async fn record_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError> {
        let query = sqlx::query(UPSERT_SIGN_OUT)
            .bind(sub)
            .bind(at)
            .bind(expires_at);
        self.unscoped(query.execute(&self.pool)).await.map(|_| ())
    }

    async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let query = sqlx::query_as(SIGN_OUTS_SINCE).bind(since);
        self.unscoped(query.fetch_all(&self.pool)).await
    }

    async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
        let query = sqlx::query(PURGE_SIGN_OUTS).bind(now);
        let done = self.unscoped(query.execute(&self.pool)).await?;
        Ok(done.rows_affected())
    }
}
