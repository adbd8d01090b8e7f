//! The user's tenant attribute read through Cognito GetUser, cached per token until it expires.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use moka::future::Cache;
use moka::Expiry;
use sha2::{Digest, Sha256};

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
    tenant: Option<String>,
    /// Token expiry, epoch seconds.
    exp: u64,
}

struct UntilTokenExpiry;

impl Expiry<[u8; 32], Proof> for UntilTokenExpiry {
    fn expire_after_create(&self, _: &[u8; 32], proof: &Proof, _: Instant) -> Option<Duration> {
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
    cache: Cache<[u8; 32], Proof>,
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
        }
    }

    /// The tenant attribute for `access_token` (which expires at `exp`), from cache or Cognito.
    /// Concurrent first requests of one token share a single GetUser; failures are not cached.
    pub async fn tenant_of(
        &self,
        access_token: &str,
        exp: u64,
    ) -> Result<Option<String>, Arc<CognitoError>> {
        let key: [u8; 32] = Sha256::digest(access_token.as_bytes()).into();
        let source = self.source.clone();
        let proof = self
            .cache
            .try_get_with(key, async move {
                let tenant = source.tenant_attribute(access_token).await?;
                Ok::<_, CognitoError>(Proof { tenant, exp })
            })
            .await?;
        Ok(proof.tenant)
    }

    /// Forgets every cached proof (after a user changes tenant, say).
    pub fn invalidate_all(&self) {
        self.cache.invalidate_all();
    }
}
