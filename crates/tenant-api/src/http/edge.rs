//! The edge: one hand-written layer that does, for every request, what used to take a stack of
//! six — the request id (honoured or made, always returned), the `ALLOWED_HOSTS` check, the
//! request timeout, panic safety, per-route metrics and the request's trace span, plus one log
//! line with the request id for every failure.
//!
//! It costs one boxed future per request. The metric handles of an endpoint are looked up once
//! and kept by the layer's instance for that endpoint (axum layers every method of every route
//! separately); the span is at debug level, so that it costs a disabled-callsite check unless
//! `RUST_LOG` asks for it. Figures in `docs/benchmarks.md`.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures::FutureExt as _;
use tower::{Layer, Service};
use tracing::Instrument as _;

use super::error::{ApiError, InternalCause};
use super::request_id::{self, REQUEST_ID};
use crate::config::AllowedHosts;
use crate::metrics::{EndpointMetrics, RequestMetrics};

/// What every instance of the edge shares.
#[derive(Debug)]
struct Shared {
    allowed_hosts: Arc<AllowedHosts>,
    metrics: RequestMetrics,
    timeout: Duration,
}

/// Builds an [`Edge`] around each endpoint it is applied to.
#[derive(Clone, Debug)]
pub(super) struct EdgeLayer {
    shared: Arc<Shared>,
}

impl EdgeLayer {
    /// An edge that admits `allowed_hosts`, counts into `metrics` and gives each request
    /// `timeout` to answer.
    pub(super) fn new(
        allowed_hosts: Arc<AllowedHosts>,
        metrics: RequestMetrics,
        timeout: Duration,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                allowed_hosts,
                metrics,
                timeout,
            }),
        }
    }
}

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge {
            inner,
            instance: Arc::new(Instance {
                shared: Arc::clone(&self.shared),
                endpoint: OnceLock::new(),
            }),
        }
    }
}

/// One endpoint's edge: the shared settings and, once seen, the endpoint's metric handles.
#[derive(Debug)]
struct Instance {
    shared: Arc<Shared>,
    endpoint: OnceLock<Arc<EndpointMetrics>>,
}

impl Instance {
    /// The metric handles of `method` on `route`: the kept ones when they match (always, but
    /// for a fallback that answers several methods or paths), else looked up.
    fn endpoint(&self, method: &Method, route: &str) -> Arc<EndpointMetrics> {
        if let Some(kept) = self.endpoint.get() {
            if kept.is_for(method, route) {
                return Arc::clone(kept);
            }
        }
        let found = self.shared.metrics.endpoint(method, route);
        let _ = self.endpoint.set(Arc::clone(&found));
        found
    }
}

/// The edge around one endpoint (see the module documentation).
#[derive(Clone, Debug)]
pub(super) struct Edge<S> {
    inner: S,
    instance: Arc<Instance>,
}

impl<S> Service<Request> for Edge<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let started = Instant::now();
        let id = request_id::honour_or_make(request.headers_mut());
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str);
        let endpoint = self.instance.endpoint(request.method(), route);
        let host_allowed = host_allowed(&self.instance.shared.allowed_hosts, &request);
        let timeout = self.instance.shared.timeout;
        // `poll_ready` was called on `self.inner`: that one serves, a clone stays behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let span = tracing::debug_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %request_id::as_text(&id));
        let seen = Seen {
            method: request.method().clone(),
            uri: request.uri().clone(),
            id: id.clone(),
        };
        let answer = async move {
            if !host_allowed {
                return ApiError::InvalidHost.into_response();
            }
            // A panic in the handler (or in building its future) becomes a 500, not a dropped
            // connection; the timeout answers for a handler that never finishes.
            let handled = AssertUnwindSafe(async move { inner.call(request).await }).catch_unwind();
            match tokio::time::timeout(timeout, handled).await {
                Ok(Ok(Ok(response))) => response,
                Ok(Ok(Err(never))) => match never {},
                Ok(Err(_panic)) => {
                    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
                }
                Err(_elapsed) => ApiError::Timeout.into_response(),
            }
        };
        Box::pin(
            async move {
                let mut response = answer.await;
                response.headers_mut().entry(REQUEST_ID).or_insert(id);
                let elapsed = started.elapsed();
                endpoint.record(response.status(), elapsed);
                seen.log(&response, elapsed);
                Ok(response)
            }
            .instrument(span),
        )
    }
}

/// What the edge keeps of a request for its log lines.
struct Seen {
    method: Method,
    uri: Uri,
    id: HeaderValue,
}

