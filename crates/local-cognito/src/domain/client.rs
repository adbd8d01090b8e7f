//! App clients: allowed auth flows, secrets, user-existence error policy and token lifetimes.

use serde::{Deserialize, Serialize};

use super::oauth::OAuthSettings;

/// The sign-in flows this emulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFlow {
    /// `ADMIN_USER_PASSWORD_AUTH` (legacy name `ADMIN_NO_SRP_AUTH`).
    AdminUserPassword,
    /// `USER_PASSWORD_AUTH`.
    UserPassword,
    /// `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN`.
    RefreshToken,
}

impl AuthFlow {
    /// Parses an `AuthFlow` request value; `None` for flows this emulator does not implement.
    pub(crate) fn parse(value: &str) -> Option<Self> {
        match value {
            "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => Some(Self::AdminUserPassword),
            "USER_PASSWORD_AUTH" => Some(Self::UserPassword),
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => Some(Self::RefreshToken),
            _ => None,
        }
    }

    /// The `ExplicitAuthFlows` values that enable this flow (current and legacy names).
    fn enabling_values(self) -> &'static [&'static str] {
        match self {
            Self::AdminUserPassword => &["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"],
            Self::UserPassword => &["ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"],
            Self::RefreshToken => &["ALLOW_REFRESH_TOKEN_AUTH"],
        }
    }
}

/// Token lifetime units, in Cognito's `TokenValidityUnitsType` shape.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TokenValidityUnits {
    #[serde(default = "hours")]
    pub(crate) access_token: String,
    #[serde(default = "hours")]
    pub(crate) id_token: String,
    #[serde(default = "days")]
    pub(crate) refresh_token: String,
}

fn hours() -> String {
    "hours".to_owned()
}

fn days() -> String {
    "days".to_owned()
}

impl Default for TokenValidityUnits {
    fn default() -> Self {
        Self {
            access_token: hours(),
            id_token: hours(),
            refresh_token: days(),
        }
    }
}

fn unit_seconds(unit: &str) -> i64 {
    match unit {
        "seconds" => 1,
        "minutes" => 60,
        "days" => 86_400,
        _ => 3_600,
    }
}

/// Everything configurable about an app client, persisted as JSON in Cognito's field names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ClientSettings {
    pub(crate) explicit_auth_flows: Vec<String>,
    pub(crate) prevent_user_existence_errors: String,
    pub(crate) access_token_validity: i64,
    pub(crate) id_token_validity: i64,
    pub(crate) refresh_token_validity: i64,
    pub(crate) token_validity_units: TokenValidityUnits,
    #[serde(default)]
    pub(crate) read_attributes: Vec<String>,
    #[serde(default)]
    pub(crate) write_attributes: Vec<String>,
    pub(crate) enable_token_revocation: bool,
    pub(crate) auth_session_validity: i64,
    /// The Hosted UI settings; absent in clients stored before they existed.
    #[serde(flatten)]
    pub(crate) oauth: OAuthSettings,
}

/// A stored app client.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub(crate) id: String,
    pub(crate) pool_id: String,
    pub(crate) name: String,
    pub(crate) secret: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) modified_at: i64,
    pub(crate) settings: ClientSettings,
}

impl Client {
    /// True when `ExplicitAuthFlows` lets this client use `flow`.
    pub(crate) fn allows(&self, flow: AuthFlow) -> bool {
        let flows = &self.settings.explicit_auth_flows;
        // Cognito always allows refresh for clients configured only with the legacy names.
        if flow == AuthFlow::RefreshToken && !flows.iter().any(|f| f.starts_with("ALLOW_")) {
            return true;
        }
        flow.enabling_values()
            .iter()
            .any(|value| flows.iter().any(|f| f == value))
    }

    /// True when unknown users must look like wrong passwords (`PreventUserExistenceErrors`).
    pub(crate) fn hides_user_existence(&self) -> bool {
        self.settings.prevent_user_existence_errors == "ENABLED"
    }

    /// Access token lifetime in seconds.
    pub(crate) fn access_ttl(&self) -> i64 {
        self.settings.access_token_validity
            * unit_seconds(&self.settings.token_validity_units.access_token)
    }

    /// Id token lifetime in seconds.
    pub(crate) fn id_ttl(&self) -> i64 {
        self.settings.id_token_validity * unit_seconds(&self.settings.token_validity_units.id_token)
    }

    /// Refresh token lifetime in seconds.
    pub(crate) fn refresh_ttl(&self) -> i64 {
        self.settings.refresh_token_validity
            * unit_seconds(&self.settings.token_validity_units.refresh_token)
    }

    /// How long a challenge session lives, in seconds (`AuthSessionValidity` is in minutes).
    pub(crate) fn session_ttl(&self) -> i64 {
        self.settings.auth_session_validity * 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(flows: &[&str]) -> Client {
        Client {
            id: "c".into(),
            pool_id: "p".into(),
            name: "n".into(),
            secret: None,
            created_at: 0,
            modified_at: 0,
            settings: ClientSettings {
                explicit_auth_flows: flows.iter().map(|f| (*f).to_owned()).collect(),
                prevent_user_existence_errors: "LEGACY".into(),
                access_token_validity: 60,
                id_token_validity: 60,
                refresh_token_validity: 30,
                token_validity_units: TokenValidityUnits {
                    access_token: "minutes".into(),
                    id_token: "minutes".into(),
                    refresh_token: "days".into(),
                },
                read_attributes: vec![],
                write_attributes: vec![],
                enable_token_revocation: true,
                auth_session_validity: 3,
                oauth: OAuthSettings::default(),
            },
        }
    }

    #[test]
    fn the_legacy_admin_flow_name_enables_admin_password_sign_in() {
        assert!(client(&["ADMIN_NO_SRP_AUTH"]).allows(AuthFlow::AdminUserPassword));
        assert!(client(&["ADMIN_NO_SRP_AUTH"]).allows(AuthFlow::RefreshToken));
        let modern = client(&["ALLOW_USER_PASSWORD_AUTH"]);
        assert!(!modern.allows(AuthFlow::AdminUserPassword));
        assert!(!modern.allows(AuthFlow::RefreshToken));
        assert!(modern.allows(AuthFlow::UserPassword));
    }

    #[test]
    fn lifetimes_follow_their_units() {
        let c = client(&[]);
        assert_eq!(c.access_ttl(), 3_600);
        assert_eq!(c.refresh_ttl(), 30 * 86_400);
        assert_eq!(c.session_ttl(), 180);
    }
}
