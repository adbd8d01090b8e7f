//! Refresh for app clients with or without refresh-token rotation, and sign-out for tokens with
//! or without the admin scope.

use secrecy::ExposeSecret;

use super::error::classify;
use super::{Cognito, CognitoError, Tokens};

/// The scope that lets an access token call GetUser and GlobalSignOut on itself.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

impl Cognito {
    /// New tokens from a refresh token. REFRESH_TOKEN_AUTH first; a client with rotation on
    /// refuses it, so a refusal is retried with GetTokensFromRefreshToken, which returns the
    /// next refresh token. Either way a refusal of both is an invalid refresh token.
    pub async fn refresh_any(
        &self,
        refresh_token: &str,
        internal_username: Option<&str>,
    ) -> Result<Tokens, CognitoError> {
        match self.refresh(refresh_token, internal_username).await {
            // Refused as a token, or as a flow the client no longer allows.
            Err(CognitoError::InvalidRefreshToken | CognitoError::InvalidParameter(_)) => self
                .refresh_rotating(refresh_token)
                .await
                .map_err(|_| CognitoError::InvalidRefreshToken),
            other => other,
        }
    }

    /// GetTokensFromRefreshToken (rotation on: the answer carries a new refresh token).
    async fn refresh_rotating(&self, refresh_token: &str) -> Result<Tokens, CognitoError> {
        let _turn = self.turn().await?;
        let response = self
            .client
            .get_tokens_from_refresh_token()
            .client_id(&self.client_id)
            .refresh_token(refresh_token)
            .set_client_secret(
                self.client_secret
                    .as_ref()
                    .map(|s| s.expose_secret().to_owned()),
            )
            .send()
            .await
            .map_err(classify)?;
        let mut tokens = super::auth::tokens(response.authentication_result())?;
        tokens
            .refresh_token
            .get_or_insert_with(|| refresh_token.to_owned());
        Ok(tokens)
    }

    /// Signs the bearer of a verified access token out everywhere: GlobalSignOut with the token
    /// when it carries the admin scope, else (Hosted UI tokens) AdminUserGlobalSignOut on its
    /// `username` with the service's credentials.
    pub async fn sign_out_bearer(
        &self,
        access_token: &str,
        scope: Option<&str>,
        username: Option<&str>,
    ) -> Result<(), CognitoError> {
        let admin_scope = scope.is_some_and(|s| s.split(' ').any(|s| s == ADMIN_SCOPE));
        match username {
            Some(username) if !admin_scope => match self.admin_sign_out(username).await {
                Ok(()) | Err(CognitoError::UserNotFound) => Ok(()),
                Err(other) => Err(other),
            },
            _ => self.global_sign_out(access_token).await,
        }
    }
}
