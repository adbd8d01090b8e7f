//! `AdminEnableUser`: lets a disabled user sign in again.

use serde::Deserialize;

use super::Empty;
use crate::error::CognitoError;
use crate::service::{email_alias, Services};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let mut user = services.user(&pool, &request.username).await?;
    user.enabled = true;
    user.modified_at = services.now();
    services.store().save_user(&user, email_alias(&pool, &user).as_deref()).await?;
    Ok(Empty {})
}
