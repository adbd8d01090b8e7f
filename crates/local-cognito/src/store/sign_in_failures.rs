//! Consecutive failed passwords per sign-in name, for the lockout; in SQLite, so every sign-in
//! path and every process sharing the data directory sees the same count.

use super::{Store, StoreError};
use crate::domain::lockout::{self, Failures};

impl Store {
    /// The failures recorded for `name` in `pool_id`, if any.
    pub(crate) async fn sign_in_failures(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<Option<Failures>, StoreError> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT failures, last_failed_at, locked_until FROM sign_in_failures \
             WHERE pool_id = ? AND name = ?",
        )
        .bind(pool_id)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(count, last_failed_at, locked_until)| Failures {
            count,
            last_failed_at,
            locked_until,
        }))
    }

    /// Counts one more failure for `name` (the first again after [`lockout::FORGET_AFTER_SECONDS`]
    /// without a failure since its lock, or its last failure, ended), locks it as
    /// [`lockout::lock_seconds`] says, and forgets names quiet for long enough.
    pub(crate) async fn record_sign_in_failure(
        &self,
        pool_id: &str,
        name: &str,
        now: i64,
    ) -> Result<Failures, StoreError> {
        let forgotten_before = now - lockout::FORGET_AFTER_SECONDS;
        // The first statement writes, so concurrent failures are counted one after the other.
        let mut tx = self.pool.begin().await?;
        let (count,): (i64,) = sqlx::query_as(
            "INSERT INTO sign_in_failures (pool_id, name, failures, last_failed_at, locked_until) \
             VALUES (?1, ?2, 1, ?3, 0) \
             ON CONFLICT (pool_id, name) DO UPDATE SET \
               failures = CASE WHEN locked_until <= ?4 THEN 1 ELSE failures + 1 END, \
               last_failed_at = ?3 \
             RETURNING failures",
        )
        .bind(pool_id)
        .bind(name)
        .bind(now)
        .bind(forgotten_before)
        .fetch_one(&mut *tx)
        .await?;
        let locked_until = now + lockout::lock_seconds(count);
        sqlx::query("UPDATE sign_in_failures SET locked_until = ? WHERE pool_id = ? AND name = ?")
            .bind(locked_until)
            .bind(pool_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        // Quiet since their lock (or last failure) ended: neither locked nor counted any more.
        sqlx::query("DELETE FROM sign_in_failures WHERE locked_until <= ?")
            .bind(forgotten_before)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Failures {
            count,
            last_failed_at: now,
            locked_until,
        })
    }

    /// Forgets `name`'s failures (after a successful sign-in).
    pub(crate) async fn clear_sign_in_failures(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE pool_id = ? AND name = ?")
            .bind(pool_id)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
