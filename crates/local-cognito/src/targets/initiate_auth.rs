//! `InitiateAuth` (unsigned): USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::auth::{self, AuthResponse, Entry};
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    client_id: String,
    auth_flow: String,
    #[serde(default)]
    auth_parameters: BTreeMap<String, String>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<AuthResponse, CognitoError> {
    let (pool, client) = services.client_in_pool(&request.client_id, None).await?;
    auth::initiate(
        services,
        &pool,
        &client,
        Entry::Public,
        &request.auth_flow,
        &request.auth_parameters,
    )
    .await
}
