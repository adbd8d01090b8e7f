//! Issuing id, access and refresh tokens with Cognito's claim names.

use serde_json::{json, Map, Value};

use super::AuthenticationResult;
use crate::crypto::{jwt, random};
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::RefreshFamily;

const BOOLEAN_CLAIMS: &[&str] = &["email_verified", "phone_number_verified"];

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

/// Signs a new access/id token pair for `family`; the refresh token is added by the caller.
fn token_pair(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
    groups: &[String],
    family: &RefreshFamily,
) -> Result<(String, String), CognitoError> {
    let now = services.now();
    let issuer = services.issuer(&pool.id);
    let mut access = Map::new();
    access.insert("sub".into(), json!(user.sub));
    if !groups.is_empty() {
        access.insert("cognito:groups".into(), json!(groups));
    }
    access.insert("iss".into(), json!(issuer));
    access.insert("version".into(), json!(2));
    access.insert("client_id".into(), json!(client.id));
    access.insert("origin_jti".into(), json!(family.origin_jti));
    access.insert("event_id".into(), json!(family.event_id));
    access.insert("token_use".into(), json!("access"));
    access.insert("scope".into(), json!("aws.cognito.signin.user.admin"));
    access.insert("auth_time".into(), json!(family.auth_time));
    access.insert("exp".into(), json!(now + client.access_ttl()));
    access.insert("iat".into(), json!(now));
    access.insert("jti".into(), json!(random::uuid()));
    access.insert("username".into(), json!(user.username));
    // Emulates a pre-token-generation V2 trigger that adds these attributes as claims.
    for name in &pool.settings.access_token_attributes {
        if let Some(value) = user.attributes.get(name) {
            access.insert(name.clone(), json!(value));
        }
    }

    let mut id = Map::new();
    id.insert("sub".into(), json!(user.sub));
    if !groups.is_empty() {
        id.insert("cognito:groups".into(), json!(groups));
    }
    for (name, value) in &user.attributes {
        if name == "sub" {
            continue;
        }
        let claim = if BOOLEAN_CLAIMS.contains(&name.as_str()) {
            json!(value == "true")
        } else {
            json!(value)
        };
        id.insert(name.clone(), claim);
    }
    id.insert("iss".into(), json!(issuer));
    id.insert("cognito:username".into(), json!(user.username));
    id.insert("origin_jti".into(), json!(family.origin_jti));
    id.insert("aud".into(), json!(client.id));
    id.insert("event_id".into(), json!(family.event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(family.auth_time));
    id.insert("exp".into(), json!(now + client.id_ttl()));
    id.insert("iat".into(), json!(now));
    id.insert("jti".into(), json!(random::uuid()));

    Ok((sign(services, false, &access)?, sign(services, true, &id)?))
}

/// Tokens for a fresh sign-in: a new refresh token family plus access and id tokens.
pub(crate) async fn issue_new(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
) -> Result<AuthenticationResult, CognitoError> {
    let now = services.now();
    let family = RefreshFamily {
        origin_jti: random::uuid(),
        pool_id: pool.id.clone(),
        client_id: client.id.clone(),
        username: user.username.clone(),
        auth_time: now,
        event_id: random::uuid(),
        expires_at: now + client.refresh_ttl(),
        revoked: false,
    };
    let refresh_token = random::opaque_token();
    services
        .store()
        .insert_refresh(&random::token_hash(&refresh_token), &family)
        .await?;
    let groups = services
        .store()
        .user_groups(&pool.id, &user.username)
        .await?;
    let (access_token, id_token) = token_pair(services, pool, client, user, &groups, &family)?;
    Ok(AuthenticationResult {
        access_token,
        expires_in: client.access_ttl(),
        token_type: "Bearer",
        refresh_token: Some(refresh_token),
        id_token,
    })
}

/// Tokens for a refresh: same `origin_jti` and `auth_time`, no new refresh token.
pub(crate) async fn issue_refreshed(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
    family: &RefreshFamily,
) -> Result<AuthenticationResult, CognitoError> {
    let groups = services
        .store()
        .user_groups(&pool.id, &user.username)
        .await?;
    let (access_token, id_token) = token_pair(services, pool, client, user, &groups, family)?;
    Ok(AuthenticationResult {
        access_token,
        expires_in: client.access_ttl(),
        token_type: "Bearer",
        refresh_token: None,
        id_token,
    })
}
