//! The verified-token cache: a bounded moka cache keyed by a fast, randomly seeded hash of the
//! whole token, each entry expiring when its token does, so a repeated token skips parsing and
//! RSA entirely.

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::hash::BuildHasher;

use crate::claims::CognitoClaims;
use crate::jwks::{IssuerKeys, VerifyingKey};

/// A seeded 64-bit hash of a token. It only *finds* an entry: the entry keeps its token and is
/// served only to that exact token, so a collision (accidental or crafted) costs a full
/// verification, never another token's claims. Hashing a 1 KB token this way costs tens of
/// nanoseconds where SHA-256 cost about a microsecond, most of a cache hit.
pub(crate) type TokenDigest = u64;

/// What a cache hit needs to re-check cheaply: the claims, and the key and issuer it was
/// verified with (a retired key or keys past the maximum stale age void the entry).
#[derive(Debug)]
pub(crate) struct CachedToken {
    /// The token itself, compared on every hit.
    pub(crate) token: Box<str>,
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
    hasher: foldhash::quality::RandomState,
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
            hasher: foldhash::quality::RandomState::default(),
        }
    }

    pub(crate) fn digest(&self, token: &str) -> TokenDigest {
        self.hasher.hash_one(token.as_bytes())
    }

    /// The entry for `token`, if its digest finds one made for this very token.
    pub(crate) fn get(&self, digest: &TokenDigest, token: &str) -> Option<Arc<CachedToken>> {
        self.entries
            .get(digest)
            .filter(|entry| *entry.token == *token)
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
