//! The settable fields of an app client, shared by CreateUserPoolClient and
//! UpdateUserPoolClient: as in Cognito, a field left out takes its default value.

use serde::Deserialize;

use crate::domain::client::{ClientSettings, TokenValidityUnits};
use crate::domain::oauth::OAuthSettings;
use crate::error::CognitoError;

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
pub(super) struct ClientFields {
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
    #[serde(flatten)]
    oauth: OAuthSettings,
}

impl ClientFields {
    /// Validates the fields and fills in Cognito's defaults.
    pub(super) fn into_settings(self) -> Result<ClientSettings, CognitoError> {
        let explicit_auth_flows = self.explicit_auth_flows.unwrap_or_else(|| {
            [
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_CUSTOM_AUTH",
            ]
            .map(str::to_owned)
            .to_vec()
        });
        if let Some(unknown) = explicit_auth_flows
            .iter()
            .find(|f| !KNOWN_FLOWS.contains(&f.as_str()))
        {
            return Err(CognitoError::invalid_parameter(format!(
                "Invalid ExplicitAuthFlows value: {unknown}"
            )));
        }
        let prevent = self
            .prevent_user_existence_errors
            .unwrap_or_else(|| "LEGACY".to_owned());
        if !matches!(prevent.as_str(), "LEGACY" | "ENABLED") {
            return Err(CognitoError::invalid_parameter(format!(
                "Invalid PreventUserExistenceErrors value: {prevent}"
            )));
        }
        self.oauth.validate()?;
        // Without explicit units Cognito reads the numbers as minutes, minutes and days; the
        // defaults (60 minutes, 60 minutes, 30 days) are expressed in those units.
        let units = self.token_validity_units.unwrap_or(TokenValidityUnits {
            access_token: "minutes".to_owned(),
            id_token: "minutes".to_owned(),
            refresh_token: "days".to_owned(),
        });
        let access_default = if units.access_token == "hours" { 1 } else { 60 };
        let id_default = if units.id_token == "hours" { 1 } else { 60 };
        Ok(ClientSettings {
            explicit_auth_flows,
            prevent_user_existence_errors: prevent,
            access_token_validity: self.access_token_validity.unwrap_or(access_default),
            id_token_validity: self.id_token_validity.unwrap_or(id_default),
            refresh_token_validity: self.refresh_token_validity.unwrap_or(30),
            token_validity_units: units,
            read_attributes: self.read_attributes,
            write_attributes: self.write_attributes,
            enable_token_revocation: self.enable_token_revocation.unwrap_or(true),
            auth_session_validity: self.auth_session_validity.unwrap_or(3),
            oauth: self.oauth,
        })
    }
}
