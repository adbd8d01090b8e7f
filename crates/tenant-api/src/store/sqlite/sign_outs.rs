//! [`SignOutStore`] on SQLite: the shared sign-out SQL (`store/sign_outs.rs`).

use async_trait::async_trait;
use rusqlite::{named_params, params};

use super::rows::execute;
use super::SqliteStore;
use crate::store::sign_outs::{PURGE_SIGN_OUTS, SIGN_OUTS_SINCE, UPSERT_SIGN_OUT};
use crate::store::{SignOutStore, StoreError};

#[async_trait]
impl SignOutStore for SqliteStore {
    async fn record_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError> {
        let sub = sub.to_owned();
        self.write(move |c| {
            let params = named_params! {"$1": sub, "$2": at, "$3": expires_at};
            execute(c, UPSERT_SIGN_OUT, params).map(|_| ())
        })
        .await
    }

    async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(SIGN_OUTS_SINCE)?;
            let rows = statement.query_map(params![since], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        })
    }

    async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
        self.write(move |c| execute(c, PURGE_SIGN_OUTS, named_params! {"$1": now}))
            .await
    }
}
