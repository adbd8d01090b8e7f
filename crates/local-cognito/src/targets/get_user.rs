//! `GetUser` (unsigned): the caller's own attributes, from a valid, unrevoked access token.

use serde::{Deserialize, Serialize};

use crate::auth;
use crate::domain::oauth::ADMIN_SCOPE;
use crate::domain::attributes::{to_wire, AttributeType};
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    access_token: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    username: String,
    user_attributes: Vec<AttributeType>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    let (_, user, _) = auth::authenticate(services, &request.access_token, ADMIN_SCOPE).await?;
    Ok(Response {
        user_attributes: to_wire(&user.attributes),
        username: user.username,
    })
}
