//! Sign-out records: the [`SignOutStore`] contract and its SQL (one text for both backends, run
//! by `sqlite/sign_outs.rs` and `postgres/sign_outs.rs`). Not tenant data: a sign-out is per
//! user, across tenants.

use async_trait::async_trait;

use super::StoreError;

/// Per-user sign-out times, shared by every instance on the same database.
#[async_trait]
pub trait SignOutStore: Send + Sync + 'static {
    /// Records that `sub` signed out at `at` (epoch seconds); the record may be dropped after
    /// `expires_at`, when no token it covers can still be valid.
    async fn record_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError>;
    /// Sign-outs recorded at or after `since`, as `(sub, signed_out_at)`.
    async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError>;
    /// Deletes records whose `expires_at` is before `now`.
    async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError>;
}

pub(super) const UPSERT_SIGN_OUT: &str = "INSERT INTO sign_outs (sub, signed_out_at, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (sub) DO UPDATE SET signed_out_at = excluded.signed_out_at, expires_at = excluded.expires_at";
pub(super) const SIGN_OUTS_SINCE: &str =
    "SELECT sub, signed_out_at FROM sign_outs WHERE signed_out_at >= $1";
pub(super) const PURGE_SIGN_OUTS: &str = "DELETE FROM sign_outs WHERE expires_at < $1";
