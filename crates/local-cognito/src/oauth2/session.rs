//! The Hosted UI session (a cookie per pool, one hour, as Cognito's) and the last step of every
//! sign-in: an authorization code sent back to the client.

use axum::http::HeaderMap;
use axum::response::Response;

use super::page;
use super::request::{with_query, Authorization};
use crate::crypto::random;
use crate::domain::user::{User, UserStatus};
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::{AuthorizationCode, HostedSession};

/// How long a Hosted UI session lasts, in seconds.
const SESSION_TTL: i64 = 3_600;
/// How long an authorization code lives, in seconds.
const CODE_TTL: i64 = 300;

/// The session cookie's name for a pool (each pool has its own domain in Cognito).
pub(super) fn cookie_name(pool_id: &str) -> String {
    format!("cognito-{pool_id}")
}

/// True when the provider is served over https (cookies get `Secure`).
pub(super) fn https(services: &Services) -> bool {
    services.base_url.starts_with("https://")
}

/// The user signed in to this pool in this browser, with when they signed in.
pub(super) async fn signed_in(
    services: &Services,
    headers: &HeaderMap,
    pool_id: &str,
) -> Result<Option<(User, i64)>, CognitoError> {
    let Some(value) = page::cookie(headers, &cookie_name(pool_id)) else {
        return Ok(None);
    };
    let store = services.store();
    let Some(session) = store
        .hosted_session(&random::token_hash(value), services.now())
        .await?
        .filter(|session| session.pool_id == pool_id)
    else {
        return Ok(None);
    };
    let user = store.user(pool_id, &session.username).await?;
    Ok(user
        .filter(|user| user.enabled && user.status == UserStatus::Confirmed)
        .map(|user| (user, session.auth_time)))
}

/// Issues a code for `user` and redirects to the client. `auth_time` is that of the live
/// session that was reused; `None` means the user just signed in, which starts a session.
pub(super) async fn complete(
    services: &Services,
    authorization: &Authorization,
    user: &User,
    auth_time: Option<i64>,
) -> Result<Response, CognitoError> {
    let now = services.now();
    let code = random::opaque_token();
    let record = AuthorizationCode {
        pool_id: authorization.pool.id.clone(),
        client_id: authorization.client.id.clone(),
        username: user.username.clone(),
        redirect_uri: authorization.redirect_uri.clone(),
        scopes: authorization.scopes.clone(),
        code_challenge: authorization.code_challenge.clone(),
        nonce: authorization.nonce.clone(),
        auth_time: auth_time.unwrap_or(now),
        expires_at: now + CODE_TTL,
    };
    services
        .store()
        .insert_code(&random::token_hash(&code), &record)
        .await?;
    let mut params = vec![("code", code.as_str())];
    if let Some(state) = authorization.state.as_deref() {
        params.push(("state", state));
    }
    let mut response = page::redirect(&with_query(&authorization.redirect_uri, &params));
    if auth_time.is_none() {
        let value = random::opaque_token();
        let session = HostedSession {
            pool_id: authorization.pool.id.clone(),
            username: user.username.clone(),
            auth_time: now,
            expires_at: now + SESSION_TTL,
        };
        services
            .store()
            .insert_hosted_session(&random::token_hash(&value), &session)
            .await?;
        let name = cookie_name(&authorization.pool.id);
        page::set_cookie(&mut response, &name, &value, SESSION_TTL, https(services));
    }
    Ok(response)
}
