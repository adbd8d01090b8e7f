//! `CreateUserPoolClient`: an app client with optional secret, auth flows and token lifetimes.

use serde::{Deserialize, Serialize};

use super::views::{self, ClientView};
use crate::crypto::random;
use crate::domain::client::{Client, ClientSettings, TokenValidityUnits};
use crate::error::CognitoError;
use crate::service::Services;

/// The flows names Cognito accepts in `ExplicitAuthFlows`.
const KNOWN_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    client_name: String,
    #[serde(default)]
    generate_secret: bool,
    explicit_auth_flows: Option<Vec<String>>,
    prevent_user_existence_errors: Option<String>,
    access_token_validity: Option<i64>,
    id_token_validity: Option<i64>,
    refresh_token_validity: Option<i64>,
    token_validity_units: Option<TokenValidityUnits>,
    #[serde(default)]
    read_attributes: Vec<String>,
    #[serde(default)]
    write_attributes: Vec<String>,
    enable_token_revocation: Option<bool>,
    auth_session_validity: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response<'a> {
    user_pool_client: ClientView<'a>,
}

/// The response owns its client; the view borrows from it.
pub(super) struct Created(pub(super) Client);

impl Serialize for Created {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Response {
            user_pool_client: views::client(&self.0),
        }
        .serialize(serializer)
    }
}

pub(super) async fn handle(services: &Services, mut request: Request) -> Result<Created, CognitoError> {
    services.pool(&request.user_pool_id).await?;
    let settings = settings(&mut request)?;
    let now = services.now();
    let client = Client {
        id: random::client_id(),
        pool_id: request.user_pool_id,
        name: request.client_name,
        secret: request.generate_secret.then(random::client_secret),
        created_at: now,
        modified_at: now,
        settings,
    };
    services.store().insert_client(&client).await?;
    Ok(Created(client))
}

/// The client's settings from the request, Cognito's defaults filled in.
fn settings(request: &mut Request) -> Result<ClientSettings, CognitoError> {
    // Without explicit units Cognito reads the numbers as minutes, minutes and days; the
    // defaults (60 minutes, 60 minutes, 30 days) are expressed in those units.
    let units = request.token_validity_units.take().unwrap_or(TokenValidityUnits {
        access_token: "minutes".to_owned(),
        id_token: "minutes".to_owned(),
        refresh_token: "days".to_owned(),
    });
    let access_default = if units.access_token == "hours" { 1 } else { 60 };
    let id_default = if units.id_token == "hours" { 1 } else { 60 };
    Ok(ClientSettings {
        explicit_auth_flows: auth_flows(request.explicit_auth_flows.take())?,
        prevent_user_existence_errors: prevent_user_existence_errors(
            request.prevent_user_existence_errors.take(),
        )?,
        access_token_validity: request.access_token_validity.unwrap_or(access_default),
        id_token_validity: request.id_token_validity.unwrap_or(id_default),
        refresh_token_validity: request.refresh_token_validity.unwrap_or(30),
        token_validity_units: units,
        read_attributes: std::mem::take(&mut request.read_attributes),
        write_attributes: std::mem::take(&mut request.write_attributes),
        enable_token_revocation: request.enable_token_revocation.unwrap_or(true),
        auth_session_validity: request.auth_session_validity.unwrap_or(3),
    })
}

/// `ExplicitAuthFlows`, each a known flow; Cognito's default set when absent.
fn auth_flows(given: Option<Vec<String>>) -> Result<Vec<String>, CognitoError> {
    let flows = given.unwrap_or_else(|| {
        ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]
            .map(str::to_owned)
            .to_vec()
    });
    if let Some(unknown) = flows.iter().find(|f| !KNOWN_FLOWS.contains(&f.as_str())) {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid ExplicitAuthFlows value: {unknown}"
        )));
    }
    Ok(flows)
}

/// `PreventUserExistenceErrors`: `LEGACY` (the default) or `ENABLED`.
fn prevent_user_existence_errors(given: Option<String>) -> Result<String, CognitoError> {
    let prevent = given.unwrap_or_else(|| "LEGACY".to_owned());
    if !matches!(prevent.as_str(), "LEGACY" | "ENABLED") {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid PreventUserExistenceErrors value: {prevent}"
        )));
    }
    Ok(prevent)
}
