//! Signing users out everywhere: with their own access token, or with the service's credentials.

use cognito_verify::CognitoClaims;

use super::{Cognito, CognitoError, ADMIN_SCOPE};

impl Cognito {
    /// GlobalSignOut with the user's access token. A token Cognito already refuses (revoked or
    /// expired) counts as signed out.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), CognitoError> {
        match self
            .call(
                self.client
                    .global_sign_out()
                    .access_token(access_token)
                    .send(),
            )
            .await
        {
            Ok(_) | Err(CognitoError::TokenRefused) | Err(CognitoError::InvalidCredentials) => {
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    /// AdminUserGlobalSignOut: revokes every refresh token of the user.
    pub async fn admin_sign_out(&self, email_or_username: &str) -> Result<(), CognitoError> {
        self.call(
            self.client
                .admin_user_global_sign_out()
                .user_pool_id(&self.pool_id)
                .username(email_or_username)
                .send(),
        )
        .await?;
        Ok(())
    }

    /// Signs the bearer of a verified access token (its `claims`) out everywhere: GlobalSignOut
    /// with the token when it carries the admin scope, else (Hosted UI tokens)
    /// AdminUserGlobalSignOut on its `username` with the service's credentials.
    pub async fn sign_out_bearer(
        &self,
        access_token: &str,
        claims: &CognitoClaims,
    ) -> Result<(), CognitoError> {
        match claims.username() {
            Some(username) if !claims.has_scope(ADMIN_SCOPE) => {
                match self.admin_sign_out(username).await {
                    Ok(()) | Err(CognitoError::UserNotFound) => Ok(()),
                    Err(other) => Err(other),
                }
            }
            _ => self.global_sign_out(access_token).await,
        }
    }
}
