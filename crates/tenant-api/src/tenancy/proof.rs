//! The user's tenant attribute read through Cognito (GetUser or AdminGetUser), cached per token
//! until it expires.

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::hash::BuildHasher;

use async_trait::async_trait;
use cognito_verify::CognitoClaims;

use moka::future::Cache;
use moka::Expiry;

use crate::clock::{epoch_seconds, Clock};
use crate::cognito::CognitoError;

/// What a user's attributes say about their tenant: their home tenant, and their email (which
/// access tokens do not carry, and a home membership row records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserTenant {
    /// The tenant attribute (`custom:tenant_id`), if set.
    pub tenant: Option<String>,
    /// The `email` attribute, if set.
    pub email: Option<String>,
}

/// Reads a user's tenant attribute for their verified access token.
#[async_trait]
pub trait TenantAttributeSource: Send + Sync + 'static {
    /// The tenant attribute (and email) of the bearer of `access_token`, whose verified claims
    /// are `claims`.
    async fn tenant_attribute(
        &self,
        access_token: &str,
        claims: &CognitoClaims,
    ) -> Result<UserTenant, CognitoError>;
}

#[derive(Clone)]
struct Proof {
    /// The token this proof was read for: the cache key is only a hash, so it is compared.
    token: Arc<str>,
    user: UserTenant,
    /// Token expiry, epoch seconds.
    exp: u64,
}

/// Evicts a proof when its token expires, by the injected clock.
struct UntilTokenExpiry(Arc<dyn Clock>);

impl Expiry<u64, Proof> for UntilTokenExpiry {
    fn expire_after_create(&self, _: &u64, proof: &Proof, _: Instant) -> Option<Duration> {
        let now = u64::try_from(epoch_seconds(&*self.0)).unwrap_or(0);
        Some(Duration::from_secs(proof.exp.saturating_sub(now)))
    }
}

/// Cached tenant proofs (the source is `user_source.rs`: GetUser or AdminGetUser): at most one
/// Cognito call per token, however many requests it makes.
#[derive(Clone)]
pub struct TenantProofs {
    source: Arc<dyn TenantAttributeSource>,
    cache: Cache<u64, Proof>,
    hasher: foldhash::quality::RandomState,
    clock: Arc<dyn Clock>,
}

impl TenantProofs {
    /// Proofs read from any source, kept until their token expires by `clock`.
    pub fn new(source: Arc<dyn TenantAttributeSource>, clock: Arc<dyn Clock>) -> Self {
        Self {
            source,
            cache: Cache::builder()
                .max_capacity(100_000)
                .expire_after(UntilTokenExpiry(clock.clone()))
                .build(),
            hasher: foldhash::quality::RandomState::default(),
            clock,
        }
    }

    /// The tenant attribute for `access_token` (verified, with `claims`), from cache or
    /// Cognito. Concurrent first requests of one token share a single call; failures are not
    /// cached; a proof stands until the token expires.
    pub async fn tenant_of(
        &self,
        access_token: &str,
        claims: &CognitoClaims,
    ) -> Result<UserTenant, Arc<CognitoError>> {
        let exp = claims.exp();
        let key = self.hasher.hash_one(access_token.as_bytes());
        let source = self.source.clone();
        let proof = self
            .cache
            .try_get_with(key, async move {
                let user = source.tenant_attribute(access_token, claims).await?;
                Ok::<_, CognitoError>(Proof {
                    token: Arc::from(access_token),
                    user,
                    exp,
                })
            })
            .await?;
        // The cache evicts on its own timer; the clock decides whether a proof still stands.
        let live = u64::try_from(epoch_seconds(&*self.clock)).is_ok_and(|now| now < proof.exp);
        if *proof.token == *access_token && live {
            return Ok(proof.user);
        }
        if !live {
            self.cache.invalidate(&key).await;
        }
        // Another token hashed to the same key, or the proof outlived its token: ask Cognito
        // rather than trust it.
        Ok(self.source.tenant_attribute(access_token, claims).await?)
    }

    /// Forgets every cached proof (after a user changes tenant, say).
    pub fn invalidate_all(&self) {
        self.cache.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use std::time::UNIX_EPOCH;

    use super::*;
    use crate::clock::ManualClock;

    /// Answers `tenant-<token>`, failing the first `fail_first` calls; counts calls.
    struct Counting {
        calls: AtomicUsize,
        fail_first: usize,
    }

    #[async_trait]
    impl TenantAttributeSource for Counting {
        async fn tenant_attribute(
            &self,
            token: &str,
            _: &CognitoClaims,
        ) -> Result<UserTenant, CognitoError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.fail_first {
                return Err(CognitoError::Unavailable);
            }
            Ok(UserTenant {
                tenant: Some(format!("tenant-{token}")),
                email: None,
            })
        }
    }

