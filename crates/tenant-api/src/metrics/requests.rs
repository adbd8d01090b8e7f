//! Requests by endpoint and status, and latency by route, kept as handles that the edge layer
//! resolves once per endpoint: counting a request is then an atomic add and a histogram
//! observation, with no label strings built, hashed or compared per request.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::metrics::MetricType;

/// Statuses 100..=599 get a counter each; anything else (never sent by this service) is
/// counted in a map.
const COUNTED_STATUSES: std::ops::RangeInclusive<u16> = 100..=599;

/// The handles of one endpoint (method and route template): its counters by status and its
/// route's latency histogram.
#[derive(Debug)]
pub struct EndpointMetrics {
    method: Method,
    route: Arc<str>,
    by_status: Box<[AtomicU64]>,
    other_statuses: Mutex<BTreeMap<u16, u64>>,
    latency: Histogram,
}

impl EndpointMetrics {
    /// Whether these are the handles of `method` on `route`.
    pub fn is_for(&self, method: &Method, route: &str) -> bool {
        self.method == *method && *self.route == *route
    }

    /// Counts one answered request.
    pub fn record(&self, status: StatusCode, elapsed: Duration) {
        let status = status.as_u16();
        match self
            .by_status
            .get(usize::from(status.wrapping_sub(*COUNTED_STATUSES.start())))
        {
            Some(counter) => {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            None => {
                let mut other = self
                    .other_statuses
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                *other.entry(status).or_default() += 1;
            }
        }
        self.latency.observe(elapsed.as_secs_f64());
    }

    fn counts(&self) -> Vec<(u16, u64)> {
        let mut counts: Vec<(u16, u64)> = COUNTED_STATUSES
            .zip(self.by_status.iter())
            .map(|(status, count)| (status, count.load(Ordering::Relaxed)))
            .filter(|&(_, count)| count > 0)
            .collect();
        let other = self
            .other_statuses
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.extend(other.iter().map(|(&status, &count)| (status, count)));
        counts
    }
}

/// Every endpoint seen so far; a [`Collector`] that writes them out at scrape time as
/// `http_requests` (by method, route and status) and `http_request_duration_seconds` (by route).
#[derive(Clone, Debug, Default)]
pub struct RequestMetrics {
    table: Arc<RwLock<Table>>,
}

#[derive(Debug, Default)]
struct Table {
    endpoints: Vec<Arc<EndpointMetrics>>,
    /// One histogram per route template, shared by its methods.
    routes: BTreeMap<Arc<str>, Histogram>,
}

fn latency_histogram() -> Histogram {
    // 100 µs .. ~3.3 s
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

impl RequestMetrics {
    /// The handles of `method` on `route`, made on first use. Called once per endpoint by the
    /// edge layer, which keeps what it gets; a lookup, not a per-request path.
    pub fn endpoint(&self, method: &Method, route: &str) -> Arc<EndpointMetrics> {
        if let Some(found) = self.find(method, route) {
            return found;
        }
        let mut table = self.table.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = table.endpoints.iter().find(|e| e.is_for(method, route)) {
            return Arc::clone(found);
        }
        let (route, latency) = match table.routes.get_key_value(route) {
            Some((route, latency)) => (Arc::clone(route), latency.clone()),
            None => {
                let (route, latency) = (Arc::<str>::from(route), latency_histogram());
                table.routes.insert(Arc::clone(&route), latency.clone());
                (route, latency)
            }
        };
        let endpoint = Arc::new(EndpointMetrics {
            method: method.clone(),
            route,
            by_status: COUNTED_STATUSES.map(|_| AtomicU64::new(0)).collect(),
            other_statuses: Mutex::default(),
            latency,
        });
        table.endpoints.push(Arc::clone(&endpoint));
        endpoint
    }

    fn find(&self, method: &Method, route: &str) -> Option<Arc<EndpointMetrics>> {
        let table = self.table.read().unwrap_or_else(PoisonError::into_inner);
        table
            .endpoints
            .iter()
            .find(|e| e.is_for(method, route))
            .cloned()
    }
}

impl Collector for RequestMetrics {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let table = self.table.read().unwrap_or_else(PoisonError::into_inner);
        let mut endpoints: Vec<&EndpointMetrics> = table.endpoints.iter().map(|e| &**e).collect();
        endpoints
            .sort_by(|a, b| (&*a.route, a.method.as_str()).cmp(&(&*b.route, b.method.as_str())));
        let mut family = encoder.encode_descriptor(
            "http_requests",
            "HTTP requests by route and status.",
            None,
            MetricType::Counter,
        )?;
        for endpoint in endpoints {
            for (status, count) in endpoint.counts() {
                let status = status.to_string();
                let labels = [
                    ("method", endpoint.method.as_str()),
                    ("route", &*endpoint.route),
                    ("status", status.as_str()),
                ];
                ConstCounter::new(count).encode(family.encode_family(&labels)?)?;
            }
        }
        let mut family = encoder.encode_descriptor(
            "http_request_duration_seconds",
            "HTTP request latency by route.",
            None,
            MetricType::Histogram,
        )?;
        for (route, latency) in &table.routes {
            latency.encode(family.encode_family(&[("route", &**route)])?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_made_once_and_routes_share_one_histogram() {
        let metrics = RequestMetrics::default();
        let get = metrics.endpoint(&Method::GET, "/api/items/");
        let again = metrics.endpoint(&Method::GET, "/api/items/");
        assert!(Arc::ptr_eq(&get, &again));
        let post = metrics.endpoint(&Method::POST, "/api/items/");
        assert!(!Arc::ptr_eq(&get, &post));
        assert!(post.is_for(&Method::POST, "/api/items/"));
        assert!(!post.is_for(&Method::GET, "/api/items/"));
        assert_eq!(metrics.table.read().unwrap().routes.len(), 1);
    }

    #[test]
    fn every_status_is_counted_including_ones_outside_the_table() {
        let metrics = RequestMetrics::default();
        let endpoint = metrics.endpoint(&Method::GET, "/x");
        for status in [200, 200, 404, 599, 999] {
            endpoint.record(
                StatusCode::from_u16(status).unwrap(),
                Duration::from_millis(1),
            );
        }
        assert_eq!(
            endpoint.counts(),
            vec![(200, 2), (404, 1), (599, 1), (999, 1)]
        );
    }
}
