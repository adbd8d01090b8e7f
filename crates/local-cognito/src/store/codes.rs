//! Authorization codes: opaque, stored hashed, single use, expiring after five minutes.

use super::{Store, StoreError};

/// What an authorization code was issued for.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizationCode {
    pub(crate) pool_id: String,
    pub(crate) client_id: String,
    pub(crate) username: String,
    pub(crate) redirect_uri: String,
    /// Granted scopes, space-separated.
    pub(crate) scopes: String,
    /// The S256 PKCE challenge, when one was sent.
    pub(crate) code_challenge: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) auth_time: i64,
    pub(crate) expires_at: i64,
}

type CodeRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

impl Store {
    /// Stores a code under the hash of its value.
    pub(crate) async fn insert_code(
        &self,
        hash: &str,
        code: &AuthorizationCode,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO authorization_codes (hash, pool_id, client_id, username, redirect_uri,
             scopes, code_challenge, nonce, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(hash)
        .bind(&code.pool_id)
        .bind(&code.client_id)
        .bind(&code.username)
        .bind(&code.redirect_uri)
        .bind(&code.scopes)
        .bind(&code.code_challenge)
        .bind(&code.nonce)
        .bind(code.auth_time)
        .bind(code.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes and returns the code: the first redeemer takes it, so it is single use even
    /// across processes (and a failed redemption burns it, as RFC 6749 §4.1.2 advises).
    /// Expired codes are swept on the way.
    pub(crate) async fn take_code(
        &self,
        hash: &str,
        now: i64,
    ) -> Result<Option<AuthorizationCode>, StoreError> {
        sqlx::query("DELETE FROM authorization_codes WHERE expires_at < ? AND hash <> ?")
            .bind(now)
            .bind(hash)
            .execute(&self.pool)
            .await?;
        let row: Option<CodeRow> = sqlx::query_as(
            "DELETE FROM authorization_codes WHERE hash = ? RETURNING pool_id, client_id, username,
             redirect_uri, scopes, code_challenge, nonce, auth_time, expires_at",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(
                pool_id,
                client_id,
                username,
                redirect_uri,
                scopes,
                code_challenge,
                nonce,
                auth_time,
                expires_at,
            )| {
                AuthorizationCode {
                    pool_id,
                    client_id,
                    username,
                    redirect_uri,
                    scopes,
                    code_challenge,
                    nonce,
                    auth_time,
                    expires_at,
                }
            },
        ))
    }
}
