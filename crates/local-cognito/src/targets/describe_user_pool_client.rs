//! `DescribeUserPoolClient`: the client's settings, including its secret.

use serde::Deserialize;

use super::create_user_pool_client::Created;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    client_id: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Created, CognitoError> {
    let (_, client) = services
        .client_in_pool(&request.client_id, Some(&request.user_pool_id))
        .await?;
    Ok(Created(client))
}
