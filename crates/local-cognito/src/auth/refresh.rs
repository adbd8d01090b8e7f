//! Refreshing: new access and id tokens from a stored, unrevoked refresh token, through
//! REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken or the token endpoint.

use std::collections::BTreeMap;

use super::{disabled, required, secret, tokens, AuthResponse, AuthenticationResult};
use crate::crypto::random;
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::{RefreshFamily, Replay};

pub(crate) fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid Refresh Token")
}

pub(crate) fn revoked() -> CognitoError {
    CognitoError::not_authorized("Refresh Token has been revoked")
}

/// What a rotated-out refresh token gets when presented again, `grace` seconds of
/// `RetryGracePeriodSeconds` after it was rotated out at `rotated_at`:
/// - inside the grace period (`now < rotated_at + grace`), a retry: the family moves on to a
///   new generation (never a second chain);
/// - with no grace period, in the very second of the rotation: refused, family kept (the
///   losers of concurrent redemptions of one token, which a one-second clock cannot order);
/// - later: reuse, and the whole family is revoked (RFC 9700 §4.14.2).
pub(crate) fn replay(rotated_at: i64, now: i64, grace: i64) -> Replay {
    if now < rotated_at.saturating_add(grace) {
        Replay::Advance
    } else if now < rotated_at.saturating_add(grace.max(1)) {
        Replay::Refuse
    } else {
        Replay::RevokeFamily
    }
}

/// The family of `token`, which must have been issued to `client` of `pool`.
pub(crate) async fn find_family(
    services: &Services,
    pool: &Pool,
    client: &Client,
    token: &str,
) -> Result<RefreshFamily, CognitoError> {
    let family = services
        .store()
        .refresh_by_hash(&random::token_hash(token))
        .await?
        .ok_or_else(invalid)?;
    if family.client_id != client.id || family.pool_id != pool.id {
        return Err(invalid());
    }
    Ok(family)
}

/// Checks that the family may still refresh (not revoked, not expired; on a client that no
/// longer rotates, not rotated out) and returns its enabled user. Whether a rotated-out token
/// may still be redeemed on a rotating client is decided atomically by
/// [`tokens::issue_refreshed`].
pub(crate) async fn live_user(
    services: &Services,
    pool: &Pool,
    client: &Client,
    family: &RefreshFamily,
) -> Result<User, CognitoError> {
    let now = services.now();
    if family.revoked {
        return Err(revoked());
    }
    if family.expires_at < now {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    if family.rotated_at.is_some() && client.settings.oauth.rotation_grace().is_none() {
        return Err(invalid());
    }
    let user = services
        .store()
        .user(&pool.id, &family.username)
        .await?
        .ok_or_else(invalid)?;
    if !user.enabled {
        return Err(disabled());
    }
    Ok(user)
}

/// Checks the family and issues the refreshed tokens (rotating when the client rotates).
pub(crate) async fn refreshed(
    services: &Services,
    pool: &Pool,
    client: &Client,
    family: &RefreshFamily,
) -> Result<AuthenticationResult, CognitoError> {
    let user = live_user(services, pool, client, family).await?;
    tokens::issue_refreshed(services, pool, client, &user, family).await
}

/// Refreshes with `REFRESH_TOKEN` (and `SECRET_HASH` over the internal username).
pub(crate) async fn refresh(
    services: &Services,
    pool: &Pool,
    client: &Client,
    parameters: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    if client.settings.oauth.rotation_grace().is_some() {
        return Err(CognitoError::not_authorized(
            "Refresh token rotation is enabled for this app client; use GetTokensFromRefreshToken.",
        ));
    }
    let token = required(parameters, "REFRESH_TOKEN")?;
    let family = find_family(services, pool, client, token).await?;
    // Cognito computes the refresh secret hash over the internal username (a UUID in email
    // pools), not over whatever the client signed in with.
    secret::check(client, &family.username, parameters.get("SECRET_HASH"))?;
    Ok(AuthResponse {
        authentication_result: Some(refreshed(services, pool, client, &family).await?),
        ..AuthResponse::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_advances_inside_the_grace_period_and_revokes_the_family_after_it() {
        // Grace 10 s, rotated out at 100.
        assert_eq!(replay(100, 100, 10), Replay::Advance);
        assert_eq!(replay(100, 109, 10), Replay::Advance);
        assert_eq!(replay(100, 110, 10), Replay::RevokeFamily);
        // No grace: dead at once; the rotation's own second only refuses (concurrent losers).
        assert_eq!(replay(100, 100, 0), Replay::Refuse);
        assert_eq!(replay(100, 101, 0), Replay::RevokeFamily);
    }
}