impl Seen {
    /// Logs the outcome: every 5xx at `error` (500, with its cause) or `warn` (the others:
    /// unavailable, upstream, timeout), each with the request id; every answer at `debug`.
    fn log(&self, response: &Response, elapsed: Duration) {
        let status = response.status();
        let latency_ms = elapsed.as_secs_f64() * 1e3;
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            let cause = response.extensions().get::<InternalCause>();
            tracing::error!(
                request_id = %request_id::as_text(&self.id), method = %self.method, path = %self.uri.path(),
                status = status.as_u16(), latency_ms, error = cause.map(|cause| tracing::field::debug(&cause.0)),
                "request failed"
            );
        } else if status.is_server_error() {
            tracing::warn!(
                request_id = %request_id::as_text(&self.id), method = %self.method, path = %self.uri.path(),
                status = status.as_u16(), latency_ms, "request not served"
            );
        } else {
            tracing::debug!(status = status.as_u16(), latency_ms, "answered");
        }
    }
}

fn host_allowed(allowed: &AllowedHosts, request: &Request) -> bool {
    let host = super::extract::request_host(request.headers(), request.uri()).unwrap_or_default();
    allowed.allows(host)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Mutex;

    use axum::body::{to_bytes, Body};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt as _;

    use super::*;
    use crate::metrics::Metrics;

    /// A router with a healthy, a panicking and a hanging route, behind the edge.
    fn app(metrics: &Metrics, hosts: AllowedHosts) -> Router {
        async fn panics() -> &'static str {
            panic!("boom")
        }
        Router::new()
            .route("/ok", get(|| async { "fine" }))
            .route("/panics", get(panics))
            .route("/hangs", get(std::future::pending::<&'static str>))
            .layer(EdgeLayer::new(
                Arc::new(hosts),
                metrics.requests(),
                Duration::from_millis(50),
            ))
    }

    async fn call(app: &Router, path: &str, host: &str) -> (Response, serde_json::Value) {
        let request = axum::http::Request::get(path)
            .header("host", host)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = to_bytes(body, 1 << 16).await.unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (Response::from_parts(parts, Body::empty()), json)
    }

    /// Log lines written during a test.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_panic_is_a_counted_500_with_the_request_id_in_the_answer_and_the_log() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let metrics = Metrics::new();
        let app = app(&metrics, AllowedHosts::Any);

        let (response, body) = call(&app, "/panics", "localhost").await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["code"], "internal_error");
        let id = response.headers()[REQUEST_ID].to_str().unwrap().to_owned();
        assert_eq!(id.len(), 36);
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let line = log
            .lines()
            .find(|l| l.contains("request failed"))
            .unwrap_or_else(|| panic!("no failure line in {log}"));
        assert!(line.contains(&id), "{line}");
        assert!(line.contains("handler panicked"), "{line}");
        assert!(line.contains("/panics"), "{line}");

        let text = metrics.render();
        let needle =
            r#"tenant_api_http_requests_total{method="GET",route="/panics",status="500"} 1"#;
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }

    #[tokio::test]
    async fn a_handler_past_the_timeout_is_answered_503_and_counted() {
        let metrics = Metrics::new();
        let app = app(&metrics, AllowedHosts::Any);
        let (response, body) = call(&app, "/hangs", "localhost").await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["code"], "timeout");
        assert!(response.headers().contains_key(REQUEST_ID));
        let text = metrics.render();
        let needle =
            r#"tenant_api_http_requests_total{method="GET",route="/hangs",status="503"} 1"#;
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }

    #[tokio::test]
    async fn a_refused_host_never_reaches_the_handler_and_each_endpoint_counts_apart() {
        let metrics = Metrics::new();
        let app = app(&metrics, AllowedHosts::Only(vec![".example.com".into()]));
        let (refused, body) = call(&app, "/panics", "evil.test").await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "invalid_host");
        for host in ["API.Example.com", "example.com:8080"] {
            let (allowed, _) = call(&app, "/ok", host).await;
            assert_eq!(allowed.status(), StatusCode::OK, "{host}");
        }
        let (unknown, _) = call(&app, "/nowhere", "example.com").await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let text = metrics.render();
        for needle in [
            r#"tenant_api_http_requests_total{method="GET",route="/panics",status="400"} 1"#,
            r#"tenant_api_http_requests_total{method="GET",route="/ok",status="200"} 2"#,
            r#"tenant_api_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
            r#"tenant_api_http_request_duration_seconds_count{route="/ok"} 2"#,
            "# HELP tenant_api_http_requests HTTP requests by route and status.\n",
            "# TYPE tenant_api_http_request_duration_seconds histogram\n",
        ] {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
    }
}
