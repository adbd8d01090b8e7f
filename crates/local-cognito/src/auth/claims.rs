//! The claims of access and id tokens, with Cognito's names; signed by [`super::tokens`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::crypto::random;
use crate::domain::client::Client;
use crate::domain::oauth::ADMIN_SCOPE;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::store::RefreshFamily;

const BOOLEAN_CLAIMS: &[&str] = &["email_verified", "phone_number_verified"];

/// Who the tokens are for and when: the parts both tokens share.
pub(crate) struct Subject<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) pool: &'a Pool,
    pub(crate) client: &'a Client,
    pub(crate) user: &'a User,
    pub(crate) groups: &'a [String],
    pub(crate) family: &'a RefreshFamily,
    pub(crate) now: i64,
}

/// The user's attributes this client may read (all of them when `ReadAttributes` is empty),
/// `sub` left out.
pub(crate) fn readable<'a>(
    client: &'a Client,
    user: &'a User,
) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
    let allowed = &client.settings.read_attributes;
    user.attributes.iter().filter(move |(name, _)| {
        name.as_str() != "sub" && (allowed.is_empty() || allowed.contains(name))
    })
}

/// The access token's claims; `scope` is the granted scopes (the admin scope for API sign-ins).
pub(crate) fn access(subject: &Subject<'_>) -> Map<String, Value> {
    let Subject {
        issuer,
        pool,
        client,
        user,
        groups,
        family,
        now,
    } = subject;
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
    access.insert(
        "scope".into(),
        json!(family.scopes.as_deref().unwrap_or(ADMIN_SCOPE)),
    );
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
    access
}

/// `at_hash`: base64url of the left half of the SHA-256 of the access token (OIDC Core 3.1.3.6).
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// The id token's claims; `nonce` only when the authorization request carried one, `at_hash`
/// only for the code flow (where the caller passes the access token).
pub(crate) fn id(
    subject: &Subject<'_>,
    nonce: Option<&str>,
    access_token: Option<&str>,
) -> Map<String, Value> {
    let Subject {
        issuer,
        client,
        user,
        groups,
        family,
        now,
        ..
    } = subject;
    let mut id = Map::new();
    id.insert("sub".into(), json!(user.sub));
    if !groups.is_empty() {
        id.insert("cognito:groups".into(), json!(groups));
    }
    for (name, value) in readable(client, user) {
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
    if let Some(nonce) = nonce {
        id.insert("nonce".into(), json!(nonce));
    }
    if let Some(token) = access_token {
        id.insert("at_hash".into(), json!(at_hash(token)));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_matches_the_oidc_example() {
        // OpenID Connect Core, appendix A.3: the access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
        // has at_hash "77QmUPtjPfzWtF2AnpK9RQ".
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }
}
