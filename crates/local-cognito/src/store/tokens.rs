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
    /// Granted scopes, space-separated; `None` for API sign-ins (the admin scope only).
    pub(crate) scopes: Option<String>,
    /// The `origin_jti` of the first generation of a rotating refresh token.
    pub(crate) chain: Option<String>,
    /// When a newer generation replaced this refresh token.
    pub(crate) rotated_at: Option<i64>,
}

impl RefreshFamily {
    /// The first generation's `origin_jti`: what every generation of a rotating token shares.
    pub(crate) fn root(&self) -> &str {
        self.chain.as_deref().unwrap_or(&self.origin_jti)
    }
}

type FamilyRow = (
    String,
    String,
    String,
    String,
    i64,
    String,
    i64,
    bool,
    Option<String>,
    Option<String>,
    Option<i64>,
);

fn from_row(row: FamilyRow) -> RefreshFamily {
    let (
        origin_jti,
        pool_id,
        client_id,
        username,
        auth_time,
        event_id,
        expires_at,
        revoked,
        scopes,
        chain,
        rotated_at,
    ) = row;
    RefreshFamily {
        origin_jti,
        pool_id,
        client_id,
        username,
        auth_time,
        event_id,
        expires_at,
        revoked,
        scopes,
        chain,
        rotated_at,
    }
}

const COLUMNS: &str = "origin_jti, pool_id, client_id, username, auth_time, event_id, \
     expires_at, revoked, scopes, chain, rotated_at";

impl Store {
    /// Stores a new family under the hash of its refresh token.
    pub(crate) async fn insert_refresh(
        &self,
        token_hash: &str,
        family: &RefreshFamily,
    ) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO refresh_tokens ({COLUMNS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&family.origin_jti)
        .bind(&family.pool_id)
        .bind(&family.client_id)
        .bind(&family.username)
        .bind(family.auth_time)
        .bind(&family.event_id)
        .bind(family.expires_at)
        .bind(family.revoked)
        .bind(&family.scopes)
        .bind(&family.chain)
        .bind(family.rotated_at)
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

    /// Revokes one sign-in, every generation of it when its refresh token rotates
    /// (RevokeToken, `/oauth2/revoke`).
    pub(crate) async fn revoke_family(&self, family: &RefreshFamily) -> Result<(), StoreError> {
        let root = family.root();
        sqlx::query("UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ? OR chain = ?")
            .bind(root)
            .bind(root)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a refresh token as replaced by a newer generation, the first time only (its
    /// grace period runs from then).
    pub(crate) async fn mark_rotated(&self, origin_jti: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE refresh_tokens SET rotated_at = ? WHERE origin_jti = ? AND rotated_at IS NULL",
        )
        .bind(now)
        .bind(origin_jti)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
