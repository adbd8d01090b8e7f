//! Refresh token families: one row per sign-in, keyed by the `origin_jti` its tokens share.

use super::{Store, StoreError};

/// A sign-in's refresh token record.
#[derive(Debug, Clone)]
pub(crate) struct RefreshFamily {
    pub(crate) origin_jti: String,
    pub(crate) pool_id: String,
    pub(crate) client_id: String,
    pub(crate) username: String,
    pub(crate) auth_time: i64,
    pub(crate) event_id: String,
    pub(crate) expires_at: i64,
    pub(crate) revoked: bool,
}

type FamilyRow = (String, String, String, String, i64, String, i64, bool);

fn from_row(row: FamilyRow) -> RefreshFamily {
    let (origin_jti, pool_id, client_id, username, auth_time, event_id, expires_at, revoked) = row;
    RefreshFamily {
        origin_jti,
        pool_id,
        client_id,
        username,
        auth_time,
        event_id,
        expires_at,
        revoked,
    }
}

const COLUMNS: &str =
    "origin_jti, pool_id, client_id, username, auth_time, event_id, expires_at, revoked";

impl Store {
    /// Stores a new family under the hash of its refresh token.
    pub(crate) async fn insert_refresh(
        &self,
        token_hash: &str,
        family: &RefreshFamily,
    ) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO refresh_tokens ({COLUMNS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&family.origin_jti)
        .bind(&family.pool_id)
        .bind(&family.client_id)
        .bind(&family.username)
        .bind(family.auth_time)
        .bind(&family.event_id)
        .bind(family.expires_at)
        .bind(family.revoked)
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The family whose refresh token hashes to `token_hash`.
    pub(crate) async fn refresh_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshFamily>, StoreError> {
        Ok(sqlx::query_as::<_, FamilyRow>(&format!(
            "SELECT {COLUMNS} FROM refresh_tokens WHERE token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .map(from_row))
    }

    /// The family an access token belongs to.
    pub(crate) async fn refresh_by_origin(
        &self,
        origin_jti: &str,
    ) -> Result<Option<RefreshFamily>, StoreError> {
        Ok(sqlx::query_as::<_, FamilyRow>(&format!(
            "SELECT {COLUMNS} FROM refresh_tokens WHERE origin_jti = ?"
        ))
        .bind(origin_jti)
        .fetch_optional(&self.pool)
        .await?
        .map(from_row))
    }

    /// Revokes every family of the user, on every client (global sign-out).
    pub(crate) async fn revoke_user_tokens(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username = ?")
            .bind(pool_id)
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Revokes one family (RevokeToken).
    pub(crate) async fn revoke_family(&self, origin_jti: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ?")
            .bind(origin_jti)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
