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
        insert(&self.pool, token_hash, family).await
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
        revoke_chain(&self.pool, family.root()).await
    }

    /// Redeems the rotating refresh token of generation `origin_jti`: one transaction that
    /// swaps it out (`rotated_at` set only if still unset, the compare-and-swap) and stores
    /// `next` (the new generation, under `next_hash`) as the family's one current generation.
    /// When the swap finds the token already rotated out, `judge` (given when) decides:
    /// advance the family's current generation instead, refuse, or revoke the family.
    pub(crate) async fn rotate_refresh(
        &self,
        origin_jti: &str,
        next_hash: &str,
        next: &RefreshFamily,
        now: i64,
        judge: impl FnOnce(i64) -> Replay,
    ) -> Result<Rotation, StoreError> {
        let root = next.root();
        // The first statement writes, so the transaction holds SQLite's write lock from the
        // start: no other redemption can interleave between the swap and the insert.
        let mut tx = self.pool.begin().await?;
        let swapped = sqlx::query(
            "UPDATE refresh_tokens SET rotated_at = ? \
             WHERE origin_jti = ? AND rotated_at IS NULL AND revoked = 0",
        )
        .bind(now)
        .bind(origin_jti)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if swapped == 1 {
            insert(&mut *tx, next_hash, next).await?;
            tx.commit().await?;
            return Ok(Rotation::Rotated);
        }
        let state: Option<(bool, Option<i64>)> =
            sqlx::query_as("SELECT revoked, rotated_at FROM refresh_tokens WHERE origin_jti = ?")
                .bind(origin_jti)
                .fetch_optional(&mut *tx)
                .await?;
        let rotated_at = match state {
            Some((false, Some(rotated_at))) => rotated_at,
            Some((true, _)) => return Ok(Rotation::Revoked),
            _ => return Ok(Rotation::Refused),
        };
        match judge(rotated_at) {
            Replay::Advance => {
                let advanced = sqlx::query(
                    "UPDATE refresh_tokens SET rotated_at = ? \
                     WHERE (origin_jti = ? OR chain = ?) AND rotated_at IS NULL AND revoked = 0",
                )
                .bind(now)
                .bind(root)
                .bind(root)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if advanced != 1 {
                    return Ok(Rotation::Refused);
                }
                insert(&mut *tx, next_hash, next).await?;
                tx.commit().await?;
                Ok(Rotation::Rotated)
            }
            Replay::Refuse => Ok(Rotation::Refused),
            Replay::RevokeFamily => {
                revoke_chain(&mut *tx, root).await?;
                tx.commit().await?;
                Ok(Rotation::FamilyRevoked)
            }
        }
    }
}

/// What to do when a rotating refresh token is presented again after it was rotated out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Inside the grace period: the family's current generation is rotated out in favour of
    /// the new one (the family moves on; it never forks).
    Advance,
    /// Refuse, leaving the family alone.
    Refuse,
    /// Reuse after the grace period: revoke every generation (RFC 9700 §4.14.2).
    RevokeFamily,
}

/// What [`Store::rotate_refresh`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rotation {
    /// The new generation is stored and is now the family's only current one.
    Rotated,
    /// Refused: the token was revoked.
    Revoked,
    /// Refused: rotated out (or unknown); the family is untouched.
    Refused,
    /// Refused, and every generation of the family is now revoked.
    FamilyRevoked,
}

async fn insert<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
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
    .execute(executor)
    .await?;
    Ok(())
}

/// Revokes every generation whose chain starts at `root`.
async fn revoke_chain<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    root: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ? OR chain = ?")
        .bind(root)
        .bind(root)
        .execute(executor)
        .await?;
    Ok(())
}
