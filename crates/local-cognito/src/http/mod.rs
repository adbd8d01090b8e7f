//! The HTTP surface: `POST /` for the JSON API, the per-pool `.well-known` documents and the
//! developer's outbox (`/outbox`, loopback only).

mod api;
mod error;
mod outbox;
mod well_known;

use axum::routing::{get, post};
use axum::{middleware, Router};

use crate::exposure::{self, ApiGuard};

use crate::service::Services;

/// Every route, over `services`.
pub(crate) fn router(services: Services, api_guard: ApiGuard) -> Router {
    let api = Router::new()
        .route("/", post(api::handle))
        .layer(middleware::from_fn_with_state(
            api_guard.clone(),
            exposure::guard,
        ));
    let developer = Router::new()
        .route("/outbox", get(outbox::page))
        .route("/outbox.json", get(outbox::json))
        .layer(middleware::from_fn_with_state(
            api_guard,
            exposure::loopback_only,
        ));
    Router::new()
        .merge(api)
        .merge(developer)
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .merge(crate::oauth2::router())
        .with_state(services)
}
