//! Steps 1–3 of the flow: the login round trip, sealed in its cookie, and the callback that
//! turns a code into a session.

use cognito_verify::CognitoClaims;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::oauth::{OAuthError, TokenSet};
use super::{Bff, BffError, Origin};
use crate::domain::session::StoredSession;

/// The associated data of a sealed login cookie.
const LOGIN_CONTEXT: &[u8] = b"tenant-api bff login v1";
/// The longest return path kept.
const MAX_RETURN_PATH: usize = 512;

/// What the login round trip carries from `/auth/login` to `/auth/callback`.
#[derive(Serialize, Deserialize)]
struct LoginState {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    callback: String,
    expires_at: i64,
}

/// A login begun: where to send the browser, and the sealed cookie to set first.
pub struct LoginStart {
    /// The Hosted UI's authorization URL.
    pub authorize_url: String,
    /// The login cookie's value.
    pub cookie: String,
}

/// A completed sign-in: the new session's cookie value and where to send the browser.
pub struct SignedIn {
    /// The session cookie's value (the random id; only its hash is stored).
    pub session_id: String,
    /// The same-origin path to land on.
    pub return_to: String,
    /// Seconds until the session ends at the latest.
    pub max_age: i64,
    /// The person's verified id token and its claims (for the audit log's record of the
    /// sign-in; neither leaves the server).
    pub id_token: String,
    /// The id token's claims.
    pub claims: CognitoClaims,
}

impl Bff {
    /// Begins a login on `origin`, returning to `return_to` (a path on this site) afterwards.
    pub fn start_login(
        &self,
        origin: &Origin,
        return_to: Option<&str>,
    ) -> Result<LoginStart, BffError> {
        let return_to = match return_to {
            None | Some("") => "/".to_owned(),
            Some(path) if is_local_path(path) => path.to_owned(),
            Some(_) => return Err(BffError::BadReturnPath),
        };
        let key = &self.inner.key;
        let login = LoginState {
            state: key.random_text(32),
            nonce: key.random_text(32),
            verifier: key.random_text(32),
            return_to,
            callback: origin.callback.clone(),
            expires_at: self.now() + super::LOGIN_MAX_AGE_SECS,
        };
        let authorize_url = self.inner.oauth.authorize_url(
            &login.callback,
            &login.state,
            &login.nonce,
            &login.verifier,
        );
        let plain = serde_json::to_vec(&login).map_err(|_| BffError::Unavailable)?;
        Ok(LoginStart {
            authorize_url,
            cookie: key.seal(LOGIN_CONTEXT, &plain),
        })
    }

    /// Completes a login: `cookie` is the login cookie, `state` and `code` the callback's query.
    /// A new session is stored under a new id (a session id the browser already had is never
    /// reused).
    pub async fn finish_login(
        &self,
        cookie: Option<&str>,
        state: &str,
        code: &str,
    ) -> Result<SignedIn, BffError> {
        let login = cookie
            .and_then(|c| self.inner.key.open(LOGIN_CONTEXT, c))
            .and_then(|plain| serde_json::from_slice::<LoginState>(&plain).ok())
            .ok_or(BffError::LoginFailed(
                "no login in progress in this browser",
            ))?;
        if login.expires_at < self.now() {
            return Err(BffError::LoginFailed("the login took too long"));
        }
        if !bool::from(login.state.as_bytes().ct_eq(state.as_bytes())) {
            return Err(BffError::LoginFailed("state does not match"));
        }
        let tokens = match self
            .inner
            .oauth
            .exchange(code, &login.verifier, &login.callback)
            .await
        {
            Ok(tokens) => tokens,
            Err(OAuthError::Refused(reason)) => {
                tracing::info!(%reason, "authorization code refused");
                return Err(BffError::LoginFailed("the authorization code was refused"));
            }
            Err(OAuthError::Unavailable(reason)) => {
                tracing::warn!(%reason, "token endpoint unavailable");
                return Err(BffError::Unavailable);
            }
        };
        let claims = self.check_id_token(&tokens, &login.nonce).await?;
        let session_id = self.inner.key.random_text(32);
        let now = self.now();
        let stored = StoredSession {
            id_hash: id_hash(&session_id),
            sub: claims.sub().to_owned(),
            email: claims.email().unwrap_or_default().to_owned(),
            tenant: claims
                .claim_str(&self.inner.tenant_claim)
                .map(str::to_owned),
            tokens: self.seal_tokens(&id_hash(&session_id), &tokens)?,
            access_expires_at: now + tokens.expires_in,
            version: 0,
            created_at: now,
            last_seen_at: now,
            expires_at: now + self.inner.max_lifetime,
        };
        self.inner.sessions.create_session(&stored).await?;
        Ok(SignedIn {
            session_id,
            return_to: login.return_to,
            max_age: self.inner.max_lifetime,
            id_token: tokens.id_token.unwrap_or_default(),
            claims,
        })
    }

    /// The id token's claims, when its signature, issuer, audience (this client), expiry and
    /// nonce hold.
    async fn check_id_token(
        &self,
        tokens: &TokenSet,
        nonce: &str,
    ) -> Result<CognitoClaims, BffError> {
        let id_token = tokens
            .id_token
            .as_deref()
            .ok_or(BffError::LoginFailed("no id token"))?;
        let claims = self.inner.id_verifier.verify(id_token).await.map_err(|e| {
            tracing::info!(error = %e, "id token refused at the callback");
            BffError::LoginFailed("the id token was refused")
        })?;
        let matches = claims
            .claim_str("nonce")
            .is_some_and(|n| bool::from(n.as_bytes().ct_eq(nonce.as_bytes())));
        if !matches {
            return Err(BffError::LoginFailed("nonce does not match"));
        }
        Ok((*claims).clone())
    }
}

/// The stored key of a session id: its SHA-256, base64url.
pub(super) fn id_hash(session_id: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(session_id.as_bytes()))
}

/// A path on this origin: starts with one `/` (not `//` or `/\`, which browsers read as another
/// host), no scheme, no control characters, bounded.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= MAX_RETURN_PATH
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_origin_are_return_paths() {
        for ok in ["/", "/items?x=1", "/a/b#c"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "evil",
            "/a\nb",
            "/a\\b",
            &format!("/{}", "a".repeat(600)),
        ] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }
}
