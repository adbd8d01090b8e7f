//! Where an access token's tenant is read when the token carries no tenant claim.
//!
//! Tokens from the server sign-in carry the `aws.cognito.signin.user.admin` scope and read their
//! own user with GetUser. Hosted UI tokens (scopes `openid email profile`) may not call GetUser,
//! so the service reads the token's user with AdminGetUser under its own credentials: no
//! pre-token Lambda needed. Both work from the claims the verifier already checked; nothing here
//! decodes the token again. A disabled user proves no tenant, and neither does a user whose
//! `sub` is not the token's (a new user given a deleted user's name).

use std::sync::Arc;

use async_trait::async_trait;
use cognito_verify::CognitoClaims;

use super::proof::{TenantAttributeSource, UserTenant};
use crate::cognito::{AdminUser, Cognito, CognitoError, ADMIN_SCOPE};

/// GetUser for tokens with the admin scope, AdminGetUser on `username` for the others.
struct UserAttribute {
    cognito: Cognito,
    attribute: String,
}

#[async_trait]
impl TenantAttributeSource for UserAttribute {
    async fn tenant_attribute(
        &self,
        access_token: &str,
        claims: &CognitoClaims,
    ) -> Result<UserTenant, CognitoError> {
        if claims.has_scope(ADMIN_SCOPE) {
            let user = self.cognito.get_user(access_token).await?;
            return Ok(UserTenant {
                tenant: user.attribute(&self.attribute).map(str::to_owned),
                email: user.attribute("email").map(str::to_owned),
            });
        }
        let username = claims.username().ok_or(CognitoError::TokenRefused)?;
        let user = self.cognito.admin_user(username).await?;
        tenant_of_token_user(&user, claims.sub(), &self.attribute)
    }
}

/// The tenant attribute (and email) of `user` (AdminGetUser's answer for the token's `username`), if it is
/// the token's user (its `sub` is `token_sub`) and may sign in. Refusals are errors, so they are not cached: a re-enabled
/// user is accepted again at once.
fn tenant_of_token_user(
    user: &AdminUser,
    token_sub: &str,
    attribute: &str,
) -> Result<UserTenant, CognitoError> {
    if !user.enabled {
        return Err(CognitoError::TokenRefused);
    }
    if user.profile.attribute("sub") != Some(token_sub) {
        tracing::debug!("the token's username now names another user: tenant not proven");
        return Err(CognitoError::TokenRefused);
    }
    Ok(UserTenant {
        tenant: user.profile.attribute(attribute).map(str::to_owned),
        email: user.profile.attribute("email").map(str::to_owned),
    })
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
    use crate::cognito::UserProfile;

    fn user(sub: &str, enabled: bool) -> AdminUser {
        AdminUser {
            enabled,
            profile: UserProfile {
                username: "bob".into(),
                attributes: vec![
                    ("sub".into(), sub.into()),
                    ("custom:tenant_id".into(), "acme".into()),
                ],
            },
        }
    }

    #[test]
    fn the_token_user_proves_their_tenant() {
        let proven = tenant_of_token_user(&user("s-1", true), "s-1", "custom:tenant_id");
        assert_eq!(proven.unwrap().tenant.as_deref(), Some("acme"));
    }

    #[test]
    fn another_user_with_the_tokens_username_proves_nothing() {
        // bob was deleted and a new bob made: AdminGetUser("bob") answers the new one.
        let refused = tenant_of_token_user(&user("s-2", true), "s-1", "custom:tenant_id");
        assert!(matches!(refused, Err(CognitoError::TokenRefused)));
    }

    #[test]
    fn a_disabled_user_proves_nothing() {
        let refused = tenant_of_token_user(&user("s-1", false), "s-1", "custom:tenant_id");
        assert!(matches!(refused, Err(CognitoError::TokenRefused)));
    }
}
