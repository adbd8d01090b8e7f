//! Refreshing: new access and id tokens from a stored, unrevoked refresh token, through
//! REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken or the token endpoint.

use std::collections::BTreeMap;

use super::{disabled, required, secret, tokens, AuthResponse, AuthenticationResult};
use crate::crypto::random;
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::RefreshFamily;

fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid Refresh Token")
}

/// The family of `token`, which must have been issued to `client` of `pool`.
pub(crate) async fn find_family(
    services: &Services,
    pool: &Pool,
    client: &Client,
    token: &str,
) -> Result<RefreshFamily, CognitoError> {
    let family = services
        .store()
        .refresh_by_hash(&random::token_hash(token))
        .await?
        .ok_or_else(invalid)?;
    if family.client_id != client.id || family.pool_id != pool.id {
        return Err(invalid());
    }
    Ok(family)
}

/// Checks that the family may still refresh (not revoked, not expired, not rotated away for
/// longer than the grace period) and returns its enabled user.
pub(crate) async fn live_user(
    services: &Services,
    pool: &Pool,
    client: &Client,
    family: &RefreshFamily,
) -> Result<User, CognitoError> {
    let now = services.now();
    if family.revoked {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    if family.expires_at < now {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    if let Some(rotated_at) = family.rotated_at {
        let grace = client.settings.oauth.rotation_grace().unwrap_or(0);
        if now > rotated_at + grace {
            return Err(invalid());
        }
    }
    let user = services
        .store()
        .user(&pool.id, &family.username)
        .await?
        .ok_or_else(invalid)?;
    if !user.enabled {
        return Err(disabled());
    }
    Ok(user)
}

/// Checks the family and issues the refreshed tokens (rotating when the client rotates).
pub(crate) async fn refreshed(
    services: &Services,
    pool: &Pool,
    client: &Client,
    family: &RefreshFamily,
) -> Result<AuthenticationResult, CognitoError> {
    let user = live_user(services, pool, client, family).await?;
    tokens::issue_refreshed(services, pool, client, &user, family).await
}

/// Refreshes with `REFRESH_TOKEN` (and `SECRET_HASH` over the internal username).
pub(crate) async fn refresh(
    services: &Services,
    pool: &Pool,
    client: &Client,
    parameters: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    if client.settings.oauth.rotation_grace().is_some() {
        return Err(CognitoError::not_authorized(
            "Refresh token rotation is enabled for this app client; use GetTokensFromRefreshToken.",
        ));
    }
    let token = required(parameters, "REFRESH_TOKEN")?;
    let family = find_family(services, pool, client, token).await?;
    // Cognito computes the refresh secret hash over the internal username (a UUID in email
    // pools), not over whatever the client signed in with.
    secret::check(client, &family.username, parameters.get("SECRET_HASH"))?;
    Ok(AuthResponse {
        authentication_result: Some(refreshed(services, pool, client, &family).await?),
        ..AuthResponse::default()
    })
}
