//! `AdminAddUserToGroup`: adds a user to a group (idempotent).

use serde::Deserialize;

use super::Empty;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
    group_name: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let user = services.user(&pool, &request.username).await?;
    if !services.store().group_exists(&pool.id, &request.group_name).await? {
        return Err(CognitoError::resource_not_found("Group not found."));
    }
    services
        .store()
        .add_member(&pool.id, &request.group_name, &user.username)
        .await?;
    Ok(Empty {})
}
