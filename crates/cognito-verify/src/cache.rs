//! The verified-token cache: a bounded moka cache keyed by the SHA-256 of the whole token, each
//! entry expiring when its token does, so a repeated token skips parsing and RSA entirely.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::claims::CognitoClaims;
use crate::jwks::{IssuerKeys, VerifyingKey};

/// SHA-256 of a token. A full cryptographic hash rather than a fast one, because an entry found
/// under a key *is* the verdict: a collision would hand one token's claims to another.
pub(crate) type TokenDigest = [u8; 32];

/// What a cache hit needs to re-check cheaply: the claims, and the key and issuer it was
/// verified with (a retired key or keys past the maximum stale age void the entry).
#[derive(Debug)]
pub(crate) struct CachedToken {
    pub(crate) claims: Arc<CognitoClaims>,
    pub(crate) key: Arc<VerifyingKey>,
    pub(crate) issuer: Arc<IssuerKeys>,
    /// Time left until `exp` (+ leeway) when the entry was made.
    pub(crate) lifetime: Duration,
}

/// Per-entry expiry at the token's own `exp`.
struct ExpireWithToken;

impl moka::Expiry<TokenDigest, Arc<CachedToken>> for ExpireWithToken {
    fn expire_after_create(
        &self,
        _key: &TokenDigest,
        value: &Arc<CachedToken>,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(value.lifetime)
    }
}

/// The bounded cache of verified tokens.
pub(crate) struct TokenCache {
    entries: moka::sync::Cache<TokenDigest, Arc<CachedToken>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("entries", &self.entries.entry_count())
            .finish()
    }
}

impl TokenCache {
    pub(crate) fn new(capacity: u64) -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(capacity)
                .expire_after(ExpireWithToken)
                .build(),
        }
    }

    pub(crate) fn digest(token: &str) -> TokenDigest {
        Sha256::digest(token.as_bytes()).into()
    }

    pub(crate) fn get(&self, digest: &TokenDigest) -> Option<Arc<CachedToken>> {
        self.entries.get(digest)
    }

    pub(crate) fn insert(&self, digest: TokenDigest, entry: CachedToken) {
        if !entry.lifetime.is_zero() {
            self.entries.insert(digest, Arc::new(entry));
        }
    }

    pub(crate) fn remove(&self, digest: &TokenDigest) {
        self.entries.invalidate(digest);
    }
}