    /// The clock every test starts from, and a token expiry an hour after it.
    const NOW: u64 = 1_700_000_000;

    fn clock() -> ManualClock {
        ManualClock::new(UNIX_EPOCH + Duration::from_secs(NOW))
    }

    /// The verified claims of an access token expiring at `exp`.
    fn expiring(exp: u64) -> CognitoClaims {
        let payload = format!(
            r#"{{"sub":"s","iss":"i","client_id":"c","token_use":"access","iat":1,"exp":{exp}}}"#
        );
        CognitoClaims::from_verified_payload(cognito_verify::TokenUse::Access, payload.as_bytes())
            .unwrap()
    }

    fn far_future() -> CognitoClaims {
        expiring(NOW + 3600)
    }

    fn counting(fail_first: usize) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicUsize::new(0),
            fail_first,
        })
    }

    #[tokio::test]
    async fn one_lookup_per_token_and_each_token_gets_its_own_answer() {
        let source = counting(0);
        let proofs = TenantProofs::new(source.clone(), Arc::new(clock()));
        for _ in 0..3 {
            assert_eq!(
                proofs
                    .tenant_of("a", &far_future())
                    .await
                    .unwrap()
                    .tenant
                    .as_deref(),
                Some("tenant-a")
            );
        }
        assert_eq!(
            proofs
                .tenant_of("b", &far_future())
                .await
                .unwrap()
                .tenant
                .as_deref(),
            Some("tenant-b")
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failures_are_not_cached() {
        let source = counting(1);
        let proofs = TenantProofs::new(source.clone(), Arc::new(clock()));
        assert!(proofs.tenant_of("a", &far_future()).await.is_err());
        assert_eq!(
            proofs
                .tenant_of("a", &far_future())
                .await
                .unwrap()
                .tenant
                .as_deref(),
            Some("tenant-a")
        );
    }

    #[tokio::test]
    async fn a_proof_is_not_used_once_its_token_has_expired_by_the_clock() {
        // Arrange: one proof cached for a token expiring in a minute.
        let (source, clock) = (counting(0), clock());
        let proofs = TenantProofs::new(source.clone(), Arc::new(clock.clone()));
        let exp = expiring(NOW + 60);
        proofs.tenant_of("a", &exp).await.unwrap();
        proofs.tenant_of("a", &exp).await.unwrap();
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);

        // Act: the token's expiry passes.
        clock.advance(Duration::from_secs(61));
        let after = proofs.tenant_of("a", &exp).await.unwrap();

        // Assert: asked again rather than answered from the stale proof.
        assert_eq!(after.tenant.as_deref(), Some("tenant-a"));
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    /// A user who can be disabled: answers `acme` while enabled.
    struct Switchable {
        enabled: std::sync::atomic::AtomicBool,
    }

    #[async_trait]
    impl TenantAttributeSource for Switchable {
        async fn tenant_attribute(
            &self,
            _: &str,
            _: &CognitoClaims,
        ) -> Result<UserTenant, CognitoError> {
            if self.enabled.load(Ordering::SeqCst) {
                Ok(UserTenant {
                    tenant: Some("acme".into()),
                    email: None,
                })
            } else {
                Err(CognitoError::TokenRefused)
            }
        }
    }

    #[tokio::test]
    async fn a_disabled_user_is_refused_once_the_tokens_proof_expires() {
        let source = Arc::new(Switchable {
            enabled: std::sync::atomic::AtomicBool::new(true),
        });
        let clock = clock();
        let proofs = TenantProofs::new(source.clone(), Arc::new(clock.clone()));
        let token = expiring(NOW + 300);
        assert_eq!(
            proofs
                .tenant_of("t", &token)
                .await
                .unwrap()
                .tenant
                .as_deref(),
            Some("acme")
        );
        source.enabled.store(false, Ordering::SeqCst);
        // Until the token expires its proof stands; then the user is asked about again.
        clock.advance(Duration::from_secs(299));
        assert!(proofs.tenant_of("t", &token).await.is_ok());
        clock.advance(Duration::from_secs(2));
        assert!(proofs.tenant_of("t", &token).await.is_err());
    }
}
