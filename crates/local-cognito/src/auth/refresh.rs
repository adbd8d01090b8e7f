//! REFRESH_TOKEN_AUTH: new access and id tokens from a stored, unrevoked refresh token.

use std::collections::BTreeMap;

use super::{disabled, required, secret, tokens, AuthResponse};
use crate::crypto::random;
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::error::CognitoError;
use crate::service::Services;

fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid Refresh Token")
}

/// Refreshes with `REFRESH_TOKEN` (and `SECRET_HASH` over the internal username).
pub(crate) async fn refresh(
    services: &Services,
    pool: &Pool,
    client: &Client,
    parameters: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    let token = required(parameters, "REFRESH_TOKEN")?;
    let family = services
        .store()
        .refresh_by_hash(&random::token_hash(token))
        .await?
        .ok_or_else(invalid)?;
    if family.client_id != client.id || family.pool_id != pool.id {
        return Err(invalid());
    }
    // Cognito computes the refresh secret hash over the internal username (a UUID in email
    // pools), not over whatever the client signed in with.
    secret::check(client, &family.username, parameters.get("SECRET_HASH"))?;
    if family.revoked {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    if family.expires_at < services.now() {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    let user = services
        .store()
        .user(&pool.id, &family.username)
        .await?
        .ok_or_else(invalid)?;
    if !user.enabled {
        return Err(disabled());
    }
    Ok(AuthResponse {
        authentication_result: Some(
            tokens::issue_refreshed(services, pool, client, &user, &family).await?,
        ),
        ..AuthResponse::default()
    })
}
