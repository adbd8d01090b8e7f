//! AdminGetUser with the service's own credentials: a user's state and attributes by username.

use super::{Cognito, CognitoError, UserProfile};

/// What AdminGetUser says about a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminUser {
    /// False once an administrator disabled the user.
    pub enabled: bool,
    /// Username and attributes.
    pub profile: UserProfile,
}

impl Cognito {
    /// AdminGetUser on `username` (or, in pools that sign in by email, the email) (needs
    /// `cognito-idp:AdminGetUser` on the pool).
    pub async fn admin_user(&self, username: &str) -> Result<AdminUser, CognitoError> {
        let response = self
            .call(
                self.client
                    .admin_get_user()
                    .user_pool_id(&self.pool_id)
                    .username(username)
                    .send(),
            )
            .await?;
        Ok(AdminUser {
            enabled: response.enabled(),
            profile: UserProfile::new(response.username(), response.user_attributes()),
        })
    }
}
