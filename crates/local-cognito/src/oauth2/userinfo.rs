//! `GET|POST /oauth2/userInfo`: the signed-in user's readable attributes for an access token
//! with the `openid` scope. Booleans come back as the strings "true"/"false", as Cognito sends
//! them. A bad, expired or revoked token is a 401 with `WWW-Authenticate`.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::json;
use crate::auth;
use crate::service::Services;

fn invalid_token() -> Response {
    let mut response = (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "error": "invalid_token", "error_description": "Access token is invalid, expired or revoked" }).to_string(),
    )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The claims of the token's user.
pub(super) async fn handle(State(services): State<Services>, headers: HeaderMap) -> Response {
    match claims(&services, &headers).await {
        Ok(claims) => json::ok(&Value::Object(claims)),
        Err(response) => response,
    }
}

async fn claims(services: &Services, headers: &HeaderMap) -> Result<Map<String, Value>, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .ok_or_else(invalid_token)?;
    let (_, user, family) = auth::authenticate(services, token.trim(), "openid")
        .await
        .map_err(|error| {
            if error.is_internal() {
                json::SERVER_ERROR.into_response()
            } else {
                invalid_token()
            }
        })?;
    let client = match services.store().client(&family.client_id).await {
        Ok(Some(client)) => client,
        _ => return Err(invalid_token()),
    };
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(user.sub));
    for (name, value) in auth::readable(&client, &user) {
        claims.insert(name.clone(), json!(value));
    }
    claims.insert("username".into(), json!(user.username));
    Ok(claims)
}
