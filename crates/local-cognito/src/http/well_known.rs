//! `/{poolId}/.well-known/jwks.json` and `openid-configuration`; the issuer equals the `iss`
//! of the pool's tokens; the endpoints are the Hosted UI's on this listener.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::service::Services;

async fn pool_exists(services: &Services, pool_id: &str) -> Result<(), Response> {
    match services.store().pool(pool_id).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err((
            StatusCode::NOT_FOUND,
            Json(json!({ "message": format!("User pool {pool_id} does not exist.") })),
        )
            .into_response()),
        Err(error) => {
            tracing::error!(%error, "pool lookup failed");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// The pool's signing keys.
pub(super) async fn jwks(
    State(services): State<Services>,
    Path(pool_id): Path<String>,
) -> Response {
    if let Err(response) = pool_exists(&services, &pool_id).await {
        return response;
    }
    Json(services.core.keys.jwks()).into_response()
}

/// The pool's OpenID provider metadata.
pub(super) async fn openid_configuration(
    State(services): State<Services>,
    Path(pool_id): Path<String>,
) -> Response {
    if let Err(response) = pool_exists(&services, &pool_id).await {
        return response;
    }
    let issuer = services.issuer(&pool_id);
    // The Hosted UI lives on the pool's domain, which locally is this listener's root.
    let domain = &services.base_url;
    Json(json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "authorization_endpoint": format!("{domain}/oauth2/authorize"),
        "token_endpoint": format!("{domain}/oauth2/token"),
        "userinfo_endpoint": format!("{domain}/oauth2/userInfo"),
        "revocation_endpoint": format!("{domain}/oauth2/revoke"),
        "end_session_endpoint": format!("{domain}/logout"),
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "claims_supported": ["sub", "iss", "aud", "email", "email_verified", "cognito:username", "cognito:groups", "nonce", "at_hash", "auth_time"],
    }))
    .into_response()
}
