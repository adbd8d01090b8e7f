//! Challenge sessions: opaque, stored hashed, expiring, single use.

use super::{Store, StoreError};

/// What a challenge session was issued for.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) pool_id: String,
    pub(crate) client_id: String,
    pub(crate) username: String,
    pub(crate) expires_at: i64,
}

impl Store {
    /// Stores a session under the hash of its opaque value.
    pub(crate) async fn insert_session(
        &self,
        hash: &str,
        session: &Session,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (hash, pool_id, client_id, username, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(hash)
        .bind(&session.pool_id)
        .bind(&session.client_id)
        .bind(&session.username)
        .bind(session.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes and returns the session: whoever takes it first uses it, so it is single use
    /// even across processes. Expired rows are swept on the way.
    pub(crate) async fn take_session(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Option<Session>, StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at < ? AND hash <> ?")
            .bind(now)
            .bind(hash)
            .execute(&self.pool)
            .await?;
        // `fetch_all`, not `fetch_optional`: a write must step to completion, or SQLite skips
        // its automatic WAL checkpoint (it runs only when a statement reaches SQLITE_DONE).
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "DELETE FROM sessions WHERE hash = ? RETURNING pool_id, client_id, username, expires_at",
        )
        .bind(hash)
        .fetch_all(&self.pool)
        .await?
        .pop();
        Ok(
            row.map(|(pool_id, client_id, username, expires_at)| Session {
                pool_id,
                client_id,
                username,
                expires_at,
            }),
        )
    }
}
