//! `/auth/*`: the Backend-for-Frontend's browser sign-in (see [`crate::bff`] for the flow).
//! Present only when the BFF is configured; the console at `/` uses it.

use axum::extract::{OriginalUri, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorBody};
use super::extract::{AppJson, AppQuery, CSRF_HEADER};
use super::request_id;
use crate::account_audit;
use crate::bff::{Bff, CookieKind, LOGIN_MAX_AGE_SECS};
use crate::domain::membership::AuditAction;
use crate::state::AppState;
use crate::tenancy::ScopedTenant;

/// The `/auth/*` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(login))
        .route("/auth/callback", get(callback))
        .route("/auth/session", get(session))
        .route("/auth/logout", post(logout))
}

fn bff(state: &AppState) -> Result<&Bff, ApiError> {
    state.bff.as_ref().ok_or(ApiError::NotFound)
}

/// `GET /auth/login`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginQuery {
    /// A path on this site to land on after signing in (default `/`); anything else is refused.
    #[param(example = "/")]
    pub return_to: Option<String>,
}

/// Start a browser sign-in: redirects to the Hosted UI (code flow, PKCE S256, state, nonce),
/// with the login round trip sealed in a short-lived cookie.
#[utoipa::path(get, path = "/auth/login", operation_id = "bff_login", tag = "session",
    params(LoginQuery),
    responses(
        (status = 303, description = "To the Hosted UI's authorization endpoint; sets the login cookie"),
        (status = 400, description = "return_to is not a path on this site", body = ErrorBody),
        (status = 404, description = "The BFF is not configured", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    AppQuery(query): AppQuery<LoginQuery>,
) -> Result<Response, ApiError> {
    let bff = bff(&state)?;
    let origin = bff.origin(&headers, &uri);
    let started = bff.start_login(origin, query.return_to.as_deref())?;
    let cookie = CookieKind::Login.set(origin.https, &started.cookie, Some(LOGIN_MAX_AGE_SECS));
    Ok(redirect(&started.authorize_url, &[cookie]))
}

/// `GET /auth/callback`'s query, as the Hosted UI sends it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The state sent at login.
    pub state: Option<String>,
    /// An OAuth error instead of a code (e.g. `access_denied`).
    pub error: Option<String>,
}

/// Where the Hosted UI sends the browser back: checks the state against the login cookie,
/// exchanges the code with the client secret and PKCE verifier, checks the id token and its
/// nonce, starts a new session (a new id: a session cookie the browser had is never adopted)
/// and redirects to the return path.
#[utoipa::path(get, path = "/auth/callback", operation_id = "bff_callback", tag = "session",
    params(CallbackQuery),
    responses(
        (status = 303, description = "Signed in: to the return path, with the session cookie"),
        (status = 400, description = "No login in progress, state mismatch, code refused or id token refused", body = ErrorBody),
        (status = 404, description = "The BFF is not configured", body = ErrorBody),
        (status = 503, description = "The Hosted UI or the database is unavailable", body = ErrorBody),
    ))]
async fn callback(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    AppQuery(query): AppQuery<CallbackQuery>,
) -> Result<Response, ApiError> {
    let bff = bff(&state)?;
    let origin = bff.origin(&headers, &uri);
    let clear_login = CookieKind::Login.clear(origin.https);
    let (Some(code), Some(state_param), None) = (&query.code, &query.state, &query.error) else {
        let mut response = ApiError::LoginFailed.into_response();
        response.headers_mut().append(SET_COOKIE, clear_login);
        return Ok(response);
    };
    let login_cookie = CookieKind::Login.read(&headers, origin.https);
    match bff.finish_login(login_cookie, state_param, code).await {
        Ok(signed_in) => {
            let (action, request_id) = (AuditAction::SignedIn, request_id::of(&headers));
            let (claims, token) = (&signed_in.claims, &signed_in.id_token);
            account_audit::record(&state, claims, token, action, Some("browser"), request_id).await;
            let session = CookieKind::Session.set(
                origin.https,
                &signed_in.session_id,
                Some(signed_in.max_age),
            );
            Ok(redirect(&signed_in.return_to, &[clear_login, session]))
        }
        Err(err) => {
            let mut response = ApiError::from(err).into_response();
            response.headers_mut().append(SET_COOKIE, clear_login);
            Ok(response)
        }
    }
}

