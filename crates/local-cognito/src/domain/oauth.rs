//! App clients' OAuth 2.0 settings (the Hosted UI): flows, scopes, callback and sign-out URLs,
//! refresh-token rotation; validated as Cognito validates them.

use serde::{Deserialize, Serialize};

use crate::error::CognitoError;

/// The scopes a user pool without resource servers knows.
pub(crate) const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// The scope that lets an access token call GetUser, GlobalSignOut and the like.
pub(crate) const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// `RefreshTokenRotationType`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RefreshTokenRotation {
    /// `ENABLED` or `DISABLED`.
    pub(crate) feature: String,
    /// How long a rotated-away refresh token keeps working, 0–60 seconds.
    #[serde(default)]
    pub(crate) retry_grace_period_seconds: i64,
}

/// The OAuth part of `UserPoolClientType`, in Cognito's field names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct OAuthSettings {
    #[serde(
        rename = "AllowedOAuthFlows",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub(crate) flows: Vec<String>,
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient", default)]
    pub(crate) enabled: bool,
    #[serde(
        rename = "AllowedOAuthScopes",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub(crate) scopes: Vec<String>,
    #[serde(
        rename = "CallbackURLs",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub(crate) callback_urls: Vec<String>,
    #[serde(rename = "LogoutURLs", default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) logout_urls: Vec<String>,
    #[serde(
        rename = "DefaultRedirectURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) default_redirect_uri: Option<String>,
    #[serde(
        rename = "SupportedIdentityProviders",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub(crate) identity_providers: Vec<String>,
    #[serde(
        rename = "RefreshTokenRotation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) rotation: Option<RefreshTokenRotation>,
}

fn invalid(message: impl Into<String>) -> CognitoError {
    CognitoError::invalid_parameter(message)
}

/// Checks one callback or sign-out URL: absolute, no fragment, no wildcard, https unless the
/// host is localhost / 127.0.0.1 (app schemes such as `myapp://cb` are allowed, as in Cognito).
pub(crate) fn check_url(field: &str, value: &str) -> Result<(), CognitoError> {
    let bad = |why: &str| invalid(format!("{field} {value:?} is not valid: {why}"));
    let url = url::Url::parse(value).map_err(|_| bad("not an absolute URL"))?;
    if url.fragment().is_some() || value.contains('#') {
        return Err(bad("fragments are not allowed"));
    }
    if value.contains('*') {
        return Err(bad("wildcards are not allowed"));
    }
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        "http" => Err(bad("http is allowed only for localhost")),
        _ if url.cannot_be_a_base() && !value.contains("://") => Err(bad("not an absolute URL")),
        _ => Ok(()),
    }
}

impl OAuthSettings {
    /// Validates the settings as Create/UpdateUserPoolClient do.
    pub(crate) fn validate(&self) -> Result<(), CognitoError> {
        if let Some(flow) = self.flows.iter().find(|f| f.as_str() != "code") {
            return Err(match flow.as_str() {
                "implicit" | "client_credentials" => invalid(format!(
                    "AllowedOAuthFlows {flow} is not supported by local-cognito; use code"
                )),
                _ => invalid(format!("Invalid AllowedOAuthFlows value: {flow}")),
            });
        }
        if let Some(scope) = self
            .scopes
            .iter()
            .find(|s| !STANDARD_SCOPES.contains(&s.as_str()))
        {
            return Err(CognitoError::new(
                "ScopeDoesNotExistException",
                format!("Invalid scope requested: {scope}"),
            ));
        }
        let has = |scope: &str| self.scopes.iter().any(|s| s == scope);
        if (has("email") || has("profile") || has("phone")) && !has("openid") {
            return Err(invalid(
                "The openid scope is required to request the email, phone or profile scope.",
            ));
        }
        for url in &self.callback_urls {
            check_url("CallbackURLs", url)?;
        }
        for url in &self.logout_urls {
            check_url("LogoutURLs", url)?;
        }
        if let Some(default) = &self.default_redirect_uri {
            check_url("DefaultRedirectURI", default)?;
            if !self.callback_urls.contains(default) {
                return Err(invalid(
                    "DefaultRedirectURI must be one of the CallbackURLs.",
                ));
            }
        }
        if let Some(idp) = self
            .identity_providers
            .iter()
            .find(|p| p.as_str() != "COGNITO")
        {
            return Err(invalid(format!(
                "The provider {idp} does not exist for User Pool (local-cognito has only COGNITO)"
            )));
        }
        if self.enabled && (self.flows.is_empty() || self.scopes.is_empty()) {
            return Err(invalid(
                "AllowedOAuthFlows and AllowedOAuthScopes are required if AllowedOAuthFlowsUserPoolClient is true.",
            ));
        }
        if self.enabled && self.callback_urls.is_empty() {
            return Err(invalid(
                "CallbackURLs are required if AllowedOAuthFlowsUserPoolClient is true.",
            ));
        }
        if let Some(rotation) = &self.rotation {
            if !matches!(rotation.feature.as_str(), "ENABLED" | "DISABLED") {
                return Err(invalid(format!(
                    "Invalid RefreshTokenRotation.Feature value: {}",
                    rotation.feature
                )));
            }
            if !(0..=60).contains(&rotation.retry_grace_period_seconds) {
                return Err(invalid(
                    "RefreshTokenRotation.RetryGracePeriodSeconds must be between 0 and 60.",
                ));
            }
        }
        Ok(())
    }

    /// True when the client may use the Hosted UI's code flow.
    pub(crate) fn code_flow_enabled(&self) -> bool {
        self.enabled
            && self.flows.iter().any(|f| f == "code")
            && self.identity_providers.iter().any(|p| p == "COGNITO")
    }

    /// The grace period when refresh tokens rotate; `None` when they do not.
    pub(crate) fn rotation_grace(&self) -> Option<i64> {
        self.rotation
            .as_ref()
            .filter(|r| r.feature == "ENABLED")
            .map(|r| r.retry_grace_period_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_cognitos_rules() {
        assert!(check_url("CallbackURLs", "https://app.example.com/cb").is_ok());
        assert!(check_url(
            "CallbackURLs",
            "http://localhost:3000/api/auth/callback/cognito"
        )
        .is_ok());
        assert!(check_url("CallbackURLs", "http://127.0.0.1:8080/cb").is_ok());
        assert!(check_url("CallbackURLs", "myapp://callback").is_ok());
        assert!(check_url("CallbackURLs", "http://app.example.com/cb").is_err());
        assert!(check_url("CallbackURLs", "https://app.example.com/cb#x").is_err());
        assert!(check_url("CallbackURLs", "https://*.example.com/cb").is_err());
        assert!(check_url("CallbackURLs", "/relative").is_err());
    }

    #[test]
    fn email_and_profile_need_openid_and_rotation_is_bounded() {
        let mut settings = OAuthSettings {
            flows: vec!["code".into()],
            enabled: true,
            scopes: vec!["email".into()],
            callback_urls: vec!["https://a.example/cb".into()],
            identity_providers: vec!["COGNITO".into()],
            ..OAuthSettings::default()
        };
        assert!(settings.validate().is_err());
        settings.scopes.push("openid".into());
        assert!(settings.validate().is_ok());
        settings.rotation = Some(RefreshTokenRotation {
            feature: "ENABLED".into(),
            retry_grace_period_seconds: 61,
        });
        assert!(settings.validate().is_err());
        settings.flows = vec!["implicit".into()];
        assert!(settings.validate().is_err());
    }
}
