//! Counters the service exports as metrics: verification outcomes by reason, token-cache hits,
//! JWKS fetches and key age. Lock-free so that counting never contends on the request path.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{VerifyError, REASONS};

/// Live counters, shared by the verifier and its JWKS caches.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    verified: AtomicU64,
    cache_hits: AtomicU64,
    rejected: [AtomicU64; REASONS.len()],
    jwks_fetch_ok: AtomicU64,
    jwks_fetch_failed: AtomicU64,
}

impl Metrics {
    pub(crate) fn record_outcome<T>(&self, outcome: &Result<T, VerifyError>) {
        match outcome {
            Ok(_) => self.verified.fetch_add(1, Ordering::Relaxed),
            Err(e) => self.rejected[e.reason_index()].fetch_add(1, Ordering::Relaxed),
        };
    }

    pub(crate) fn record_cache_hit(&self) {
        self.cache_hits.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn record_fetch(&self, ok: bool) {
        let counter = if ok {
            &self.jwks_fetch_ok
        } else {
            &self.jwks_fetch_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self, pools: Vec<PoolMetrics>) -> MetricsSnapshot {
        MetricsSnapshot {
            verified: self.verified.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            rejected: REASONS
                .iter()
                .zip(&self.rejected)
                .map(|(reason, count)| (*reason, count.load(Ordering::Relaxed)))
                .collect(),
            jwks_fetch_ok: self.jwks_fetch_ok.load(Ordering::Relaxed),
            jwks_fetch_failed: self.jwks_fetch_failed.load(Ordering::Relaxed),
            pools,
        }
    }
}

/// A point-in-time copy of the verifier's counters. Counters only grow; export them as
/// Prometheus counters (and `key_age_secs` as a gauge).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MetricsSnapshot {
    /// Tokens accepted (cache hits included).
    pub verified: u64,
    /// Acceptances served from the verified-token cache.
    pub cache_hits: u64,
    /// Refusals by stable reason code ([`VerifyError::reason`]); every code is listed, zeros
    /// included, so label sets are stable.
    pub rejected: Vec<(&'static str, u64)>,
    /// Successful JWKS fetches.
    pub jwks_fetch_ok: u64,
    /// Failed JWKS fetches (after the retry).
    pub jwks_fetch_failed: u64,
    /// Per-pool key state.
    pub pools: Vec<PoolMetrics>,
}

impl MetricsSnapshot {
    /// The refusal count for one reason code (0 for an unknown code).
    pub fn rejected_for(&self, reason: &str) -> u64 {
        self.rejected
            .iter()
            .find(|(r, _)| *r == reason)
            .map_or(0, |(_, n)| *n)
    }
}

/// Key state of one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolMetrics {
    /// The pool's issuer.
    pub issuer: String,
    /// How many usable keys are loaded.
    pub keys: usize,
    /// Seconds since the keys were last fetched successfully; `None` if they never were.
    pub key_age_secs: Option<u64>,
}
