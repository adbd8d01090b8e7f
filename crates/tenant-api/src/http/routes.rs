//! The route table: every resource's `router()` merged, with the fallbacks and middleware, plus
//! the helper that registers a path with and without its trailing slash.

use axum::extract::DefaultBodyLimit;
use axum::routing::MethodRouter;
use axum::Router;

use super::{
    alerts, auth, console, health, items, metrics, middleware, openapi, own_tenants, tenant_admin,
    user,
};
use crate::config::Config;
use crate::state::AppState;

/// Every route of the service, with its middleware, ready to serve.
pub fn router(state: AppState, config: &Config) -> Router {
    let api = Router::new()
        .merge(user::router())
        .merge(own_tenants::router())
        .merge(auth::router())
        .merge(items::router())
        .merge(alerts::router())
        .merge(tenant_admin::router())
        .merge(health::router())
        .merge(openapi::router())
        .merge(console::router(config))
        .merge(metrics::router())
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes));
    middleware::apply(api, &state, config).with_state(state)
}

/// Registers a route both with and without a trailing slash, as the original API accepted both.
pub(crate) trait RouterExt<S> {
    /// `route(path, handler)` and `route(path + "/", handler)`.
    fn route_both(self, path: &str, handler: MethodRouter<S>) -> Self;
}

impl<S: Clone + Send + Sync + 'static> RouterExt<S> for Router<S> {
    fn route_both(self, path: &str, handler: MethodRouter<S>) -> Self {
        let trimmed = path.trim_end_matches('/');
        self.route(trimmed, handler.clone())
            .route(&format!("{trimmed}/"), handler)
    }
}
