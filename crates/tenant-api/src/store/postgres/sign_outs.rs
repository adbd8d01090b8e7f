//! [`SignOutStore`] on PostgreSQL: the shared sign-out SQL (`store/sign_outs.rs`), outside any
//! tenant's scope (a sign-out is per user): each call is one prepared statement, one round trip.

use async_trait::async_trait;

use super::PgStore;
use crate::store::sign_outs::{PURGE_SIGN_OUTS, SIGN_OUTS_SINCE, UPSERT_SIGN_OUT};
use crate::store::{SignOutStore, StoreError};

#[async_trait]
impl SignOutStore for PgStore {
    async fn record_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError> {
        self.unscoped(UPSERT_SIGN_OUT, &[&sub, &at, &expires_at])
            .await
            .map(|_| ())
    }

    async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let done = self.unscoped(SIGN_OUTS_SINCE, &[&since]).await?;
        done.rows
            .iter()
            .map(|row| Ok((row.try_get("sub")?, row.try_get("signed_out_at")?)))
            .collect()
    }

    async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
        Ok(self.unscoped(PURGE_SIGN_OUTS, &[&now]).await?.affected)
    }
}
