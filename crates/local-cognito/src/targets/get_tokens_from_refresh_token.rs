//! `GetTokensFromRefreshToken` (unsigned): new tokens from a refresh token; on a client whose
//! refresh tokens rotate, a new refresh token too (the old one works for the grace period).

use serde::Deserialize;

use crate::auth::{self, refresh, AuthResponse};
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    refresh_token: String,
    client_id: String,
    client_secret: Option<String>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<AuthResponse, CognitoError> {
    let (pool, client) = services.client_in_pool(&request.client_id, None).await?;
    auth::check_client_secret(&client, request.client_secret.as_deref())?;
    let family = refresh::find_family(services, &pool, &client, &request.refresh_token).await?;
    Ok(AuthResponse {
        authentication_result: Some(refresh::refreshed(services, &pool, &client, &family).await?),
        ..AuthResponse::default()
    })
}
