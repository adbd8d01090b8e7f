//! Users: status, enablement, password state and attributes.

use std::collections::BTreeMap;

/// Cognito's `UserStatusType` values this emulator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserStatus {
    /// Created with a temporary password; must answer NEW_PASSWORD_REQUIRED.
    ForceChangePassword,
    /// Has a permanent password.
    Confirmed,
}

impl UserStatus {
    /// The wire (and stored) name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::Confirmed => "CONFIRMED",
        }
    }

    /// Parses a stored name; anything unknown is treated as needing a new password.
    pub(crate) fn parse(value: &str) -> Self {
        match value {
            "CONFIRMED" => Self::Confirmed,
            _ => Self::ForceChangePassword,
        }
    }
}

/// A stored user. `attributes` holds every attribute including `sub`.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) pool_id: String,
    pub(crate) username: String,
    pub(crate) sub: String,
    pub(crate) status: UserStatus,
    pub(crate) enabled: bool,
    pub(crate) password_hash: Option<String>,
    pub(crate) temp_password_expires_at: Option<i64>,
    pub(crate) created_at: i64,
    pub(crate) modified_at: i64,
    pub(crate) attributes: BTreeMap<String, String>,
}

impl User {
    /// The email attribute, used as the sign-in alias in email-username pools.
    pub(crate) fn email(&self) -> Option<&str> {
        self.attributes.get("email").map(String::as_str)
    }
}
