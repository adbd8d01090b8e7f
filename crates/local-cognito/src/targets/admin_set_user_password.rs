//! `AdminSetUserPassword`: a permanent password (CONFIRMED) or a new temporary one
//! (FORCE_CHANGE_PASSWORD), checked against the pool's policy.

use serde::Deserialize;

use super::Empty;
use crate::crypto::password;
use crate::domain::user::UserStatus;
use crate::error::CognitoError;
use crate::service::{email_alias, Services};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
    password: String,
    #[serde(default)]
    permanent: bool,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let mut user = services.user(&pool, &request.username).await?;
    let policy = &pool.settings.password_policy;
    policy.check(&request.password)?;
    user.password_hash = Some(password::hash(&request.password).await.map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        CognitoError::internal()
    })?);
    let now = services.now();
    if request.permanent {
        user.status = UserStatus::Confirmed;
        user.temp_password_expires_at = None;
    } else {
        user.status = UserStatus::ForceChangePassword;
        user.temp_password_expires_at = Some(now + policy.temporary_password_validity_days * 86_400);
    }
    user.modified_at = now;
    services.store().save_user(&user, email_alias(&pool, &user).as_deref()).await?;
    Ok(Empty {})
}
