//! `GlobalSignOut` (unsigned): revokes every refresh token of the caller, on every client,
//! and with them every access token issued so far.

use serde::Deserialize;

use super::Empty;
use crate::auth;
use crate::domain::oauth::ADMIN_SCOPE;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    access_token: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let (pool, user, _) = auth::authenticate(services, &request.access_token, ADMIN_SCOPE).await?;
    services.store().revoke_user_tokens(&pool.id, &user.username).await?;
    Ok(Empty {})
}
