//! The JWKS cache: per issuer, the parsed keys by `kid`, refreshed on a TTL, refetched on an
//! unknown `kid` at most once per cool-down (the "penalty box"), one fetch in flight at a time,
//! last good keys served while the endpoint fails (up to a maximum age), no lock held across I/O
//! except the async single-flight mutex that only fetchers wait on.

mod fetch;
mod key;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) use fetch::Fetcher;
pub(crate) use key::VerifyingKey;

use crate::error::VerifyError;
use crate::metrics::{Metrics, PoolMetrics};

/// The time source, injectable for tests.
pub(crate) type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Milliseconds since the epoch by `clock` (0 for times before it).
pub(crate) fn now_ms(clock: &Clock) -> u64 {
    clock()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Timing policy shared by every issuer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Age after which keys are refreshed in the background.
    pub(crate) ttl: Duration,
    /// Minimum spacing between two fetches of one issuer's JWKS.
    pub(crate) cooldown: Duration,
    /// Age after which keys are no longer trusted if they cannot be refreshed.
    pub(crate) max_stale: Duration,
}

/// What every issuer's cache shares: HTTP client, clock, policy and counters.
pub(crate) struct JwksContext {
    pub(crate) fetcher: Fetcher,
    pub(crate) clock: Clock,
    pub(crate) policy: Policy,
    pub(crate) metrics: Arc<Metrics>,
}

/// One successful fetch's keys.
#[derive(Default)]
struct KeySet {
    keys: HashMap<String, Arc<VerifyingKey>>,
}

/// One issuer's keys and fetch state.
pub(crate) struct IssuerKeys {
    issuer: String,
    jwks_uri: String,
    /// Read only long enough to clone an `Arc`; replaced whole after a fetch.
    current: RwLock<Arc<KeySet>>,
    /// When `current` was fetched (ms since the epoch); 0 means never.
    fetched_at_ms: AtomicU64,
    /// When the last fetch attempt started (ms + 1, so that 0 means never).
    last_attempt_ms: AtomicU64,
    /// Counts fetch attempts; a waiter that sees it move knows someone else just fetched.
    attempts: AtomicU64,
    /// Single flight: only fetchers wait on this, never a request whose `kid` is known.
    fetch_lock: tokio::sync::Mutex<()>,
    /// Set while a lazily triggered refresh task exists, so a burst of requests that all notice
    /// the TTL has passed spawns one task, not one each.
    refresh_spawned: AtomicBool,
}

impl std::fmt::Debug for IssuerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKeys")
            .field("issuer", &self.issuer)
            .field("jwks_uri", &self.jwks_uri)
            .finish_non_exhaustive()
    }
}

impl IssuerKeys {
    pub(crate) fn new(issuer: String, jwks_uri: String) -> Self {
        Self {
            issuer,
            jwks_uri,
            current: RwLock::new(Arc::new(KeySet::default())),
            fetched_at_ms: AtomicU64::new(0),
            last_attempt_ms: AtomicU64::new(0),
            attempts: AtomicU64::new(0),
            fetch_lock: tokio::sync::Mutex::new(()),
            refresh_spawned: AtomicBool::new(false),
        }
    }

