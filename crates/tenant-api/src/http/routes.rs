//! Route registration helpers.

use axum::routing::MethodRouter;
use axum::Router;

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
