//! `POST /oauth2/revoke`: revokes a refresh token, every generation of it, and the access
//! tokens issued from it (RFC 7009, as RevokeToken): 200 with an empty body, for an unknown
//! token too.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::client_auth;
use super::json::{
    self, OAuthError, INVALID_REQUEST, SERVER_ERROR, UNAUTHORIZED_CLIENT, UNSUPPORTED_TOKEN_TYPE,
};
use crate::crypto::random;
use crate::service::Services;

/// The form fields of a revocation request.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RevokeForm {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Revokes the token's sign-in when it belongs to the authenticated client.
pub(super) async fn post(
    State(services): State<Services>,
    headers: HeaderMap,
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return INVALID_REQUEST.into_response();
    };
    match revoke(&services, &headers, &form).await {
        Ok(()) => json::empty(),
        Err(error) => error.into_response(),
    }
}

async fn revoke(
    services: &Services,
    headers: &HeaderMap,
    form: &RevokeForm,
) -> Result<(), OAuthError> {
    let id = form.client_id.as_deref();
    let (_, client) =
        client_auth::authenticate(services, headers, id, form.client_secret.as_deref()).await?;
    let token = form.token.as_deref().ok_or(INVALID_REQUEST)?;
    // Only refresh tokens can be revoked; access and id tokens are JWTs.
    if !client.settings.enable_token_revocation || token.split('.').count() == 3 {
        return Err(UNSUPPORTED_TOKEN_TYPE);
    }
    let store = services.store();
    let family = store
        .refresh_by_hash(&random::token_hash(token))
        .await
        .map_err(|_| SERVER_ERROR)?;
    match family {
        None => Ok(()),
        Some(family) if family.client_id != client.id => Err(UNAUTHORIZED_CLIENT),
        Some(family) => store.revoke_family(&family).await.map_err(|_| SERVER_ERROR),
    }
}
