//! [`SessionStore`] on PostgreSQL: the shared session SQL (`store/sessions.rs`), outside any
//! tenant's scope (a session is per person): each call is one prepared statement, one round
//! trip. The refresh claim and store are single-row compare-and-swaps, so two instances never
//! both refresh one session.

use super::wire::Row;
use async_trait::async_trait;

use super::PgStore;
use crate::domain::session::StoredSession;
use crate::store::sessions::{
    CLAIM_REFRESH, CREATE_SESSION, DELETE_SESSION, DELETE_SESSIONS_OF, GET_SESSION, PURGE_SESSIONS,
    STORE_REFRESH, TOUCH_SESSION,
};
use crate::store::{SessionStore, StoreError};

#[async_trait]
impl SessionStore for PgStore {
    async fn create_session(&self, s: &StoredSession) -> Result<(), StoreError> {
        self.unscoped(
            CREATE_SESSION,
            &[
                &s.id_hash,
                &s.sub,
                &s.email,
                &s.tenant,
                &s.tokens,
                &s.access_expires_at,
                &s.version,
                &s.created_at,
                &s.last_seen_at,
                &s.expires_at,
            ],
        )
        .await
        .map(drop)
    }

    async fn session(&self, id_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        let done = self.unscoped(GET_SESSION, &[&id_hash]).await?;
        done.rows.first().map(session).transpose()
    }

    async fn touch_session(&self, id_hash: &str, at: i64) -> Result<(), StoreError> {
        self.unscoped(TOUCH_SESSION, &[&id_hash, &at])
            .await
            .map(drop)
    }

    async fn claim_refresh(
        &self,
        id_hash: &str,
        version: i64,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let done = self
            .unscoped(CLAIM_REFRESH, &[&id_hash, &version, &now, &until])
            .await?;
        Ok(done.affected == 1)
    }

    async fn store_refresh(
        &self,
        id_hash: &str,
        version: i64,
        tokens: &str,
        access_expires_at: i64,
    ) -> Result<bool, StoreError> {
        let done = self
            .unscoped(
                STORE_REFRESH,
                &[&id_hash, &version, &tokens, &access_expires_at],
            )
            .await?;
        Ok(done.affected == 1)
    }

    async fn delete_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        Ok(self.unscoped(DELETE_SESSION, &[&id_hash]).await?.affected == 1)
    }

    async fn delete_sessions_of(&self, sub: &str) -> Result<u64, StoreError> {
        Ok(self.unscoped(DELETE_SESSIONS_OF, &[&sub]).await?.affected)
    }

    async fn purge_sessions(&self, now: i64, idle_before: i64) -> Result<u64, StoreError> {
        Ok(self
            .unscoped(PURGE_SESSIONS, &[&now, &idle_before])
            .await?
            .affected)
    }
}

fn session(row: &Row) -> Result<StoredSession, StoreError> {
    Ok(StoredSession {
        id_hash: row.try_get("id_hash")?,
        sub: row.try_get("sub")?,
        email: row.try_get("email")?,
        tenant: row.try_get("tenant")?,
        tokens: row.try_get("tokens")?,
        access_expires_at: row.try_get("access_expires_at")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}
