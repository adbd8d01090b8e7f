//! Browser sessions of the Backend-for-Frontend: the [`SessionStore`] contract and its SQL (one
//! text for both backends, run by `sqlite/sessions.rs` and `postgres/sessions.rs`). Not tenant
//! data: a session is per person, across tenants, like a sign-out.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::session::StoredSession;

/// Sessions shared by every instance on the same database.
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Stores a new session.
    async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError>;
    /// The session stored under `id_hash`, if any.
    async fn session(&self, id_hash: &str) -> Result<Option<StoredSession>, StoreError>;
    /// Records a use of the session at `at`.
    async fn touch_session(&self, id_hash: &str, at: i64) -> Result<(), StoreError>;
    /// Takes the right to refresh the session at `version` until `until`, unless another
    /// caller holds it past `now`; whether it was taken.
    async fn claim_refresh(
        &self,
        id_hash: &str,
        version: i64,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError>;
    /// Stores refreshed tokens over `version` (bumping it, releasing the claim); `false` when
    /// the session changed or went meanwhile.
    async fn store_refresh(
        &self,
        id_hash: &str,
        version: i64,
        tokens: &str,
        access_expires_at: i64,
    ) -> Result<bool, StoreError>;
    /// Ends one session; whether it existed.
    async fn delete_session(&self, id_hash: &str) -> Result<bool, StoreError>;
    /// Ends every session of `sub`; how many there were.
    async fn delete_sessions_of(&self, sub: &str) -> Result<u64, StoreError>;
    /// Deletes sessions past their end (`expires_at` before `now`) or unused since before
    /// `idle_before`; how many.
    async fn purge_sessions(&self, now: i64, idle_before: i64) -> Result<u64, StoreError>;
}

/// The columns every session read returns, in the order the row mappers expect.
macro_rules! session_columns {
    () => {
        "id_hash, sub, email, tenant, tokens, access_expires_at, version, created_at, \
         last_seen_at, expires_at"
    };
}

pub(super) const CREATE_SESSION: &str = concat!(
    "INSERT INTO bff_sessions (",
    session_columns!(),
    ", refreshing_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)"
);
pub(super) const GET_SESSION: &str = concat!(
    "SELECT ",
    session_columns!(),
    " FROM bff_sessions WHERE id_hash = $1"
);
pub(super) const TOUCH_SESSION: &str =
    "UPDATE bff_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2";
pub(super) const CLAIM_REFRESH: &str = "UPDATE bff_sessions SET refreshing_until = $4 \
     WHERE id_hash = $1 AND version = $2 AND refreshing_until < $3";
pub(super) const STORE_REFRESH: &str = "UPDATE bff_sessions SET tokens = $3, \
     access_expires_at = $4, version = version + 1, refreshing_until = 0 \
     WHERE id_hash = $1 AND version = $2";
pub(super) const DELETE_SESSION: &str = "DELETE FROM bff_sessions WHERE id_hash = $1";
pub(super) const DELETE_SESSIONS_OF: &str = "DELETE FROM bff_sessions WHERE sub = $1";
pub(super) const PURGE_SESSIONS: &str =
    "DELETE FROM bff_sessions WHERE expires_at < $1 OR last_seen_at < $2";
