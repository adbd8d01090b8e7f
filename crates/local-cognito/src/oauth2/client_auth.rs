//! Client authentication at the token and revoke endpoints: none for public clients,
//! `client_secret_basic` (credentials form-url-encoded per RFC 6749 §2.3.1, or raw as some
//! clients send them; both accepted) or `client_secret_post` for clients with a secret.

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use subtle::ConstantTimeEq as _;

use super::json::{OAuthError, INVALID_CLIENT, INVALID_REQUEST, SERVER_ERROR, UNAUTHORIZED_CLIENT};
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::service::Services;

/// Decodes one form-url-encoded component (`+` is a space).
fn form_decode(value: &str) -> String {
    url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, decoded)| decoded.into_owned())
        .unwrap_or_default()
}

/// The `(id, secret)` of an `Authorization: Basic` header, raw and decoded.
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| INVALID_CLIENT)?;
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return Err(INVALID_CLIENT);
    };
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| INVALID_CLIENT)?;
    let decoded = String::from_utf8(decoded).map_err(|_| INVALID_CLIENT)?;
    let (id, secret) = decoded.split_once(':').ok_or(INVALID_CLIENT)?;
    Ok(Some((id.to_owned(), secret.to_owned())))
}

fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Authenticates the client of a token or revoke request; it must be allowed the Hosted UI.
pub(super) async fn authenticate(
    services: &Services,
    headers: &HeaderMap,
    body_id: Option<&str>,
    body_secret: Option<&str>,
) -> Result<(Pool, Client), OAuthError> {
    let basic = basic(headers)?;
    let (id, secret) = match (&basic, body_id) {
        (Some((id, secret)), _) => (id.as_str(), Some(secret.as_str())),
        (None, Some(id)) => (id, body_secret),
        (None, None) => return Err(INVALID_REQUEST),
    };
    let client = match services.store().client(id).await {
        Ok(Some(client)) => client,
        Ok(None) if basic.is_some() => match services.store().client(&form_decode(id)).await {
            Ok(Some(client)) => client,
            Ok(None) => return Err(INVALID_CLIENT),
            Err(_) => return Err(SERVER_ERROR),
        },
        Ok(None) => return Err(INVALID_CLIENT),
        Err(_) => return Err(SERVER_ERROR),
    };
    if body_id.is_some_and(|body_id| body_id != client.id) {
        return Err(INVALID_CLIENT);
    }
    if let Some(expected) = &client.secret {
        let given = secret.ok_or(INVALID_CLIENT)?;
        if !same(expected, given) && !same(expected, &form_decode(given)) {
            return Err(INVALID_CLIENT);
        }
    }
    if !client.settings.oauth.code_flow_enabled() {
        return Err(UNAUTHORIZED_CLIENT);
    }
    let pool = match services.store().pool(&client.pool_id).await {
        Ok(Some(pool)) => pool,
        _ => return Err(SERVER_ERROR),
    };
    Ok((pool, client))
}
