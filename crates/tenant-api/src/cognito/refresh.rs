//! Refresh, for app clients with or without refresh-token rotation.

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use secrecy::ExposeSecret;

use super::auth::tokens;
use super::{Cognito, CognitoError, Tokens};

impl Cognito {
    /// AdminInitiateAuth with REFRESH_TOKEN_AUTH. With a client secret, `internal_username` (the
    /// user's Cognito username, not the email) is required for SECRET_HASH.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        internal_username: Option<&str>,
    ) -> Result<Tokens, CognitoError> {
        let mut request = self
            .client
            .admin_initiate_auth()
            .user_pool_id(&self.pool_id)
            .client_id(&self.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token);
        if let Some(hash) = internal_username.and_then(|u| self.secret_hash_for(u)) {
            request = request.auth_parameters("SECRET_HASH", hash);
        }
        let response = self.call(request.send()).await.map_err(|e| match e {
            CognitoError::InvalidCredentials | CognitoError::UserNotFound => {
                CognitoError::InvalidRefreshToken
            }
            other => other,
        })?;
        let mut tokens = tokens(response.authentication_result())?;
        // Cognito only returns a refresh token when rotation is on; otherwise the old one stays valid.
        tokens
            .refresh_token
            .get_or_insert_with(|| refresh_token.to_owned());
        Ok(tokens)
    }

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
        let response = self
            .call(
                self.client
                    .get_tokens_from_refresh_token()
                    .client_id(&self.client_id)
                    .refresh_token(refresh_token)
                    .set_client_secret(
                        self.client_secret
                            .as_ref()
                            .map(|s| s.expose_secret().to_owned()),
                    )
                    .send(),
            )
            .await?;
        let mut tokens = tokens(response.authentication_result())?;
        tokens
            .refresh_token
            .get_or_insert_with(|| refresh_token.to_owned());
        Ok(tokens)
    }
}
