//! `DeleteUserPoolDomain`: removes a pool's Hosted UI domain.

use serde::Deserialize;

use super::Empty;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    domain: String,
    user_pool_id: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Empty, CognitoError> {
    if !services
        .store()
        .delete_domain(&request.domain, &request.user_pool_id)
        .await?
    {
        return Err(CognitoError::invalid_parameter(
            "No such domain or user pool exists.",
        ));
    }
    Ok(Empty {})
}
