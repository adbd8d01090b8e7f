//! Issuing id, access and refresh tokens: a new sign-in starts a refresh token family, a
//! refresh reuses it (or, on a rotating client, starts its next generation).

use serde_json::{Map, Value};

use super::claims::{self, Subject};
use super::refresh;
use super::AuthenticationResult;
use crate::crypto::{jwt, random};
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::{RefreshFamily, Rotation};

fn sign(
    services: &Services,
    id_token: bool,
    claims: &Map<String, Value>,
) -> Result<String, CognitoError> {
    let keys = &services.core.keys;
    let key = if id_token { &keys.id } else { &keys.access };
    jwt::sign(key, claims).map_err(|error| {
        tracing::error!(%error, "token signing failed");
        CognitoError::internal()
    })
}

/// How a sign-in was made: through the JSON API, or through the Hosted UI's code flow.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Grant<'a> {
    /// Granted scopes, space-separated; `None` for the JSON API (the admin scope, always an
    /// id token).
    pub(crate) scopes: Option<&'a str>,
    /// The authorization request's nonce.
    pub(crate) nonce: Option<&'a str>,
    /// When the user authenticated (the Hosted UI session may be older than the code).
    pub(crate) auth_time: Option<i64>,
}

impl Grant<'_> {
    fn wants_id_token(scopes: Option<&str>) -> bool {
        scopes.is_none_or(|scopes| scopes.split(' ').any(|s| s == "openid"))
    }
}

/// Signs an access token and, unless the grant lacks `openid`, an id token for `family`.
async fn sign_pair(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
    family: &RefreshFamily,
    nonce: Option<&str>,
) -> Result<(String, Option<String>), CognitoError> {
    let groups = services
        .store()
        .user_groups(&pool.id, &user.username)
        .await?;
    let issuer = services.issuer(&pool.id);
    let subject = Subject {
        issuer: &issuer,
        pool,
        client,
        user,
        groups: &groups,
        family,
        now: services.now(),
    };
    let access = sign(services, false, &claims::access(&subject))?;
    let code_flow = family.scopes.is_some();
    let id = if Grant::wants_id_token(family.scopes.as_deref()) {
        let at = code_flow.then_some(access.as_str());
        Some(sign(services, true, &claims::id(&subject, nonce, at))?)
    } else {
        None
    };
    Ok((access, id))
}

fn result(
    client: &Client,
    access: String,
    id: Option<String>,
    refresh: Option<String>,
) -> AuthenticationResult {
    AuthenticationResult {
        access_token: access,
        expires_in: client.access_ttl(),
        token_type: "Bearer",
        refresh_token: refresh,
        id_token: id,
    }
}

/// Tokens for a fresh sign-in: a new refresh token family plus access and id tokens.
pub(crate) async fn issue_new(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
    grant: Grant<'_>,
) -> Result<AuthenticationResult, CognitoError> {
    let now = services.now();
    let family = RefreshFamily {
        origin_jti: random::uuid(),
        pool_id: pool.id.clone(),
        client_id: client.id.clone(),
        username: user.username.clone(),
        auth_time: grant.auth_time.unwrap_or(now),
        event_id: random::uuid(),
        expires_at: now + client.refresh_ttl(),
        revoked: false,
        scopes: grant.scopes.map(str::to_owned),
        chain: None,
        rotated_at: None,
    };
    let refresh_token = random::opaque_token();
    services
        .store()
        .insert_refresh(&random::token_hash(&refresh_token), &family)
        .await?;
    let (access, id) = sign_pair(services, pool, client, user, &family, grant.nonce).await?;
    Ok(result(client, access, id, Some(refresh_token)))
}

/// Tokens for a refresh: same `origin_jti`, `auth_time` and scopes, no new refresh token;
/// on a client whose refresh tokens rotate, the next generation with a new refresh token that
/// keeps the original expiry, or a refusal ([`super::refresh::replay`] says which).
pub(crate) async fn issue_refreshed(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
    family: &RefreshFamily,
) -> Result<AuthenticationResult, CognitoError> {
    let Some(grace) = client.settings.oauth.rotation_grace() else {
        let (access, id) = sign_pair(services, pool, client, user, family, None).await?;
        return Ok(result(client, access, id, None));
    };
    let next = RefreshFamily {
        origin_jti: random::uuid(),
        chain: Some(family.root().to_owned()),
        rotated_at: None,
        revoked: false,
        ..family.clone()
    };
    let refresh_token = random::opaque_token();
    let now = services.now();
    let rotation = services
        .store()
        .rotate_refresh(
            &family.origin_jti,
            &random::token_hash(&refresh_token),
            &next,
            now,
            |rotated_at| refresh::replay(rotated_at, now, grace),
        )
        .await?;
    match rotation {
        Rotation::Rotated => {}
        Rotation::Revoked => return Err(refresh::revoked()),
        Rotation::Refused => return Err(refresh::invalid()),
        Rotation::FamilyRevoked => {
            tracing::warn!(
                pool = %pool.id,
                client = %client.id,
                "a rotated-out refresh token was reused after its grace period; every generation of its sign-in is revoked"
            );
            return Err(refresh::invalid());
        }
    }
    let (access, id) = sign_pair(services, pool, client, user, &next, None).await?;
    Ok(result(client, access, id, Some(refresh_token)))
}
