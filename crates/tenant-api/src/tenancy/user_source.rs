//! Where an access token's tenant is read when the token carries no tenant claim.
//!
//! Tokens from the server sign-in carry the `aws.cognito.signin.user.admin` scope and read their
//! own user with GetUser. Hosted UI tokens (scopes `openid email profile`) may not call GetUser,
//! so the service reads the token's user with AdminGetUser under its own credentials: no
//! pre-token Lambda needed. A disabled user proves no tenant.

use std::sync::Arc;

use async_trait::async_trait;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use super::proof::TenantAttributeSource;
use crate::cognito::{Cognito, CognitoError, ADMIN_SCOPE};

/// The claims this source reads from an access token that was already verified.
#[derive(Deserialize)]
struct AccessClaims {
    username: Option<String>,
    #[serde(default)]
    scope: String,
}

impl AccessClaims {
    /// Reads the payload of a token whose signature the verifier has already checked.
    fn of(token: &str) -> Option<Self> {
        let payload = token.split('.').nth(1)?;
        let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn has_admin_scope(&self) -> bool {
        self.scope.split(' ').any(|s| s == ADMIN_SCOPE)
    }
}

/// GetUser for tokens with the admin scope, AdminGetUser on `username` for the others.
struct UserAttribute {
    cognito: Cognito,
    attribute: String,
}

#[async_trait]
impl TenantAttributeSource for UserAttribute {
    async fn tenant_attribute(&self, access_token: &str) -> Result<Option<String>, CognitoError> {
        let claims = AccessClaims::of(access_token).ok_or(CognitoError::TokenRefused)?;
        if claims.has_admin_scope() {
            let user = self.cognito.get_user(access_token).await?;
            return Ok(user.attribute(&self.attribute).map(str::to_owned));
        }
        let username = claims.username.ok_or(CognitoError::TokenRefused)?;
        let user = self.cognito.admin_user(&username).await?;
        if !user.enabled {
            // Not cached (an error), so a re-enabled user is accepted again at once.
            return Err(CognitoError::TokenRefused);
        }
        Ok(user.profile.attribute(&self.attribute).map(str::to_owned))
    }
}

/// The tenant source for `cognito`'s pool, attribute `attribute` (`custom:tenant_id`).
pub fn user_attribute_source(
    cognito: Cognito,
    attribute: String,
) -> Arc<dyn TenantAttributeSource> {
    Arc::new(UserAttribute { cognito, attribute })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_scope_and_username_from_the_payload() {
        let claims = AccessClaims::of(&token(
            r#"{"username":"u-1","scope":"openid aws.cognito.signin.user.admin"}"#,
        ))
        .unwrap();
        assert!(claims.has_admin_scope());
        assert_eq!(claims.username.as_deref(), Some("u-1"));
        let web = AccessClaims::of(&token(r#"{"username":"u-1","scope":"openid email"}"#)).unwrap();
        assert!(!web.has_admin_scope());
    }

    #[test]
    fn a_scope_that_merely_contains_the_admin_scope_does_not_count() {
        let claims =
            AccessClaims::of(&token(r#"{"scope":"x-aws.cognito.signin.user.admin-y"}"#)).unwrap();
        assert!(!claims.has_admin_scope());
    }

    #[test]
    fn garbage_is_no_claims() {
        assert!(AccessClaims::of("not-a-token").is_none());
        assert!(AccessClaims::of("a.!!!.c").is_none());
    }
}

#[cfg(test)]
mod expiry_tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::clock::ManualClock;
    use crate::tenancy::TenantProofs;

    /// A user who can be disabled: answers `acme` while enabled.
    struct Switchable {
        enabled: AtomicBool,
    }

    #[async_trait]
    impl TenantAttributeSource for Switchable {
        async fn tenant_attribute(&self, _: &str) -> Result<Option<String>, CognitoError> {
            if self.enabled.load(Ordering::SeqCst) {
                Ok(Some("acme".into()))
            } else {
                Err(CognitoError::TokenRefused)
            }
        }
    }

    #[tokio::test]
    async fn a_disabled_user_is_refused_once_the_tokens_proof_expires() {
        let source = Arc::new(Switchable {
            enabled: AtomicBool::new(true),
        });
        let start = 1_700_000_000;
        let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(start));
        let proofs = TenantProofs::new(source.clone(), Arc::new(clock.clone()));
        let exp = start + 300;
        assert_eq!(
            proofs.tenant_of("t", exp).await.unwrap().as_deref(),
            Some("acme")
        );
        source.enabled.store(false, Ordering::SeqCst);
        // Until the token expires its proof stands; then the user is asked about again.
        clock.advance(Duration::from_secs(299));
        assert!(proofs.tenant_of("t", exp).await.is_ok());
        clock.advance(Duration::from_secs(2));
        assert!(proofs.tenant_of("t", exp).await.is_err());
    }
}
