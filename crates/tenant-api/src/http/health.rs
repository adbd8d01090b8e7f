//! Probes: `/health` (the design's), `/health/live` and `/health/ready`.

use axum::extract::State;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::AppJson;
use crate::state::AppState;

/// Probe result.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthOut {
    /// `ok`, or `unavailable` when not ready.
    pub status: String,
    /// Database reachable (readiness only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<bool>,
    /// Signing keys loaded (readiness only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks: Option<bool>,
}

fn ok() -> HealthOut {
    HealthOut {
        status: "ok".into(),
        database: None,
        jwks: None,
    }
}

/// The probe routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
}

/// Liveness (kept from the original design).
#[utoipa::path(get, path = "/health", operation_id = "health", tag = "health", responses((status = 200, body = HealthOut)))]
async fn health() -> AppJson<HealthOut> {
    AppJson(ok())
}

/// The process is up.
#[utoipa::path(get, path = "/health/live", operation_id = "liveness", tag = "health", responses((status = 200, body = HealthOut)))]
async fn live() -> AppJson<HealthOut> {
    AppJson(ok())
}

/// Ready to serve: the database answers and the JWKS is loaded.
#[utoipa::path(get, path = "/health/ready", operation_id = "readiness", tag = "health", responses(
    (status = 200, description = "Ready", body = HealthOut),
    (status = 503, description = "Not ready", body = HealthOut)))]
async fn ready(State(state): State<AppState>) -> (StatusCode, HeaderMap, AppJson<HealthOut>) {
    let database = state.stores.ping.ping().await.is_ok();
    let jwks = state.verifier.is_ready();
    let status = if database && jwks {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = HealthOut {
        status: if status.is_success() {
            "ok"
        } else {
            "unavailable"
        }
        .into(),
        database: Some(database),
        jwks: Some(jwks),
    };
    let mut headers = HeaderMap::new();
    if !status.is_success() {
        headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    (status, headers, AppJson(body))
}
