//! `AdminRespondToAuthChallenge`: answers NEW_PASSWORD_REQUIRED for an admin sign-in.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::auth::{self, AuthResponse};
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    client_id: String,
    challenge_name: String,
    session: Option<String>,
    #[serde(default)]
    challenge_responses: BTreeMap<String, String>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<AuthResponse, CognitoError> {
    let (pool, client) = services
        .client_in_pool(&request.client_id, Some(&request.user_pool_id))
        .await?;
    auth::respond_new_password(
        services,
        &pool,
        &client,
        &request.challenge_name,
        request.session.as_deref(),
        &request.challenge_responses,
    )
    .await
}
