//! `POST /oauth2/revoke`: revokes a refresh token, every generation of it, and the access
//! tokens issued from it (RFC 7009, as RevokeToken). An unknown token answers 200 too.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::client_auth;
use super::json::{
    self, INVALID_REQUEST, SERVER_ERROR, UNAUTHORIZED_CLIENT, UNSUPPORTED_TOKEN_TYPE,
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
    let (_, client) = match client_auth::authenticate(
        &services,
        &headers,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await
    {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let Some(token) = form.token.as_deref() else {
        return INVALID_REQUEST.into_response();
    };
    if !client.settings.enable_token_revocation || token.split('.').count() == 3 {
        return UNSUPPORTED_TOKEN_TYPE.into_response();
    }
    let store = services.store();
    match store.refresh_by_hash(&random::token_hash(token)).await {
        Ok(None) => json::ok(&serde_json::json!({})),
        Ok(Some(family)) if family.client_id != client.id => UNAUTHORIZED_CLIENT.into_response(),
        Ok(Some(family)) => match store.revoke_family(&family).await {
            Ok(()) => json::ok(&serde_json::json!({})),
            Err(_) => SERVER_ERROR.into_response(),
        },
        Err(_) => SERVER_ERROR.into_response(),
    }
}
