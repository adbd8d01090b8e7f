//! Cross-cutting middleware: request ids, tracing, CORS, Host checks, timeouts, panics and
//! request metrics, plus the JSON fallbacks for unknown routes and methods.

use std::any::Any;
use std::time::{Duration, Instant};

use axum::error_handling::HandleErrorLayer;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any as AnyOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use super::error::ApiError;
use crate::config::Config;
use crate::state::AppState;

const REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// Wraps `router` in every middleware, outermost last.
pub(super) fn apply(
    router: Router<AppState>,
    state: AppState,
    config: &Config,
) -> Router<AppState> {
    let timeout = config.limits.request_timeout;
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: BoxError| async { ApiError::Timeout }))
                .timeout(timeout),
        )
        // One function middleware for both jobs: each `from_fn` layer clones and boxes the
        // rest of the stack on every request.
        .layer(from_fn_with_state(state, check_host_and_record))
        .layer(cors(config))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }),
        )
        // Honour a caller's X-Request-Id, or make one; either way it goes back in the response.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

fn cors(config: &Config) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            config.tenancy.header.clone(),
            REQUEST_ID,
        ])
        .expose_headers([REQUEST_ID, super::pagination::NEXT_CURSOR])
        .max_age(Duration::from_secs(600));
    if config.debug {
        return layer.allow_origin(AnyOrigin);
    }
    let origins: Vec<HeaderValue> = config
        .cors_allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    layer.allow_origin(AllowOrigin::list(origins))
}

/// Refuses a `Host` outside `ALLOWED_HOSTS`, then counts the request (refused ones included,
/// and timeouts and panics, which the inner layers turn into responses) by route and status.
async fn check_host_and_record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = if host_allowed(&state, &request) {
        next.run(request).await
    } else {
        ApiError::InvalidHost.into_response()
    };
    state.metrics.request(
        method.as_str(),
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

fn host_allowed(state: &AppState, request: &Request) -> bool {
    let host = super::extract::request_host(request.headers(), request.uri()).unwrap_or_default();
    state.allowed_hosts.allows(host)
}

fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// JSON 404 for unknown paths.
pub(super) async fn not_found() -> Response {
    ApiError::NotFound.into_response()
}

/// JSON 405 for known paths with the wrong method.
pub(super) async fn method_not_allowed() -> Response {
    ApiError::MethodNotAllowed.into_response()
}
