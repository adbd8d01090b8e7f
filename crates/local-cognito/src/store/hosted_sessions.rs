//! Hosted UI sign-in sessions: what the browser's session cookie stands for.

use super::{Store, StoreError};

/// A signed-in browser of one pool.
#[derive(Debug, Clone)]
pub(crate) struct HostedSession {
    pub(crate) pool_id: String,
    pub(crate) username: String,
    pub(crate) auth_time: i64,
    pub(crate) expires_at: i64,
}

impl Store {
    /// Stores a session under the hash of its cookie value.
    pub(crate) async fn insert_hosted_session(
        &self,
        hash: &str,
        session: &HostedSession,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO hosted_sessions (hash, pool_id, username, auth_time, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(hash)
        .bind(&session.pool_id)
        .bind(&session.username)
        .bind(session.auth_time)
        .bind(session.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session with this hash (expired ones are not returned).
    pub(crate) async fn hosted_session(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Option<HostedSession>, StoreError> {
        let row: Option<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT pool_id, username, auth_time, expires_at FROM hosted_sessions
             WHERE hash = ? AND expires_at >= ?",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map(|(pool_id, username, auth_time, expires_at)| HostedSession {
                pool_id,
                username,
                auth_time,
                expires_at,
            }),
        )
    }

    /// Ends a session (sign-out), sweeping expired ones.
    pub(crate) async fn delete_hosted_session(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM hosted_sessions WHERE hash = ? OR expires_at < ?")
            .bind(hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
