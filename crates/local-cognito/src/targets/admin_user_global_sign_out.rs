//! `AdminUserGlobalSignOut`: an administrator signs a user out everywhere.

use serde::Deserialize;

use super::Empty;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let user = services.user(&pool, &request.username).await?;
    services.store().revoke_user_tokens(&pool.id, &user.username).await?;
    Ok(Empty {})
}
