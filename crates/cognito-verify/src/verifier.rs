//! [`Verifier`]: the verification pipeline (size bound → token cache → header policy → issuer →
//! key → signature → claims → authorization → revocation) and its JWKS lifecycle (hydrate,
//! readiness, background refresh).

use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::builder::VerifierBuilder;
use crate::cache::{CachedToken, TokenCache, TokenDigest};
use crate::claims::CognitoClaims;
use crate::error::VerifyError;
use crate::hooks::{CustomCheck, RevocationCheck};
use crate::jwks::{now_ms, IssuerKeys, JwksContext};
use crate::metrics::MetricsSnapshot;
use crate::policy::ClaimPolicy;
use crate::token::{self, MAX_TOKEN_BYTES};

/// The shortest background refresh tick, so a tiny TTL in tests cannot spin.
const MIN_REFRESH_TICK: Duration = Duration::from_millis(50);

/// Verifies Cognito JWTs. Cheap to clone (an `Arc` inside); build one per application.
#[derive(Clone, Debug)]
pub struct Verifier {
    inner: Arc<Inner>,
}

/// Everything a verifier owns.
pub(crate) struct Inner {
    pub(crate) pools: Vec<Arc<IssuerKeys>>,
    pub(crate) ctx: Arc<JwksContext>,
    pub(crate) policy: ClaimPolicy,
    pub(crate) custom: Option<CustomCheck>,
    pub(crate) revocation: Option<Arc<dyn RevocationCheck>>,
    pub(crate) cache: Option<TokenCache>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("pools", &self.pools)
            .field("policy", &self.policy)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Starts a configuration.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Fetches every pool's JWKS now (concurrently), ignoring the cool-down. Call it at start-up
    /// so the first requests do not wait for keys. Returns the first failure, after all pools
    /// were tried.
    pub async fn hydrate(&self) -> Result<(), VerifyError> {
        let mut fetches = tokio::task::JoinSet::new();
        for pool in &self.inner.pools {
            let (pool, ctx) = (Arc::clone(pool), Arc::clone(&self.inner.ctx));
            fetches.spawn(async move { pool.refresh(&ctx).await });
        }
        let mut first_error = None;
        while let Some(joined) = fetches.join_next().await {
            let outcome = joined.unwrap_or_else(|e| {
                Err(VerifyError::JwksFetch {
                    uri: String::new(),
                    message: format!("fetch task failed: {e}"),
                })
            });
            if let Err(e) = outcome {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Whether every pool has keys that may still be used (loaded, and not older than the
    /// maximum stale age). Wire it to the readiness probe.
    pub fn is_ready(&self) -> bool {
        let now = now_ms(&self.inner.ctx.clock);
        self.inner
            .pools
            .iter()
            .all(|pool| pool.is_fresh_enough(now, &self.inner.ctx.policy))
    }

    /// Verifies `token` (the compact JWS, without a `Bearer ` prefix) and returns its claims.
    pub async fn verify(&self, token: &str) -> Result<Arc<CognitoClaims>, VerifyError> {
        let outcome = self.inner.verify(token).await;
        self.inner.ctx.metrics.record_outcome(&outcome);
        if let Err(error) = &outcome {
            tracing::debug!(reason = error.reason(), %error, "token refused");
        }
        outcome
    }

    /// Starts the background refresh: every pool's keys are refetched once they are older than
    /// the TTL (and retried no more often than the cool-down while the endpoint fails). The task
    /// ends by itself when the last clone of the verifier is dropped; abort the handle to stop
    /// it sooner.
    pub fn spawn_refresh(&self) -> tokio::task::JoinHandle<()> {
        let policy = self.inner.ctx.policy;
        let tick = policy.ttl.min(policy.cooldown).max(MIN_REFRESH_TICK);
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(tick);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                let Some(inner) = weak.upgrade() else {
                    return;
                };
                for pool in &inner.pools {
                    pool.refresh_if_due(&inner.ctx).await;
                }
            }
        })
    }

    /// A copy of the counters, with each pool's key count and age.
    pub fn metrics(&self) -> MetricsSnapshot {
        let now = now_ms(&self.inner.ctx.clock);
        let pools = self.inner.pools.iter().map(|p| p.metrics(now)).collect();
        self.inner.ctx.metrics.snapshot(pools)
    }
}

impl Inner {
    async fn verify(&self, token: &str) -> Result<Arc<CognitoClaims>, VerifyError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TokenTooLarge {
                max: MAX_TOKEN_BYTES,
            });
        }
        let now_ms = now_ms(&self.ctx.clock);
        let now = now_ms / 1000;
        let digest = match &self.cache {
            Some(cache) => {
                let digest = cache.digest(token);
                if let Some(entry) = cache.get(&digest, token) {
                    if let Some(outcome) = self.serve_cached(cache, &digest, &entry, now_ms) {
                        return outcome;
                    }
                }
                Some(digest)
            }
            None => None,
        };

        let parsed = token::parse(token)?;
        let pool = self.pool_for(&parsed.claims)?;
        let key = pool.key(&parsed.kid, &self.ctx).await?;
        if !key.verify(parsed.signing_input.as_bytes(), &parsed.signature) {
            return Err(VerifyError::InvalidSignature);
        }
        self.policy.check_token_use(&parsed.claims)?;
        let claims = CognitoClaims::from_claims(self.policy.token_use, parsed.claims)?;
        self.policy.check_client(&claims)?;
        self.policy.check_times(&claims, now)?;
        self.policy.check_authorization(&claims)?;
        if let Some(check) = &self.custom {
            check(&claims).map_err(|r| VerifyError::CustomCheck {
                kind: r.kind,
                message: r.message,
            })?;
        }
        let claims = Arc::new(claims);
        self.check_revocation(&claims)?;
        if let (Some(cache), Some(digest)) = (&self.cache, digest) {
            let valid_until_ms = claims
                .exp()
                .saturating_add(self.policy.leeway_secs)
                .saturating_mul(1000);
            cache.insert(
                digest,
                CachedToken {
                    token: token.into(),
                    claims: Arc::clone(&claims),
                    key,
                    issuer: Arc::clone(pool),
                    lifetime: Duration::from_millis(valid_until_ms.saturating_sub(now_ms)),
                },
            );
        }
        Ok(claims)
    }

    /// A cache hit still re-checks what can change after caching: expiry by the injected clock,
    /// the key's presence in the JWKS, the key set's age, and revocation. `None` means the
    /// entry is void and the token goes through full verification.
    fn serve_cached(
        &self,
        cache: &TokenCache,
        digest: &TokenDigest,
        entry: &CachedToken,
        now_ms: u64,
    ) -> Option<Result<Arc<CognitoClaims>, VerifyError>> {
        if entry.key.is_retired() || !entry.issuer.is_fresh_enough(now_ms, &self.ctx.policy) {
            cache.remove(digest);
            return None;
        }
        if let Err(e) = self
            .policy
            .check_not_expired(entry.claims.exp(), now_ms / 1000)
        {
            cache.remove(digest);
            return Some(Err(e));
        }
        if let Err(e) = self.check_revocation(&entry.claims) {
            return Some(Err(e));
        }
        self.ctx.metrics.record_cache_hit();
        Some(Ok(Arc::clone(&entry.claims)))
    }

    /// The pool whose issuer equals `iss` exactly (no normalisation: a trailing slash or a
    /// different case is another issuer).
    fn pool_for(&self, claims: &crate::claims::Claims) -> Result<&Arc<IssuerKeys>, VerifyError> {
        let iss = match claims.get("iss") {
            None => return Err(VerifyError::MissingClaim("iss")),
            Some(serde_json::Value::String(iss)) => iss,
            Some(_) => return Err(VerifyError::InvalidClaim("iss")),
        };
        self.pools
            .iter()
            .find(|pool| pool.issuer() == iss)
            .ok_or(VerifyError::IssuerMismatch)
    }

    fn check_revocation(&self, claims: &CognitoClaims) -> Result<(), VerifyError> {
        match &self.revocation {
            Some(hook) if hook.is_revoked(claims) => Err(VerifyError::Revoked),
            _ => Ok(()),
        }
    }
}
