//! Sign-in, the NEW_PASSWORD_REQUIRED challenge and GetUser; the tokens they return.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType,
};

use base64::Engine;
use cognito_verify::{CognitoClaims, TokenUse};

use super::{Cognito, CognitoError};

/// Tokens issued by Cognito.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    /// Access token (JWT).
    pub access_token: String,
    /// Id token (JWT).
    pub id_token: Option<String>,
    /// Refresh token (opaque).
    pub refresh_token: Option<String>,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i32,
    /// Always `Bearer`.
    pub token_type: String,
}

impl Tokens {
    /// The claims of the id token Cognito just issued, for records about the sign-in (who
    /// signed in, their home tenant). Read without checking the signature: the token came in
    /// Cognito's own answer to this service's authenticated call, not from a client. Never use
    /// this on a token a request carries.
    pub fn issued_id_claims(&self) -> Option<CognitoClaims> {
        let payload = self.id_token.as_deref()?.split('.').nth(1)?;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .ok()?;
        CognitoClaims::from_verified_payload(TokenUse::Id, &payload).ok()
    }
}

/// What a sign-in produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in.
    Tokens(Tokens),
    /// First sign-in with a temporary password: a new one must be set with this session.
    NewPasswordRequired {
        /// Opaque session for the challenge response.
        session: String,
    },
}

/// What GetUser says about the bearer of an access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserProfile {
    /// Internal username.
    pub username: String,
    /// Attributes, by name (`sub`, `email`, `custom:tenant_id`, ...).
    pub attributes: Vec<(String, String)>,
}

impl UserProfile {
    /// A profile from the username and attribute list Cognito returns.
    pub(super) fn new(
        username: &str,
        attributes: &[aws_sdk_cognitoidentityprovider::types::AttributeType],
    ) -> Self {
        Self {
            username: username.to_owned(),
            attributes: attributes
                .iter()
                .map(|a| {
                    (
                        a.name().to_owned(),
                        a.value().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        }
    }

    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(super) fn tokens(result: Option<&AuthenticationResultType>) -> Result<Tokens, CognitoError> {
    let result = result.ok_or_else(|| CognitoError::Unexpected {
        code: "missing AuthenticationResult".into(),
    })?;
    Ok(Tokens {
        access_token: result
            .access_token()
            .ok_or_else(|| CognitoError::Unexpected {
                code: "missing AccessToken".into(),
            })?
            .to_owned(),
        id_token: result.id_token().map(str::to_owned),
        refresh_token: result.refresh_token().map(str::to_owned),
        expires_in: result.expires_in(),
        token_type: result.token_type().unwrap_or("Bearer").to_owned(),
    })
}

impl Cognito {
    /// AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH.
    pub async fn login(&self, email: &str, password: &str) -> Result<LoginOutcome, CognitoError> {
        let mut request = self
            .client
            .admin_initiate_auth()
            .user_pool_id(&self.pool_id)
            .client_id(&self.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", email)
            .auth_parameters("PASSWORD", password);
        if let Some(hash) = self.secret_hash_for(email) {
            request = request.auth_parameters("SECRET_HASH", hash);
        }
        let response = self.call(request.send()).await.map_err(|e| match e {
            // Never reveal whether the account exists.
            CognitoError::UserNotFound => CognitoError::InvalidCredentials,
            other => other,
        })?;
        match response.challenge_name() {
            None => Ok(LoginOutcome::Tokens(tokens(
                response.authentication_result(),
            )?)),
            Some(ChallengeNameType::NewPasswordRequired) => Ok(LoginOutcome::NewPasswordRequired {
                session: response.session().unwrap_or_default().to_owned(),
            }),
            Some(other) => Err(CognitoError::UnsupportedChallenge(
                other.as_str().to_owned(),
            )),
        }
    }

    /// AdminRespondToAuthChallenge for NEW_PASSWORD_REQUIRED.
    pub async fn complete_new_password(
        &self,
        email: &str,
        new_password: &str,
        session: &str,
    ) -> Result<Tokens, CognitoError> {
        let mut request = self
            .client
            .admin_respond_to_auth_challenge()
            .user_pool_id(&self.pool_id)
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", email)
            .challenge_responses("NEW_PASSWORD", new_password);
        if let Some(hash) = self.secret_hash_for(email) {
            request = request.challenge_responses("SECRET_HASH", hash);
        }
        let response = self.call(request.send()).await.map_err(|e| match e {
            CognitoError::UserNotFound | CognitoError::InvalidCredentials => {
                CognitoError::InvalidSession
            }
            other => other,
        })?;
        match response.challenge_name() {
            None => tokens(response.authentication_result()),
            Some(other) => Err(CognitoError::UnsupportedChallenge(
                other.as_str().to_owned(),
            )),
        }
    }

    /// GetUser with the user's access token.
    pub async fn get_user(&self, access_token: &str) -> Result<UserProfile, CognitoError> {
        let response = self
            .call(self.client.get_user().access_token(access_token).send())
            .await?;
        Ok(UserProfile::new(
            response.username(),
            response.user_attributes(),
        ))
    }
}
