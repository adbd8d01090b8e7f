//! `/api/user/*`: sign-in, the first-login password change, refresh and sign-out.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use cognito_verify::{bearer_token, AuthRejection, VerifyError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{AppJson, ClientIp};
use super::request_id;
use super::routes::RouterExt;
use crate::account_audit;
use crate::cognito::{LoginOutcome, Tokens};
use crate::domain::membership::AuditAction;
use crate::state::AppState;

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginIn {
    /// The user's email address.
    #[schema(
        example = "alice@example.com",
        min_length = 1,
        max_length = 256,
        pattern = r"\S"
    )]
    pub email: String,
    /// The user's password (temporary on first sign-in).
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
}

/// Tokens, or the NEW_PASSWORD_REQUIRED challenge.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct LoginOut {
    /// Access token (JWT); send as `Authorization: Bearer`.
    pub access_token: Option<String>,
    /// Id token (JWT).
    pub id_token: Option<String>,
    /// Refresh token (opaque).
    pub refresh_token: Option<String>,
    /// Access token lifetime in seconds.
    pub expires_in: Option<i32>,
    /// `Bearer`.
    pub token_type: Option<String>,
    /// `NEW_PASSWORD_REQUIRED` on first sign-in with a temporary password.
    #[schema(example = "NEW_PASSWORD_REQUIRED")]
    pub challenge: Option<String>,
    /// Session to send to `/api/user/new-password` (valid 3 minutes, once).
    pub session: Option<String>,
}

impl From<Tokens> for LoginOut {
    fn from(tokens: Tokens) -> Self {
        Self {
            access_token: Some(tokens.access_token),
            id_token: tokens.id_token,
            refresh_token: tokens.refresh_token,
            expires_in: Some(tokens.expires_in),
            token_type: Some(tokens.token_type),
            ..Self::default()
        }
    }
}

/// Answer to the NEW_PASSWORD_REQUIRED challenge.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPasswordIn {
    /// The email the user signed in with.
    #[schema(min_length = 1, max_length = 256, pattern = r"\S")]
    pub email: String,
    /// The new permanent password.
    #[schema(min_length = 1, max_length = 256)]
    pub new_password: String,
    /// The session returned by `/api/user/login`.
    #[schema(min_length = 1, max_length = 4096)]
    pub session: String,
}

/// A refresh token, and the username when the app client has a secret.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshIn {
    /// The refresh token from sign-in.
    #[schema(min_length = 1, max_length = 8192)]
    pub refresh_token: String,
    /// The email (or Cognito username); required only when the app client has a secret.
    pub username: Option<String>,
}

/// `{"ok": true}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SimpleOk {
    /// Always true.
    pub ok: bool,
}

/// The `/api/user` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route_both("/api/user/login", post(login))
        .route_both("/api/user/new-password", post(new_password))
        .route_both("/api/user/refresh", post(refresh))
        .route_both("/api/user/logout", post(logout))
}

/// Takes one sign-in attempt for `ip` and `account`, answering 429 when over the limit.
fn throttle(state: &AppState, ip: std::net::IpAddr, account: Option<&str>) -> Result<(), ApiError> {
    state.throttle.check(ip, account).map_err(|refused| {
        state.metrics.throttled();
        ApiError::TooManyRequests {
            retry_after: refused.retry_after,
        }
    })
}

fn required(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.is_empty() {
        return Err(ApiError::BadRequest(format!("{field} is required")));
    }
    if value.chars().count() > max {
        return Err(ApiError::BadRequest(format!("{field} is too long")));
    }
    Ok(())
}

/// Sign in with email and password (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH).
#[utoipa::path(post, path = "/api/user/login", operation_id = "login", tag = "user", request_body = LoginIn,
    responses(
        (status = 200, description = "Tokens, or the NEW_PASSWORD_REQUIRED challenge", body = LoginOut),
        (status = 400, description = "Invalid email or password, or a malformed body", body = ErrorBody),
        (status = 429, description = "Too many attempts (see Retry-After)", body = ErrorBody),
        (status = 503, description = "Cognito unavailable", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    AppJson(body): AppJson<LoginIn>,
) -> Result<AppJson<LoginOut>, ApiError> {
    required("email", body.email.trim(), 256)?;
    required("password", &body.password, 256)?;
    let email = body.email.trim();
    throttle(&state, ip, Some(email))?;
    let outcome = state.cognito.login(email, &body.password).await;
    state
        .metrics
        .login(outcome.as_ref().map(|_| ()).map_err(|e| e.clone()));
    Ok(AppJson(match outcome? {
        LoginOutcome::Tokens(tokens) => {
            signed_in(&state, &tokens, "password", &headers).await;
            tokens.into()
        }
        LoginOutcome::NewPasswordRequired { session } => LoginOut {
            challenge: Some("NEW_PASSWORD_REQUIRED".into()),
            session: Some(session),
            ..LoginOut::default()
        },
    }))
}

/// Set a permanent password after the first sign-in (AdminRespondToAuthChallenge).
#[utoipa::path(post, path = "/api/user/new-password", operation_id = "set_new_password", tag = "user", request_body = NewPasswordIn,
    responses(
        (status = 200, description = "Tokens", body = LoginOut),
        (status = 400, description = "Invalid session, or the password breaks the policy (the message names the rule)", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
        (status = 503, description = "Cognito unavailable", body = ErrorBody),
    ))]
