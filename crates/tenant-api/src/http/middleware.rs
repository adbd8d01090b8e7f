//! Cross-cutting middleware: the edge (request ids, Host check, timeout, panics, metrics,
//! tracing: see [`super::edge`]) and CORS, plus the JSON fallbacks for unknown routes and
//! methods.

use std::time::Duration;

use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::util::option_layer;
use tower_http::cors::{AllowOrigin, Any as AnyOrigin, CorsLayer};

use super::edge::EdgeLayer;
use super::error::ApiError;
use super::request_id::REQUEST_ID;
use crate::config::Config;
use crate::state::AppState;

/// Wraps every endpoint of `router` in CORS (when configured) inside the edge. Preflights are
/// host-checked and counted like every other request.
pub(super) fn apply(
    router: Router<AppState>,
    state: &AppState,
    config: &Config,
) -> Router<AppState> {
    let edge = EdgeLayer::new(
        state.allowed_hosts.clone(),
        state.metrics.requests(),
        config.limits.request_timeout,
    );
    router.layer(option_layer(cors(config))).layer(edge)
}

/// The CORS layer, or none when no origin may call cross-origin (`CORS_ALLOWED_ORIGINS` empty
/// and `DEBUG` off): then there is nothing to allow, and no response varies by `Origin`.
fn cors(config: &Config) -> Option<CorsLayer> {
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
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
        return Some(layer.allow_origin(AnyOrigin));
    }
    let origins: Vec<HeaderValue> = config
        .cors_allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if origins.is_empty() {
        return None;
    }
    Some(layer.allow_origin(AllowOrigin::list(origins)))
}

/// JSON 404 for unknown paths.
pub(super) async fn not_found() -> Response {
    ApiError::NotFound.into_response()
}

/// JSON 405 for known paths with the wrong method.
pub(super) async fn method_not_allowed() -> Response {
    ApiError::MethodNotAllowed.into_response()
}
