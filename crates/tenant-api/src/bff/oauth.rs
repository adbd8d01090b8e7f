//! The Hosted UI's OAuth 2.0 endpoints as a confidential client sees them: the authorization
//! URL (code flow, PKCE S256, state, nonce), the token endpoint (code exchange and refresh, with
//! `client_secret_basic`), revocation and the sign-out redirect.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::embedded_web::WEB_SCOPES;

/// How long a call to the Hosted UI may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Tokens as the token endpoint returns them (RFC 6749 §5.1).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct TokenSet {
    /// Access token (JWT).
    pub access_token: String,
    /// Id token (JWT); absent on some refreshes.
    #[serde(default)]
    pub id_token: Option<String>,
    /// Refresh token; absent on a refresh without rotation.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// Why the token endpoint gave no tokens.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The grant (code or refresh token) was refused: used, expired, revoked or not ours.
    #[error("grant refused: {0}")]
    Refused(String),
    /// The Hosted UI could not be reached or answered nonsense.
    #[error("Hosted UI unavailable: {0}")]
    Unavailable(String),
}

/// The confidential client at one Hosted UI.
#[derive(Clone)]
pub struct OAuthClient {
    http: reqwest::Client,
    hosted_ui: String,
    client_id: String,
    client_secret: SecretString,
}

impl OAuthClient {
    /// A client `client_id` (with its secret) at the Hosted UI whose base URL is `hosted_ui`.
    pub fn new(hosted_ui: &str, client_id: &str, client_secret: SecretString) -> Self {
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self {
            http,
            hosted_ui: hosted_ui.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret,
        }
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Where to send the browser to sign in.
    pub fn authorize_url(
        &self,
        callback: &str,
        state: &str,
        nonce: &str,
        verifier: &str,
    ) -> String {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = url::Url::parse(&format!("{}/oauth2/authorize", self.hosted_ui))
            .unwrap_or_else(|_| unreachable!("the Hosted UI base URL was checked at start-up"));
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", callback)
            .append_pair("scope", &WEB_SCOPES.join(" "))
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        url.into()
    }

    /// Where to send the browser to end its Hosted UI session, coming back to `landing`.
    pub fn logout_url(&self, landing: &str) -> String {
        let mut url = url::Url::parse(&format!("{}/logout", self.hosted_ui))
            .unwrap_or_else(|_| unreachable!("the Hosted UI base URL was checked at start-up"));
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("logout_uri", landing);
        url.into()
    }

    /// Exchanges an authorization code (with its PKCE verifier and the callback it was sent to).
    pub async fn exchange(
        &self,
        code: &str,
        verifier: &str,
        callback: &str,
    ) -> Result<TokenSet, OAuthError> {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", callback),
            ("client_id", &self.client_id),
        ])
        .await
    }

    /// New tokens from a refresh token (a new refresh token too when the client rotates).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenSet, OAuthError> {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &self.client_id),
        ])
        .await
    }

    /// Revokes a refresh token (and what was issued from it).
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), OAuthError> {
        let response = self
            .http
            .post(format!("{}/oauth2/revoke", self.hosted_ui))
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .form(&[("token", refresh_token)])
            .send()
            .await
            .map_err(|e| OAuthError::Unavailable(e.without_url().to_string()))?;
        match response.status() {
            s if s.is_success() => Ok(()),
            s if s.is_client_error() => Err(OAuthError::Refused(s.to_string())),
            s => Err(OAuthError::Unavailable(s.to_string())),
        }
    }

    async fn token(&self, form: &[(&str, &str)]) -> Result<TokenSet, OAuthError> {
        let response = self
            .http
            .post(format!("{}/oauth2/token", self.hosted_ui))
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .form(form)
            .send()
            .await
            .map_err(|e| OAuthError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            return response.json::<TokenSet>().await.map_err(|e| {
                OAuthError::Unavailable(format!("token answer: {}", e.without_url()))
            });
        }
        #[derive(Deserialize)]
        struct Refusal {
            error: Option<String>,
        }
        let refusal = response.json::<Refusal>().await.ok().and_then(|r| r.error);
        match (status.as_u16(), refusal) {
            (400 | 401, Some(error)) => Err(OAuthError::Refused(error)),
            (code, error) => Err(OAuthError::Unavailable(format!(
                "HTTP {code} {}",
                error.unwrap_or_default()
            ))),
        }
    }
}