async fn new_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    AppJson(body): AppJson<NewPasswordIn>,
) -> Result<AppJson<LoginOut>, ApiError> {
    required("email", body.email.trim(), 256)?;
    required("new_password", &body.new_password, 256)?;
    required("session", &body.session, 4096)?;
    let email = body.email.trim();
    throttle(&state, ip, Some(email))?;
    let tokens = state
        .cognito
        .complete_new_password(email, &body.new_password, &body.session)
        .await?;
    signed_in(&state, &tokens, "new_password", &headers).await;
    Ok(AppJson(tokens.into()))
}

/// Records a sign-in in the person's home tenant's audit log, from the id token just issued.
async fn signed_in(state: &AppState, tokens: &Tokens, how: &str, headers: &HeaderMap) {
    let (Some(claims), Some(id_token)) = (tokens.issued_id_claims(), tokens.id_token.as_deref())
    else {
        return;
    };
    let request_id = request_id::of(headers);
    account_audit::record(
        state,
        &claims,
        id_token,
        AuditAction::SignedIn,
        Some(how),
        request_id,
    )
    .await;
}

/// New access and id tokens from a refresh token (REFRESH_TOKEN_AUTH, or GetTokensFromRefreshToken
/// when the app client rotates refresh tokens: then the response carries the new one).
#[utoipa::path(post, path = "/api/user/refresh", operation_id = "refresh_tokens", tag = "user", request_body = RefreshIn,
    responses(
        (status = 200, description = "New tokens (the refresh token stays the same unless rotation is on)", body = LoginOut),
        (status = 400, description = "Invalid, expired or revoked refresh token; or username missing with a client secret", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
        (status = 503, description = "Cognito unavailable", body = ErrorBody),
    ))]
async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(body): AppJson<RefreshIn>,
) -> Result<AppJson<LoginOut>, ApiError> {
    required("refresh_token", &body.refresh_token, 8192)?;
    let username = body
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    throttle(&state, ip, username)?;
    let internal = internal_username(&state, username).await?;
    let tokens = state
        .cognito
        .refresh_any(&body.refresh_token, internal.as_deref())
        .await?;
    Ok(AppJson(tokens.into()))
}

/// The Cognito username to compute SECRET_HASH with on refresh: Cognito's internal one, not the
/// email signed in with; `None` when the app client has no secret.
async fn internal_username(
    state: &AppState,
    username: Option<&str>,
) -> Result<Option<String>, ApiError> {
    match (state.cognito.has_secret(), username) {
        (false, _) => Ok(None),
        (true, None) => Err(ApiError::BadRequest(
            "username is required when the app client has a secret".into(),
        )),
        (true, Some(username)) => match state.cognito.lookup(username).await {
            Ok((internal, _)) => Ok(Some(internal)),
            Err(crate::cognito::CognitoError::UserNotFound) => Err(ApiError::InvalidRefreshToken),
            Err(other) => Err(other.into()),
        },
    }
}

/// Sign out everywhere (GlobalSignOut): refresh tokens stop working at once, and so do access
/// and id tokens issued before now, on every instance.
#[utoipa::path(post, path = "/api/user/logout", operation_id = "logout", tag = "user", security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed out (also when the token was already revoked)", body = SimpleOk),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "Cognito unavailable", body = ErrorBody),
    ))]
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<AppJson<SimpleOk>, ApiError> {
    let token = bearer_token(&headers)?;
    let claims = match state.access_verifier.verify(token).await {
        Ok(claims) => claims,
        // Signed out already: logging out again is a success.
        Err(VerifyError::Revoked) => return Ok(AppJson(SimpleOk { ok: true })),
        Err(other) => return Err(AuthRejection::from(other).into()),
    };
    // The home tenant is read first: once signed out, the token can no longer read its user.
    let request_id = request_id::of(&headers);
    let (action, sub) = (AuditAction::SignedOut, claims.sub());
    let home = account_audit::home(&state, &claims, token, action, request_id).await;
    state.cognito.sign_out_bearer(token, &claims).await?;
    state.sign_outs.sign_out(sub).await?;
    account_audit::record_in(&state, home.as_ref(), sub, action, None, request_id).await;
    Ok(AppJson(SimpleOk { ok: true }))
}
