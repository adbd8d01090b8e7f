//! Checks an access token presented to GetUser / GlobalSignOut: signature, use, expiry,
//! the user, and whether its sign-in has been revoked.

use serde_json::Value;

use super::disabled;
use crate::crypto::jwt;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::RefreshFamily;

fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid Access Token")
}

/// The pool, user and sign-in an access token stands for; the token must carry `scope`
/// (`aws.cognito.signin.user.admin` for the user API, `openid` for userInfo).
pub(crate) async fn authenticate(
    services: &Services,
    token: &str,
    scope: &str,
) -> Result<(Pool, User, RefreshFamily), CognitoError> {
    let claims = jwt::verify(token, &services.core.keys).map_err(|_| invalid())?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("token_use") != Some("access") {
        return Err(invalid());
    }
    if !text("scope").is_some_and(|granted| granted.split(' ').any(|s| s == scope)) {
        return Err(CognitoError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    let expires = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(invalid)?;
    if expires < services.now() {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    let pool_id = text("iss")
        .and_then(|iss| iss.rsplit('/').next())
        .ok_or_else(invalid)?;
    let pool = services.store().pool(pool_id).await?.ok_or_else(invalid)?;
    let username = text("username").ok_or_else(invalid)?;
    let user = services
        .store()
        .user(&pool.id, username)
        .await?
        .ok_or_else(CognitoError::user_not_found)?;
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    let family = services
        .store()
        .refresh_by_origin(text("origin_jti").ok_or_else(invalid)?)
        .await?
        .ok_or_else(revoked)?;
    if family.revoked || family.username != user.username {
        return Err(revoked());
    }
    if !user.enabled {
        return Err(disabled());
    }
    Ok((pool, user, family))
}
