//! Sign-out that really signs out: tokens issued before a user's sign-out are refused.
//!
//! Cognito's GlobalSignOut revokes refresh tokens, but access and id tokens keep verifying by
//! signature until they expire. Each sign-out is stored in the database (shared by every
//! instance) and mirrored in memory here; the verifier consults the mirror on every request, so
//! the hot path has no database round trip. A poller keeps the mirror fresh (every second by
//! default), so other instances see a sign-out well within 5 seconds.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_verify::{CognitoClaims, RevocationCheck};

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
    /// sub → sign-out time (epoch seconds): tokens with `iat` before it are revoked.
    signed_out: RwLock<HashMap<String, i64>>,
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl SignOutRegistry {
    /// A registry over `store`, loaded with every record that can still matter.
    pub async fn load(store: Arc<dyn SignOutStore>) -> Result<Self, StoreError> {
        let registry = Self {
            inner: Arc::new(Inner {
                store,
                signed_out: RwLock::new(HashMap::new()),
            }),
        };
        registry
            .refresh_since(now_millis() / 1000 - MAX_TOKEN_LIFETIME_SECS)
            .await?;
        Ok(registry)
    }

    /// Records a sign-out of `sub` now. Token `iat` has one-second resolution, so the cut-off is
    /// the next whole second, and this waits until that second starts: every token issued
    /// before the call returns is covered, and every sign-in after it is not.
    pub async fn sign_out(&self, sub: &str) -> Result<(), StoreError> {
        let now = now_millis();
        let cutoff = now / 1000 + 1;
        self.inner
            .store
            .record_sign_out(sub, cutoff, cutoff + MAX_TOKEN_LIFETIME_SECS)
            .await?;
        self.remember(sub.to_owned(), cutoff);
        let wait = (cutoff * 1000 - now_millis()).max(0) as u64;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        Ok(())
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
                let now = now_millis() / 1000;
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
