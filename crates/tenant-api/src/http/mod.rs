//! The HTTP layer: routes, middleware and the mapping of every error to one JSON shape.
//!
//! Handlers stay thin: extract (verified user, proven tenant, validated body), call the store
//! or Cognito, map to a DTO.

pub mod alerts;
pub mod console;
mod doc_parts;
pub mod error;
pub mod extract;
pub mod health;
pub mod items;
mod middleware;
pub mod openapi;
pub mod pagination;
mod routes;
pub mod user;

use axum::extract::DefaultBodyLimit;
use axum::Router;

use crate::config::Config;
use crate::state::AppState;

pub use error::{ApiError, ErrorBody};

/// Every route of the service, with its middleware, ready to serve.
pub fn router(state: AppState, config: &Config) -> Router {
    let api = Router::new()
        .merge(user::router())
        .merge(items::router())
        .merge(alerts::router())
        .merge(health::router())
        .merge(openapi::router())
        .merge(console::router(config))
        .merge(middleware::metrics_router())
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes));
    middleware::apply(api, state.clone(), config).with_state(state)
}
