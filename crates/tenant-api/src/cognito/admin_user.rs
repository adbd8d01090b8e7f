//! AdminGetUser with the service's own credentials: a user's state and attributes by username.

use super::error::classify;
use super::{Cognito, CognitoError};

/// What AdminGetUser says about a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminUser {
    /// False once an administrator disabled the user.
    pub enabled: bool,
    /// Attributes, by name (`sub`, `email`, `custom:tenant_id`, ...).
    pub attributes: Vec<(String, String)>,
}

impl AdminUser {
    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Cognito {
    /// AdminGetUser on `username` (needs `cognito-idp:AdminGetUser` on the pool).
    pub async fn admin_user(&self, username: &str) -> Result<AdminUser, CognitoError> {
        let _turn = self.turn().await?;
        let response = self
            .client
            .admin_get_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .map_err(classify)?;
        Ok(AdminUser {
            enabled: response.enabled(),
            attributes: response
                .user_attributes()
                .iter()
                .map(|a| {
                    (
                        a.name().to_owned(),
                        a.value().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        })
    }
}