/// Who is signed in with this browser's session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionOut {
    /// The person's `sub`.
    pub sub: String,
    /// Their email.
    pub email: String,
    /// Their home tenant, when their id token names one.
    pub tenant: Option<String>,
    /// When the session ends at the latest (epoch seconds).
    pub expires_at: i64,
    /// When it ends if unused from now (epoch seconds).
    pub idle_expires_at: i64,
}

/// The signed-in person of this browser's session (no tokens: they never leave the server).
#[utoipa::path(get, path = "/auth/session", operation_id = "bff_session", tag = "session",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The session", body = SessionOut),
        (status = 401, description = "No session (session_required) or it ended (session_expired)", body = ErrorBody),
        (status = 404, description = "The BFF is not configured", body = ErrorBody),
        (status = 503, description = "The database is unavailable", body = ErrorBody),
    ))]
async fn session(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let bff = bff(&state)?;
    let origin = bff.origin(&headers, &uri);
    let id = CookieKind::Session
        .read(&headers, origin.https)
        .ok_or(ApiError::SessionRequired)?;
    let info = bff.info(id).await?;
    let mut response = AppJson(SessionOut {
        sub: info.sub,
        email: info.email,
        tenant: info.tenant,
        expires_at: info.expires_at,
        idle_expires_at: info.idle_expires_at,
    })
    .into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Where to go after signing out (a JSON caller follows it itself).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LogoutOut {
    /// The Hosted UI's `/logout`, which ends its own session and comes back to `/`.
    pub redirect: String,
}

/// End this browser's session and sign its person out everywhere (refresh token revoked, every
/// token issued before now refused by the API, every other session of theirs ended), then go
/// through the Hosted UI's `/logout`. A form post (no `X-CSRF`) must come from this origin.
#[utoipa::path(post, path = "/auth/logout", operation_id = "bff_logout", tag = "session",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "With `X-CSRF: 1`: signed out; the Hosted UI sign-out URL to visit", body = LogoutOut),
        (status = 303, description = "A form post: signed out, to the Hosted UI's /logout"),
        (status = 403, description = "A form post from another origin", body = ErrorBody),
        (status = 404, description = "The BFF is not configured", body = ErrorBody),
        (status = 503, description = "Cognito or the database is unavailable", body = ErrorBody),
    ))]
async fn logout(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let bff = bff(&state)?;
    let origin = bff.origin(&headers, &uri);
    let with_header = headers.get(CSRF_HEADER).map(|v| v.as_bytes()) == Some(b"1");
    // A form cannot set the header; it must then show that it comes from this origin.
    let same_origin = headers
        .get("origin")
        .and_then(|o| o.to_str().ok())
        .is_some_and(|o| format!("{o}/") == origin.landing);
    if !with_header && !same_origin {
        return Err(ApiError::CsrfHeaderRequired);
    }
    if let Some(id) = CookieKind::Session.read(&headers, origin.https) {
        let (action, request_id) = (AuditAction::SignedOut, request_id::of(&headers));
        let person = signed_in_person(&state, bff, id, request_id).await;
        bff.logout(id).await?;
        if let Some((sub, home)) = person {
            account_audit::record_in(&state, home.as_ref(), &sub, action, None, request_id).await;
        }
    }
    let target = bff.logout_url(&origin.landing);
    let clear = CookieKind::Session.clear(origin.https);
    if with_header {
        let mut response = AppJson(LogoutOut { redirect: target }).into_response();
        response.headers_mut().append(SET_COOKIE, clear);
        return Ok(response);
    }
    Ok(redirect(&target, &[clear]))
}

/// Who the session `id` belongs to and their home tenant, read before the logout ends the
/// session (and with it the token that reads them); `None` for a session already over.
async fn signed_in_person(
    state: &AppState,
    bff: &Bff,
    id: &str,
    request_id: &str,
) -> Option<(String, Option<ScopedTenant>)> {
    let session = bff.active(id).await.ok()?;
    let token = &session.access_token;
    let claims = state.access_verifier.verify(token).await.ok()?;
    let home = account_audit::home(state, &claims, token, AuditAction::SignedOut, request_id).await;
    Some((claims.sub().to_owned(), home))
}

/// `303 See Other` to `location`, setting `cookies`; never cached.
fn redirect(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(LOCATION, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie.clone());
    }
    response
}
