//! Request extractors: JSON/path/query wrappers with our error shape, the verified user, the
//! proven tenant, and the client IP.

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri};
use cognito_verify::{bearer_token, AuthRejection, CognitoClaims};
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::error::ApiError;
use crate::bff::CookieKind;
use crate::config::TenantMode;
use crate::state::AppState;
use crate::tenancy::{RequestedTenant, ScopedTenant};

/// `axum::Json` whose rejections are [`ApiError`]s, and whose body must be a JSON object: serde
/// would otherwise also read a struct from its positional form (`["x"]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(JsonObject(value)) = axum::Json::from_request(request, state).await?;
        Ok(Self(value))
    }
}

/// A `T` read only from a JSON object. It costs nothing over reading `T` itself: the one parse
/// hands the object's fields straight to `T`, and any other top-level value is refused as
/// "expected a JSON object".
struct JsonObject<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for JsonObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = JsonObject<T>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(JsonObject)
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for AppJson<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path` whose rejections are [`ApiError`]s.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct AppPath<T>(pub T);

/// `axum::extract::Query` whose rejections are [`ApiError`]s.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct AppQuery<T>(pub T);

/// The bearer of a verified Cognito token.
#[derive(Clone, Debug)]
pub struct AuthUser {
    /// The verified claims.
    pub claims: Arc<CognitoClaims>,
    /// The raw token (needed for GetUser and GlobalSignOut).
    pub token: Arc<str>,
}

impl<S> FromRequestParts<S> for AuthUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let state = AppState::from_ref(state);
        let user = match session_access_token(parts, &state).await? {
            // A session's token is always an access token, whichever the API prefers.
            Some(token) => AuthUser {
                claims: state
                    .access_verifier
                    .verify(&token)
                    .await
                    .map_err(AuthRejection::from)?,
                token,
            },
            None => {
                let token = bearer_token(&parts.headers)?;
                let claims = state
                    .verifier
                    .verify(token)
                    .await
                    .map_err(AuthRejection::from)?;
                AuthUser {
                    claims,
                    token: Arc::from(token),
                }
            }
        };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The header a cookie-authenticated request must carry (RFC 10017's recommendation: a
/// cross-site request with a custom header needs a CORS preflight, which the service does not
/// grant to foreign origins).
pub const CSRF_HEADER: &str = "x-csrf";

/// The access token of the request's BFF session, when it authenticates by cookie: no
/// `Authorization` header (a bearer token always wins), the BFF on, and its session cookie
/// present. Such a request must carry `X-CSRF: 1`.
async fn session_access_token(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<Arc<str>>, ApiError> {
    let Some(bff) = &state.bff else {
        return Ok(None);
    };
    if parts.headers.contains_key(AUTHORIZATION) {
        return Ok(None);
    }
    let https = bff.origin(&parts.headers, &parts.uri).https;
    let Some(session_id) = CookieKind::Session.read(&parts.headers, https) else {
        return Ok(None);
    };
    if parts.headers.get(CSRF_HEADER).map(|v| v.as_bytes()) != Some(b"1") {
        return Err(ApiError::CsrfHeaderRequired);
    }
    let session = bff.active(session_id).await?;
    Ok(Some(session.access_token))
}

/// A verified user together with the tenant they proved they belong to. Built only by its
/// extractor, from the resolver's [`ScopedTenant`].
#[derive(Clone, Debug)]
pub struct Tenant {
    /// The verified user.
    pub(crate) user: AuthUser,
    /// The tenant every store call of this request is scoped to.
    pub(crate) scope: ScopedTenant,
}

impl Tenant {
    /// The verified user.
    pub fn user(&self) -> &AuthUser {
        &self.user
    }

    /// The tenant every store call of this request is scoped to.
    pub fn scope(&self) -> &ScopedTenant {
        &self.scope
    }

    /// The caller's `sub`.
    pub fn sub(&self) -> &str {
        self.user.claims.sub()
    }
}

impl<S> FromRequestParts<S> for Tenant
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        let state = AppState::from_ref(state);
        let requested = requested_tenant(parts, &state)?;
        let scope = state
            .tenants
            .resolve(&user.claims, &user.token, requested)
            .await?;
        Ok(Tenant { user, scope })
    }
}

/// A verified user, and the tenant the request names if it names one, proven exactly as for
/// [`Tenant`]: for endpoints that need no tenant but must not answer for one the caller cannot
/// prove.
#[derive(Clone, Debug)]
pub struct TenantIfNamed {
    /// The verified user.
    pub(crate) user: AuthUser,
    /// The proven tenant, when the request named one.
    pub(crate) scope: Option<ScopedTenant>,
}

impl TenantIfNamed {
    /// The verified user.
    pub fn user(&self) -> &AuthUser {
        &self.user
    }

    /// The proven tenant, when the request named one.
    pub fn scope(&self) -> Option<&ScopedTenant> {
        self.scope.as_ref()
    }
}

impl<S> FromRequestParts<S> for TenantIfNamed
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        let state = AppState::from_ref(state);
        let requested = requested_tenant(parts, &state)?;
        let scope = state
            .tenants
            .resolve_if_named(&user.claims, &user.token, requested)
            .await?;
        Ok(TenantIfNamed { user, scope })
    }
}

/// What the request says about its tenant: the tenant header and the host.
fn requested_tenant<'p>(
    parts: &'p Parts,
    state: &AppState,
) -> Result<RequestedTenant<'p>, ApiError> {
    let config = state.tenants.config();
    // Two tenant headers could be read differently by a proxy and by us: refuse them.
    let mut values = parts.headers.get_all(&config.header).iter();
    let header = match (values.next(), values.next()) {
        (None, _) => None,
        (Some(value), None) => Some(value.to_str().map_err(|_| invalid_tenant())?),
        (Some(_), Some(_)) => return Err(invalid_tenant()),
    };
    let host = request_host(&parts.headers, &parts.uri);
    // A Host that is not even text names a tenant nobody can have: refused, not skipped.
    if host.is_none() && parts.headers.contains_key(HOST) && config.mode == TenantMode::Subdomain {
        return Err(invalid_tenant());
    }
    Ok(RequestedTenant { header, host })
}

/// The request's host: the `Host` header, else the URI's authority (HTTP/2 sends `:authority`).
/// The one reader of it, for `ALLOWED_HOSTS` and for subdomain tenants alike.
/// Read as UTF-8 rather than visible ASCII only, so that a non-ASCII subdomain reaches tenant
/// validation (and is refused there) instead of being skipped as if no tenant were named.
pub(crate) fn request_host<'r>(headers: &'r HeaderMap, uri: &'r Uri) -> Option<&'r str> {
    match headers.get(HOST) {
        Some(value) => std::str::from_utf8(value.as_bytes()).ok(),
        None => uri.host(),
    }
}

fn invalid_tenant() -> ApiError {
    ApiError::Tenant(crate::tenancy::TenantError::Invalid(
        crate::domain::tenant::TenantIdError::Character,
    ))
}

/// The client's IP: the socket peer, or the first untrusted hop of `X-Forwarded-For` when the
/// peer is a trusted proxy (`TRUSTED_PROXIES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let state = AppState::from_ref(state);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let trusted = |ip: &IpAddr| state.trusted_proxies.iter().any(|net| net.contains(ip));
        if !trusted(&peer) {
            return Ok(ClientIp(peer));
        }
        // Walk X-Forwarded-For from the right, skipping our own proxies.
        let forwarded: Vec<IpAddr> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        let client = forwarded
            .iter()
            .rev()
            .find(|ip| !trusted(ip))
            .or(forwarded.first())
            .copied()
            .unwrap_or(peer);
        Ok(ClientIp(client))
    }
}
