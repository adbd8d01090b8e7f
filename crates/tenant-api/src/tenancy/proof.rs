//! The user's tenant attribute read through Cognito GetUser, cached per token until it expires.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use std::hash::BuildHasher;

use moka::future::Cache;
use moka::Expiry;

use crate::cognito::{Cognito, CognitoError};

/// Reads a user's tenant attribute with their access token.
#[async_trait]
pub trait TenantAttributeSource: Send + Sync + 'static {
    /// The value of the tenant attribute of the bearer of `access_token`, if set.
    async fn tenant_attribute(&self, access_token: &str) -> Result<Option<String>, CognitoError>;
}

/// Cognito's GetUser as a tenant source.
struct GetUserSource {
    cognito: Cognito,
    attribute: String,
}

#[async_trait]
impl TenantAttributeSource for GetUserSource {
    async fn tenant_attribute(&self, access_token: &str) -> Result<Option<String>, CognitoError> {
        let user = self.cognito.get_user(access_token).await?;
        Ok(user.attribute(&self.attribute).map(str::to_owned))
    }
}

#[derive(Clone)]
struct Proof {
    /// The token this proof was read for: the cache key is only a hash, so it is compared.
    token: Arc<str>,
    tenant: Option<String>,
    /// Token expiry, epoch seconds.
    exp: u64,
}

struct UntilTokenExpiry;

impl Expiry<u64, Proof> for UntilTokenExpiry {
    fn expire_after_create(&self, _: &u64, proof: &Proof, _: Instant) -> Option<Duration> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Some(Duration::from_secs(proof.exp.saturating_sub(now)))
    }
}

/// Cached tenant proofs: at most one GetUser per token, however many requests it makes.
#[derive(Clone)]
pub struct TenantProofs {
    source: Arc<dyn TenantAttributeSource>,
    cache: Cache<u64, Proof>,
    hasher: foldhash::quality::RandomState,
}

impl TenantProofs {
    /// Proofs read through GetUser on `cognito`, attribute `attribute`.
    pub fn get_user(cognito: Cognito, attribute: String) -> Self {
        Self::new(Arc::new(GetUserSource { cognito, attribute }))
    }

    /// Proofs read from any source.
    pub fn new(source: Arc<dyn TenantAttributeSource>) -> Self {
        Self {
            source,
            cache: Cache::builder()
                .max_capacity(100_000)
                .expire_after(UntilTokenExpiry)
                .build(),
            hasher: foldhash::quality::RandomState::default(),
        }
    }

    /// The tenant attribute for `access_token` (which expires at `exp`), from cache or Cognito.
    /// Concurrent first requests of one token share a single GetUser; failures are not cached.
    pub async fn tenant_of(
        &self,
        access_token: &str,
        exp: u64,
    ) -> Result<Option<String>, Arc<CognitoError>> {
        let key = self.hasher.hash_one(access_token.as_bytes());
        let source = self.source.clone();
        let proof = self
            .cache
            .try_get_with(key, async move {
                let tenant = source.tenant_attribute(access_token).await?;
                Ok::<_, CognitoError>(Proof {
                    token: Arc::from(access_token),
                    tenant,
                    exp,
                })
            })
            .await?;
        if *proof.token == *access_token {
            return Ok(proof.tenant);
        }
        // Another token hashed to the same key: ask Cognito rather than trust its proof.
        Ok(self.source.tenant_attribute(access_token).await?)
    }

    /// Forgets every cached proof (after a user changes tenant, say).
    pub fn invalidate_all(&self) {
        self.cache.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Answers `tenant-<token>`, failing the first `fail_first` calls; counts calls.
    struct Counting {
        calls: AtomicUsize,
        fail_first: usize,
    }

    #[async_trait]
    impl TenantAttributeSource for Counting {
        async fn tenant_attribute(&self, token: &str) -> Result<Option<String>, CognitoError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.fail_first {
                return Err(CognitoError::Unavailable);
            }
            Ok(Some(format!("tenant-{token}")))
        }
    }

    fn far_future() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600
    }

    #[tokio::test]
    async fn one_lookup_per_token_and_each_token_gets_its_own_answer() {
        let source = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            fail_first: 0,
        });
        let proofs = TenantProofs::new(source.clone());
        for _ in 0..3 {
            assert_eq!(
                proofs
                    .tenant_of("a", far_future())
                    .await
                    .unwrap()
                    .as_deref(),
                Some("tenant-a")
            );
        }
        assert_eq!(
            proofs
                .tenant_of("b", far_future())
                .await
                .unwrap()
                .as_deref(),
            Some("tenant-b")
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failures_are_not_cached() {
        let source = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            fail_first: 1,
        });
        let proofs = TenantProofs::new(source.clone());
        assert!(proofs.tenant_of("a", far_future()).await.is_err());
        assert_eq!(
            proofs
                .tenant_of("a", far_future())
                .await
                .unwrap()
                .as_deref(),
            Some("tenant-a")
        );
    }
}
