//! `AdminUpdateUserAttributes`: writes attributes that exist in the schema and are mutable.

use serde::Deserialize;

use super::Empty;
use crate::domain::attributes::{validate_writes, AttributeType};
use crate::error::CognitoError;
use crate::service::{email_alias, Services};
use crate::store::NewUser;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
    user_attributes: Vec<AttributeType>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let mut user = services.user(&pool, &request.username).await?;
    validate_writes(&pool, &request.user_attributes, false)?;
    for attribute in request.user_attributes {
        user.attributes.insert(attribute.name, attribute.value);
    }
    user.modified_at = services.now();
    match services.store().save_user(&user, email_alias(&pool, &user).as_deref()).await? {
        NewUser::Saved => Ok(Empty {}),
        NewUser::Taken => Err(CognitoError::new(
            "AliasExistsException",
            "An account with the given email already exists.",
        )),
    }
}
