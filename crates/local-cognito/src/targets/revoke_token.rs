//! `RevokeToken` (unsigned): revokes one refresh token and the access tokens derived from it.
//! As in Cognito (and RFC 7009), a token that is unknown answers success.

use serde::Deserialize;

use super::Empty;
use crate::auth;
use crate::crypto::random;
use crate::domain::client::Client;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    token: String,
    client_id: String,
    client_secret: Option<String>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let client = services.client(&request.client_id).await?;
    auth::check_client_secret(&client, request.client_secret.as_deref())?;
    check_revocable(&client, &request.token)?;
    let family = services
        .store()
        .refresh_by_hash(&random::token_hash(&request.token))
        .await?;
    if let Some(family) = family {
        if family.client_id != client.id {
            return Err(CognitoError::not_authorized("Invalid Refresh Token"));
        }
        services.store().revoke_family(&family).await?;
    }
    Ok(Empty {})
}

/// Refuses a client with revocation turned off, and tokens other than refresh tokens.
fn check_revocable(client: &Client, token: &str) -> Result<(), CognitoError> {
    if !client.settings.enable_token_revocation {
        return Err(CognitoError::new(
            "UnsupportedOperationException",
            "Token revocation is not enabled for this client.",
        ));
    }
    // Access and id tokens are JWTs; only refresh tokens can be revoked.
    if token.split('.').count() == 3 {
        return Err(CognitoError::new(
            "UnsupportedTokenTypeException",
            "Only refresh tokens can be revoked.",
        ));
    }
    Ok(())
}
