//! Sign-out that really signs out: tokens issued before a user's sign-out are refused.
//!
//! Cognito's GlobalSignOut revokes refresh tokens, but access and id tokens keep verifying by
//! signature until they expire. Each sign-out is stored in the database (shared by every
//! instance) and mirrored in memory here; the verifier consults the mirror on every request, so
//! the hot path has no database round trip. A poller keeps the mirror fresh (every second by
//! default), so other instances see a sign-out well within 5 seconds.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use cognito_verify::{CognitoClaims, RevocationCheck};

use crate::clock::{epoch_millis, Clock};
use crate::store::{SignOutStore, StoreError};

/// Longest lifetime Cognito allows for access and id tokens: after that a record covers nothing.
pub const MAX_TOKEN_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// In-memory view of recent sign-outs, backed by the database.
#[derive(Clone)]
pub struct SignOutRegistry {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn SignOutStore>,
    clock: Arc<dyn Clock>,
    /// sub → sign-out time (epoch seconds): tokens with `iat` before it are revoked.
    signed_out: RwLock<HashMap<String, i64>>,
}

impl SignOutRegistry {
    /// A registry over `store`, loaded with every record that can still matter at `clock`'s now.
    pub async fn load(
        store: Arc<dyn SignOutStore>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let registry = Self {
            inner: Arc::new(Inner {
                store,
                clock,
                signed_out: RwLock::new(HashMap::new()),
            }),
        };
        registry
            .refresh_since(registry.now_millis() / 1000 - MAX_TOKEN_LIFETIME_SECS)
            .await?;
        Ok(registry)
    }

    fn now_millis(&self) -> i64 {
        epoch_millis(&*self.inner.clock)
    }

    /// Records a sign-out of `sub` now. Token `iat` has one-second resolution, so the cut-off is
    /// the next whole second, and this waits until that second starts: every token issued
    /// before the call returns is covered, and every sign-in after it is not.
    pub async fn sign_out(&self, sub: &str) -> Result<(), StoreError> {
        let now = self.now_millis();
        let cutoff = now / 1000 + 1;
        self.inner
            .store
            .record_sign_out(sub, cutoff, cutoff + MAX_TOKEN_LIFETIME_SECS)
            .await?;
        self.remember(sub.to_owned(), cutoff);
        let wait = (cutoff * 1000 - self.now_millis()).max(0) as u64;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        Ok(())
    }

    /// Whether `sub` signed out after `since` (epoch seconds): anything of theirs begun at
    /// `since` (a browser session) is covered by that sign-out.
    pub fn signed_out_after(&self, sub: &str, since: i64) -> bool {
        self.inner
            .signed_out
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(sub)
            .is_some_and(|cutoff| *cutoff > since)
    }

    fn remember(&self, sub: String, at: i64) {
        let mut map = self
            .inner
            .signed_out
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = map.entry(sub).or_insert(at);
        *entry = (*entry).max(at);
    }

    async fn refresh_since(&self, since: i64) -> Result<(), StoreError> {
        for (sub, at) in self.inner.store.sign_outs_since(since).await? {
            self.remember(sub, at);
        }
        Ok(())
    }

    /// Polls the database every `interval` for sign-outs recorded by other instances, and
    /// forgets records that can no longer cover a valid token.
    pub fn spawn_poller(&self, interval: Duration) -> tokio::task::JoinHandle<()> {
        let registry = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut purged_at = 0;
            loop {
                ticker.tick().await;
                let now = registry.now_millis() / 1000;
                // A generous overlap absorbs clock skew between instances.
                if let Err(e) = registry.refresh_since(now - 120).await {
                    tracing::warn!(error = %e, "cannot refresh sign-outs");
                }
                if now - purged_at > 600 {
                    purged_at = now;
                    registry.forget_expired(now).await;
                }
            }
        })
    }

    async fn forget_expired(&self, now: i64) {
        if let Err(e) = self.inner.store.purge_sign_outs(now).await {
            tracing::warn!(error = %e, "cannot purge sign-outs");
        }
        let oldest_relevant = now - MAX_TOKEN_LIFETIME_SECS;
        self.inner
            .signed_out
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|_, at| *at >= oldest_relevant);
    }
}

impl RevocationCheck for SignOutRegistry {
    fn is_revoked(&self, claims: &CognitoClaims) -> bool {
        let map = self
            .inner
            .signed_out
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.get(claims.sub())
            .is_some_and(|&at| (claims.iat() as i64) < at)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::{SystemTime, UNIX_EPOCH};

    use async_trait::async_trait;

    use super::*;
    use crate::clock::ManualClock;

    /// Sign-out records in memory: (sub, signed_out_at, expires_at).
    #[derive(Default)]
    struct Records(Mutex<Vec<(String, i64, i64)>>);

    #[async_trait]
    impl SignOutStore for Records {
        async fn record_sign_out(
            &self,
            sub: &str,
            at: i64,
            expires: i64,
        ) -> Result<(), StoreError> {
            self.0.lock().unwrap().push((sub.to_owned(), at, expires));
            Ok(())
        }
        async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
            let records = self.0.lock().unwrap();
            Ok(records
                .iter()
                .filter(|(_, at, _)| *at >= since)
                .map(|(sub, at, _)| (sub.clone(), *at))
                .collect())
        }
        async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
            let mut records = self.0.lock().unwrap();
            let before = records.len();
            records.retain(|(_, _, expires)| *expires >= now);
            Ok((before - records.len()) as u64)
        }
    }

    fn signed_out_at(registry: &SignOutRegistry, sub: &str) -> Option<i64> {
        registry.inner.signed_out.read().unwrap().get(sub).copied()
    }

    #[tokio::test(start_paused = true)]
    async fn the_cut_off_is_the_next_second_of_the_clock_and_expires_after_the_longest_token() {
        // Arrange: a clock half-way through second 1,000,000.
        let start = UNIX_EPOCH + Duration::from_millis(1_000_000_500);
        let clock = ManualClock::new(start);
        let records = Arc::new(Records::default());
        let registry = SignOutRegistry::load(records.clone(), Arc::new(clock.clone()))
            .await
            .unwrap();

        // Act
        registry.sign_out("alice").await.unwrap();

        // Assert: tokens issued in second 1,000,000 are covered, the record lives a day longer.
        assert_eq!(signed_out_at(&registry, "alice"), Some(1_000_001));
        assert_eq!(
            records.0.lock().unwrap()[0],
            (
                "alice".to_owned(),
                1_000_001,
                1_000_001 + MAX_TOKEN_LIFETIME_SECS
            )
        );
        clock.advance(Duration::from_secs(MAX_TOKEN_LIFETIME_SECS as u64 + 2));
        registry
            .forget_expired(crate::clock::epoch_seconds(&clock))
            .await;
        assert_eq!(signed_out_at(&registry, "alice"), None);
        assert!(records.0.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn loading_skips_records_older_than_the_longest_token_at_the_clocks_now() {
        let now = 2_000_000;
        let records = Arc::new(Records::default());
        records
            .record_sign_out("old", now - MAX_TOKEN_LIFETIME_SECS - 1, now)
            .await
            .unwrap();
        records
            .record_sign_out("recent", now - 10, now)
            .await
            .unwrap();
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(now as u64));

        let registry = SignOutRegistry::load(records, Arc::new(clock))
            .await
            .unwrap();

        assert_eq!(signed_out_at(&registry, "old"), None);
        assert_eq!(signed_out_at(&registry, "recent"), Some(now - 10));
    }
}
