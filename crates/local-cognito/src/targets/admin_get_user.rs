//! `AdminGetUser`: a user's attributes and status, found by username or (email pools) email.

use serde::{Deserialize, Serialize};

use crate::domain::attributes::{to_wire, AttributeType};
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    username: String,
    user_attributes: Vec<AttributeType>,
    user_create_date: i64,
    user_last_modified_date: i64,
    enabled: bool,
    user_status: &'static str,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let user = services.user(&pool, &request.username).await?;
    Ok(Response {
        user_attributes: to_wire(&user.attributes),
        user_create_date: user.created_at,
        user_last_modified_date: user.modified_at,
        enabled: user.enabled,
        user_status: user.status.as_str(),
        username: user.username,
    })
}
