//! Prometheus metrics: requests by route and status, latency, sign-in outcomes, throttling,
//! plus the verifier's counters (outcomes, JWKS fetches, key age) read at scrape time.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::cognito::CognitoError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 100 µs .. ~3.3 s
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// The service's metrics registry.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
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
        let mut registry = Registry::with_prefix("tenant_api");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
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
            latency,
            logins,
            throttled,
        }
    }

    /// Counts one request.
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
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

    /// The registry in Prometheus text format, followed by `extra` lines.
    pub fn render(&self, extra: &str) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        // encode() ends with "# EOF" (OpenMetrics); keep it last.
        let body = out.trim_end().trim_end_matches("# EOF").to_owned();
        format!("{body}{extra}# EOF\n")
    }
}

/// The verifier's counters in Prometheus text format (read at scrape time).
pub fn verifier_lines(verifier: &cognito_verify::Verifier) -> String {
    use std::fmt::Write;
    let snapshot = verifier.metrics();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP tenant_api_token_verifications Token verification outcomes."
    );
    let _ = writeln!(out, "# TYPE tenant_api_token_verifications counter");
    let _ = writeln!(
        out,
        "tenant_api_token_verifications_total{{outcome=\"verified\"}} {}",
        snapshot.verified
    );
    for (reason, count) in &snapshot.rejected {
        let _ = writeln!(
            out,
            "tenant_api_token_verifications_total{{outcome=\"{reason}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP tenant_api_token_cache_hits Verifications served from the verified-token cache."
    );
    let _ = writeln!(out, "# TYPE tenant_api_token_cache_hits counter");
    let _ = writeln!(
        out,
        "tenant_api_token_cache_hits_total {}",
        snapshot.cache_hits
    );
    let _ = writeln!(
        out,
        "# HELP tenant_api_jwks_fetches JWKS fetches by result."
    );
    let _ = writeln!(out, "# TYPE tenant_api_jwks_fetches counter");
    let _ = writeln!(
        out,
        "tenant_api_jwks_fetches_total{{result=\"ok\"}} {}",
        snapshot.jwks_fetch_ok
    );
    let _ = writeln!(
        out,
        "tenant_api_jwks_fetches_total{{result=\"failed\"}} {}",
        snapshot.jwks_fetch_failed
    );
    let _ = writeln!(
        out,
        "# HELP tenant_api_jwks_key_age_seconds Seconds since the signing keys were fetched."
    );
    let _ = writeln!(out, "# TYPE tenant_api_jwks_key_age_seconds gauge");
    for pool in &snapshot.pools {
        if let Some(age) = pool.key_age_secs {
            let _ = writeln!(
                out,
                "tenant_api_jwks_key_age_seconds{{issuer=\"{}\"}} {age}",
                pool.issuer.replace('"', "")
            );
        }
    }
    out
}
