//! Sign-in, challenges, refresh and access-token checks: the logic the auth targets share.

mod access_token;
mod claims;
mod new_password;
mod password_sign_in;
pub(crate) mod refresh;
mod secret;
pub(crate) mod tokens;

use std::collections::BTreeMap;

use serde::Serialize;

pub(crate) use access_token::authenticate;
pub(crate) use claims::readable;
pub(crate) use new_password::{respond_new_password, set_new_password};
pub(crate) use password_sign_in::{sign_in, start_challenge, verify_password};
pub(crate) use refresh::refresh;
pub(crate) use secret::check_client_secret;

use crate::domain::client::{AuthFlow, Client};
use crate::domain::pool::Pool;
use crate::error::CognitoError;
use crate::service::Services;

/// The answer of InitiateAuth / RespondToAuthChallenge and their admin twins.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) challenge_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<String>,
    pub(crate) challenge_parameters: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) authentication_result: Option<AuthenticationResult>,
}

/// Issued tokens, in Cognito's `AuthenticationResultType` shape.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthenticationResult {
    pub(crate) access_token: String,
    pub(crate) expires_in: i64,
    pub(crate) token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token: Option<String>,
    /// Absent only from Hosted UI grants without the `openid` scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id_token: Option<String>,
}

/// A required entry of `AuthParameters` / `ChallengeResponses`.
pub(crate) fn required<'a>(
    parameters: &'a BTreeMap<String, String>,
    name: &str,
) -> Result<&'a str, CognitoError> {
    parameters.get(name).map(String::as_str).ok_or_else(|| {
        CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
    })
}

pub(crate) fn incorrect_credentials() -> CognitoError {
    CognitoError::not_authorized("Incorrect username or password.")
}

fn disabled() -> CognitoError {
    CognitoError::not_authorized("User is disabled.")
}

/// Where an `AuthFlow` arrived: the admin API or the public one accept different flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// AdminInitiateAuth.
    Admin,
    /// InitiateAuth.
    Public,
}

/// Runs `AuthFlow` with `AuthParameters` for `client`, enforcing its `ExplicitAuthFlows`.
pub(crate) async fn initiate(
    services: &Services,
    pool: &Pool,
    client: &Client,
    entry: Entry,
    flow_name: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    let flow = AuthFlow::parse(flow_name).ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "local-cognito does not support the auth flow {flow_name}"
        ))
    })?;
    let fits_entry = match flow {
        AuthFlow::AdminUserPassword => entry == Entry::Admin,
        AuthFlow::UserPassword => entry == Entry::Public,
        AuthFlow::RefreshToken => true,
    };
    if !fits_entry {
        return Err(CognitoError::invalid_parameter(
            "Initiate Auth method not supported.",
        ));
    }
    if !client.allows(flow) {
        return Err(CognitoError::invalid_parameter(
            "Auth flow not enabled for this client",
        ));
    }
    match flow {
        AuthFlow::AdminUserPassword | AuthFlow::UserPassword => {
            sign_in(services, pool, client, parameters).await
        }
        AuthFlow::RefreshToken => refresh(services, pool, client, parameters).await,
    }
}
