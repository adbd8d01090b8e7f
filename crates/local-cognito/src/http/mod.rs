//! The HTTP surface: `POST /` for the JSON API and the per-pool `.well-known` documents.

mod api;
mod error;
mod well_known;

use axum::routing::{get, post};
use axum::{middleware, Router};

use crate::exposure::{self, ApiGuard};

use crate::service::Services;

/// Every route, over `services`.
pub(crate) fn router(services: Services, api_guard: ApiGuard) -> Router {
    let api = Router::new()
        .route("/", post(api::handle))
        .layer(middleware::from_fn_with_state(api_guard, exposure::guard));
    Router::new()
        .merge(api)
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .merge(crate::oauth2::router())
        .with_state(services)
}
