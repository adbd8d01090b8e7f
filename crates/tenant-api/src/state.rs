//! `AppState`: what every request handler can reach, cheap to clone.

use std::sync::Arc;

use axum::body::Bytes;
use cognito_verify::Verifier;

use crate::cognito::Cognito;
use crate::config::AllowedHosts;
use crate::metrics::Metrics;
use crate::sign_out::SignOutRegistry;
use crate::store::Stores;
use crate::tenancy::TenantResolver;
use crate::throttle::LoginThrottle;

/// Shared state of the HTTP layer: a cheap handle (one `Arc`), since axum clones it for every
/// extractor and middleware of every request.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    /// Wraps the services in a shareable handle.
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What request handlers reach through [`AppState`].
pub struct Services {
    /// Verifies bearer tokens.
    pub verifier: Verifier,
    /// Verifies access tokens for sign-out (the same verifier when the API takes access tokens).
    pub access_verifier: Verifier,
    /// Resolves and proves the tenant of a request.
    pub tenants: TenantResolver,
    /// The Cognito gateway.
    pub cognito: Cognito,
    /// Tenant-scoped storage.
    pub stores: Stores,
    /// Sign-out records consulted by the verifier.
    pub sign_outs: SignOutRegistry,
    /// Sign-in throttling.
    pub throttle: LoginThrottle,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// Accepted Host headers.
    pub allowed_hosts: Arc<AllowedHosts>,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// The OpenAPI document, serialised once.
    pub openapi_json: Bytes,
    /// The Backend-for-Frontend's browser sessions (`/auth/*`), when configured.
    pub bff: Option<crate::bff::Bff>,
}
