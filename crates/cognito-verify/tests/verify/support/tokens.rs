//! Building and signing test tokens, including deliberately broken ones.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::keys::TestKey;

/// `base64url(no pad)` of arbitrary bytes.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token under construction: header and claims as JSON, signed on [`Self::sign`].
#[derive(Clone)]
pub struct TokenSpec {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

impl TokenSpec {
    /// A valid Cognito access token for `issuer`/`client`, issued at `now`, valid one hour.
    pub fn access(issuer: &str, client: &str, kid: &str, now: u64) -> Self {
        Self::new(
            kid,
            json!({
                "sub": "11111111-2222-3333-4444-555555555555",
                "iss": issuer,
                "client_id": client,
                "origin_jti": "origin-1",
                "event_id": "event-1",
                "token_use": "access",
                "scope": "aws.cognito.signin.user.admin items/read",
                "auth_time": now,
                "exp": now + 3600,
                "iat": now,
                "jti": "jti-1",
                "username": "alice",
                "cognito:groups": ["admins", "tenant-acme"],
                "version": 2,
            }),
        )
    }

    /// A valid Cognito ID token for `issuer`/`client`.
    pub fn id(issuer: &str, client: &str, kid: &str, now: u64) -> Self {
        Self::new(
            kid,
            json!({
                "sub": "11111111-2222-3333-4444-555555555555",
                "iss": issuer,
                "aud": client,
                "token_use": "id",
                "cognito:username": "alice",
                "email": "alice@example.com",
                "email_verified": true,
                "custom:tenant_id": "acme",
                "auth_time": now,
                "exp": now + 3600,
                "iat": now,
                "jti": "jti-2",
                "origin_jti": "origin-1",
            }),
        )
    }

    fn new(kid: &str, claims: Value) -> Self {
        let Value::Object(claims) = claims else {
            unreachable!()
        };
        let Value::Object(header) = json!({"kid": kid, "alg": "RS256"}) else {
            unreachable!()
        };
        Self { header, claims }
    }

    /// Sets (or with `Value::Null` … still sets) a claim.
    pub fn claim(mut self, name: &str, value: Value) -> Self {
        self.claims.insert(name.to_owned(), value);
        self
    }

    /// Removes a claim.
    pub fn without_claim(mut self, name: &str) -> Self {
        self.claims.remove(name);
        self
    }

    /// Sets a header member.
    pub fn header(mut self, name: &str, value: Value) -> Self {
        self.header.insert(name.to_owned(), value);
        self
    }

    /// Removes a header member.
    pub fn without_header(mut self, name: &str) -> Self {
        self.header.remove(name);
        self
    }

    /// `header.payload` as base64url of the JSON.
    pub fn signing_input(&self) -> String {
        format!(
            "{}.{}",
            b64(serde_json::to_vec(&self.header).unwrap()),
            b64(serde_json::to_vec(&self.claims).unwrap())
        )
    }

    /// The compact token signed with `key` (whatever `alg` the header claims).
    pub fn sign(&self, key: &TestKey) -> String {
        let input = self.signing_input();
        let signature = key.sign(input.as_bytes());
        format!("{input}.{}", b64(signature))
    }

    /// The compact token with an explicit signature segment.
    pub fn with_signature(&self, signature: &str) -> String {
        format!("{}.{signature}", self.signing_input())
    }
}