    /// The issuer these keys belong to.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    fn snapshot(&self) -> Arc<KeySet> {
        // A poisoned lock only means a panic elsewhere while holding it; the Arc inside is
        // always a complete key set, so keep serving it.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn lookup(&self, kid: &str) -> Option<Arc<VerifyingKey>> {
        let guard = self.current.read().unwrap_or_else(PoisonError::into_inner);
        guard.keys.get(kid).cloned()
    }

    /// Whether keys were loaded and are younger than the maximum stale age.
    pub(crate) fn is_fresh_enough(&self, now: u64, policy: &Policy) -> bool {
        let fetched = self.fetched_at_ms.load(Ordering::Acquire);
        fetched != 0 && now.saturating_sub(fetched) <= millis(policy.max_stale)
    }

    /// Whether the keys are due a TTL refresh and the cool-down allows one.
    fn refresh_due(&self, now: u64, policy: &Policy) -> bool {
        let fetched = self.fetched_at_ms.load(Ordering::Acquire);
        (fetched == 0 || now.saturating_sub(fetched) >= millis(policy.ttl))
            && self.cooldown_passed(now, policy)
    }

    fn cooldown_passed(&self, now: u64, policy: &Policy) -> bool {
        match self.last_attempt_ms.load(Ordering::Acquire) {
            0 => true,
            last => now.saturating_sub(last - 1) >= millis(policy.cooldown),
        }
    }

    pub(crate) fn metrics(&self, now: u64) -> PoolMetrics {
        let fetched = self.fetched_at_ms.load(Ordering::Acquire);
        PoolMetrics {
            issuer: self.issuer.clone(),
            keys: self.snapshot().keys.len(),
            key_age_secs: (fetched != 0).then(|| now.saturating_sub(fetched) / 1000),
        }
    }

    /// The key for `kid`, fetching the JWKS only when the `kid` is unknown (or the keys are too
    /// old) and the penalty box allows it.
    pub(crate) async fn key(
        self: &Arc<Self>,
        kid: &str,
        ctx: &Arc<JwksContext>,
    ) -> Result<Arc<VerifyingKey>, VerifyError> {
        let now = now_ms(&ctx.clock);
        if let Some(key) = self.lookup(kid) {
            if self.is_fresh_enough(now, &ctx.policy) {
                if self.refresh_due(now, &ctx.policy) {
                    self.spawn_refresh(ctx);
                }
                return Ok(key);
            }
        }
        self.refetch_if_allowed(now, ctx).await;
        let now = now_ms(&ctx.clock);
        if !self.is_fresh_enough(now, &ctx.policy) {
            return Err(VerifyError::KeysUnavailable);
        }
        self.lookup(kid).ok_or(VerifyError::UnknownKid)
    }

    /// Refreshes in a detached task so the request that noticed the TTL pass is not delayed.
    fn spawn_refresh(self: &Arc<Self>, ctx: &Arc<JwksContext>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.refresh_spawned.swap(true, Ordering::AcqRel) {
            return;
        }
        let (keys, ctx) = (Arc::clone(self), Arc::clone(ctx));
        runtime.spawn(async move {
            let now = now_ms(&ctx.clock);
            keys.refetch_if_allowed(now, &ctx).await;
            keys.refresh_spawned.store(false, Ordering::Release);
        });
    }

    /// The penalty box and single flight: fetch unless a fetch started within the cool-down, and
    /// if another caller is already fetching, wait for its result instead of fetching again.
    async fn refetch_if_allowed(&self, now: u64, ctx: &JwksContext) {
        if !self.cooldown_passed(now, &ctx.policy) {
            return;
        }
        let seen = self.attempts.load(Ordering::Acquire);
        let _flight = self.fetch_lock.lock().await;
        if self.attempts.load(Ordering::Acquire) != seen {
            return;
        }
        // Ignoring the outcome is right here: callers re-read the key set, which is either
        // refreshed or still the last good one.
        let _ = self.fetch_locked(ctx).await;
    }

    /// A fetch that ignores the cool-down (start-up hydration and the background TTL refresh);
    /// still single-flight.
    pub(crate) async fn refresh(&self, ctx: &JwksContext) -> Result<(), VerifyError> {
        let _flight = self.fetch_lock.lock().await;
        self.fetch_locked(ctx).await
    }

    /// The background task's step: refresh only if due (TTL passed or never loaded) and the
    /// cool-down allows it.
    pub(crate) async fn refresh_if_due(&self, ctx: &JwksContext) {
        let now = now_ms(&ctx.clock);
        if self.refresh_due(now, &ctx.policy) {
            self.refetch_if_allowed(now, ctx).await;
        }
    }

    /// Fetches and installs a key set. Must be called with `fetch_lock` held.
    async fn fetch_locked(&self, ctx: &JwksContext) -> Result<(), VerifyError> {
        self.attempts.fetch_add(1, Ordering::AcqRel);
        self.last_attempt_ms
            .store(now_ms(&ctx.clock).saturating_add(1), Ordering::Release);
        match ctx.fetcher.fetch(&self.jwks_uri).await {
            Ok(fresh) => {
                ctx.metrics.record_fetch(true);
                self.install(fresh, now_ms(&ctx.clock).max(1));
                Ok(())
            }
            Err(message) => {
                ctx.metrics.record_fetch(false);
                tracing::warn!(uri = %self.jwks_uri, %message, "JWKS fetch failed; keeping last good keys");
                Err(VerifyError::JwksFetch {
                    uri: self.jwks_uri.clone(),
                    message,
                })
            }
        }
    }

    /// Replaces the key set. Keys that are unchanged keep their identity (tokens cached with them
    /// stay valid); keys that vanished or changed are retired.
    fn install(&self, fresh: HashMap<String, VerifyingKey>, fetched_at: u64) {
        let old = self.snapshot();
        let mut keys = HashMap::with_capacity(fresh.len());
        for (kid, key) in fresh {
            let key = match old.keys.get(&kid) {
                Some(existing) if existing.same_material(&key) => Arc::clone(existing),
                _ => Arc::new(key),
            };
            keys.insert(kid, key);
        }
        for (kid, key) in &old.keys {
            if !keys.get(kid).is_some_and(|new| Arc::ptr_eq(new, key)) {
                key.retire();
            }
        }
        let next = Arc::new(KeySet { keys });
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = next;
        self.fetched_at_ms.store(fetched_at, Ordering::Release);
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
