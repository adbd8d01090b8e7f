//! `POST /oauth2/token`: redeems an authorization code (single use, five minutes, bound to its
//! client, `redirect_uri` and PKCE challenge) or a refresh token (rotating it on a client whose
//! refresh tokens rotate).

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Form;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use super::client_auth;
use super::json::{
    self, OAuthError, INVALID_GRANT, INVALID_REQUEST, SERVER_ERROR, UNAUTHORIZED_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
};
use crate::auth::tokens::{self, Grant};
use crate::auth::{refresh, AuthenticationResult};
use crate::crypto::random;
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::error::CognitoError;
use crate::service::Services;

/// The form fields of a token request.
#[derive(Debug, Default, Deserialize)]
pub(super) struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// The token endpoint's answer (RFC 6749 §5.1); no `refresh_token` on a refresh unless the
/// client rotates them, no `id_token` without the `openid` scope.
#[derive(Debug, Serialize)]
struct TokenResponse {
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    token_type: &'static str,
    expires_in: i64,
}

impl From<AuthenticationResult> for TokenResponse {
    fn from(result: AuthenticationResult) -> Self {
        Self {
            access_token: result.access_token,
            id_token: result.id_token,
            refresh_token: result.refresh_token,
            token_type: result.token_type,
            expires_in: result.expires_in,
        }
    }
}

/// Issues tokens for a grant; every failure is an OAuth error.
pub(super) async fn post(
    State(services): State<Services>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return INVALID_REQUEST.into_response();
    };
    match grant(&services, &headers, &form).await {
        Ok(result) => json::ok(&TokenResponse::from(result)),
        Err(error) => error.into_response(),
    }
}

/// Authenticates the client and redeems the grant it presents.
async fn grant(
    services: &Services,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<AuthenticationResult, OAuthError> {
    let id = form.client_id.as_deref();
    let (pool, client) =
        client_auth::authenticate(services, headers, id, form.client_secret.as_deref()).await?;
    match form.grant_type.as_deref() {
        Some("authorization_code") => redeem_code(services, &pool, &client, form).await,
        Some("refresh_token") => redeem_refresh(services, &pool, &client, form).await,
        Some("client_credentials") => Err(UNAUTHORIZED_CLIENT),
        Some(_) => Err(UNSUPPORTED_GRANT_TYPE),
        None => Err(INVALID_REQUEST),
    }
}

/// Our own failures are server errors; refusals of the grant are `invalid_grant`.
fn grant_error(error: CognitoError) -> OAuthError {
    if error.is_internal() {
        SERVER_ERROR
    } else {
        INVALID_GRANT
    }
}

/// True when `verifier` hashes (S256) to `challenge`.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

async fn redeem_code(
    services: &Services,
    pool: &Pool,
    client: &Client,
    form: &TokenForm,
) -> Result<AuthenticationResult, OAuthError> {
    let code = form.code.as_deref().ok_or(INVALID_REQUEST)?;
    let now = services.now();
    let record = services
        .store()
        .take_code(&random::token_hash(code), now)
        .await
        .map_err(|_| SERVER_ERROR)?
        .ok_or(INVALID_GRANT)?;
    let verifier_ok = match (&record.code_challenge, form.code_verifier.as_deref()) {
        (Some(challenge), Some(verifier)) => pkce_matches(verifier, challenge),
        (None, None) => true,
        _ => false,
    };
    if record.expires_at < now
        || record.client_id != client.id
        || form.redirect_uri.as_deref() != Some(record.redirect_uri.as_str())
        || !verifier_ok
    {
        return Err(INVALID_GRANT);
    }
    let user = services
        .store()
        .user(&pool.id, &record.username)
        .await
        .map_err(|_| SERVER_ERROR)?
        .filter(|user| user.enabled)
        .ok_or(INVALID_GRANT)?;
    let grant = Grant {
        scopes: Some(&record.scopes),
        nonce: record.nonce.as_deref(),
        auth_time: Some(record.auth_time),
    };
    tokens::issue_new(services, pool, client, &user, grant)
        .await
        .map_err(grant_error)
}

async fn redeem_refresh(
    services: &Services,
    pool: &Pool,
    client: &Client,
    form: &TokenForm,
) -> Result<AuthenticationResult, OAuthError> {
    let token = form.refresh_token.as_deref().ok_or(INVALID_REQUEST)?;
    let family = refresh::find_family(services, pool, client, token)
        .await
        .map_err(grant_error)?;
    refresh::refreshed(services, pool, client, &family)
        .await
        .map_err(grant_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_compares_the_base64url_sha256_of_the_verifier() {
        // Expected value computed independently (Python hashlib + urlsafe_b64encode).
        let verifier = "dBjftJeZ4CVP-mJ0kvCN64wc4CvgKRFlL4AmD8xL6uM";
        assert!(pkce_matches(
            verifier,
            "Nr0WijYX0fmvyApyxOm2W038_DQytZuvnGmrp_Zw9L4"
        ));
        assert!(!pkce_matches(
            "wrong",
            "Nr0WijYX0fmvyApyxOm2W038_DQytZuvnGmrp_Zw9L4"
        ));
    }
}
