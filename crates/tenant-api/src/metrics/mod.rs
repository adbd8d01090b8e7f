//! Prometheus metrics, all through one `prometheus-client` registry: requests by route and
//! status, latency (`requests.rs`), sign-in outcomes, throttling, plus the verifier's counters
//! (outcomes, JWKS fetches, key age) collected at scrape time.

mod requests;

pub use requests::{EndpointMetrics, RequestMetrics};

use std::sync::Arc;

use cognito_verify::Verifier;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use crate::cognito::CognitoError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

/// The service's metrics registry.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: RequestMetrics,
    logins: Family<OutcomeLabels, Counter>,
    throttled: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered.
    pub fn new() -> Self {
        Self::build(None)
    }

    /// A fresh registry with every metric registered, `verifier`'s counters included.
    pub fn with_verifier(verifier: Verifier) -> Self {
        Self::build(Some(verifier))
    }

    fn build(verifier: Option<Verifier>) -> Self {
        let mut registry = Registry::with_prefix("tenant_api");
        if let Some(verifier) = verifier {
            registry.register_collector(Box::new(VerifierCollector(verifier)));
        }
        let requests = RequestMetrics::default();
        registry.register_collector(Box::new(requests.clone()));
        let logins = Family::<OutcomeLabels, Counter>::default();
        registry.register("logins", "Sign-in attempts by outcome", logins.clone());
        let throttled = Counter::default();
        registry.register(
            "throttled_requests",
            "Sign-in requests refused by throttling",
            throttled.clone(),
        );
        Self {
            registry: Arc::new(registry),
            requests,
            logins,
            throttled,
        }
    }

    /// The request counters and latency histograms, for the edge layer.
    pub fn requests(&self) -> RequestMetrics {
        self.requests.clone()
    }

    /// Counts one sign-in attempt.
    pub fn login(&self, outcome: Result<(), CognitoError>) {
        let outcome = match outcome {
            Ok(()) => "success",
            Err(CognitoError::InvalidCredentials) => "invalid_credentials",
            Err(CognitoError::Throttled) => "cognito_throttled",
            Err(CognitoError::Unavailable) => "cognito_unavailable",
            Err(_) => "error",
        };
        self.logins
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// Counts one throttled request.
    pub fn throttled(&self) {
        self.throttled.inc();
    }

    /// The registry in OpenMetrics text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// The verifier's counters (outcomes, cache hits, JWKS fetches, key age), read from its
/// snapshot at scrape time.
#[derive(Debug)]
struct VerifierCollector(Verifier);

impl Collector for VerifierCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let snapshot = self.0.metrics();
        let mut family = encoder.encode_descriptor(
            "token_verifications",
            "Token verification outcomes.",
            None,
            MetricType::Counter,
        )?;
        let outcomes = std::iter::once(("verified", snapshot.verified)).chain(snapshot.rejected);
        for (outcome, count) in outcomes {
            ConstCounter::new(count).encode(family.encode_family(&[("outcome", outcome)])?)?;
        }
        ConstCounter::new(snapshot.cache_hits).encode(encoder.encode_descriptor(
            "token_cache_hits",
            "Verifications served from the verified-token cache.",
            None,
            MetricType::Counter,
        )?)?;
        let mut family = encoder.encode_descriptor(
            "jwks_fetches",
            "JWKS fetches by result.",
            None,
            MetricType::Counter,
        )?;
        for (result, count) in [
            ("ok", snapshot.jwks_fetch_ok),
            ("failed", snapshot.jwks_fetch_failed),
        ] {
            ConstCounter::new(count).encode(family.encode_family(&[("result", result)])?)?;
        }
        let mut family = encoder.encode_descriptor(
            "jwks_key_age_seconds",
            "Seconds since the signing keys were fetched.",
            None,
            MetricType::Gauge,
        )?;
        for pool in &snapshot.pools {
            if let Some(age) = pool.key_age_secs {
                let issuer = pool.issuer.replace('"', "");
                let age = i64::try_from(age).unwrap_or(i64::MAX);
                ConstGauge::new(age).encode(family.encode_family(&[("issuer", issuer)])?)?;
            }
        }
        Ok(())
    }
}
