//! Verified claims: [`CognitoClaims`] wraps the typed [`AccessClaims`] or [`IdClaims`] and offers
//! the accessors a service needs regardless of token use.

mod access;
mod common;
mod fields;
mod id;
mod raw;

pub use access::AccessClaims;
pub use common::CommonClaims;
pub(crate) use fields::Claims;
pub use id::IdClaims;
pub use raw::RawClaims;

use serde_json::Value;

use crate::config::TokenUse;
use crate::error::VerifyError;

/// The claims of a verified token.
#[derive(Debug, Clone, PartialEq)]
pub enum CognitoClaims {
    /// An access token's claims.
    Access(AccessClaims),
    /// An ID token's claims.
    Id(IdClaims),
}

impl CognitoClaims {
    /// Types the claims object as the given token use.
    pub(crate) fn from_claims(token_use: TokenUse, all: Claims) -> Result<Self, VerifyError> {
        match token_use {
            TokenUse::Access => AccessClaims::from_claims(all).map(Self::Access),
            TokenUse::Id => IdClaims::from_claims(all).map(Self::Id),
        }
    }

    /// Types a JSON payload as `token_use`'s claims, checking only the claims' shapes: no
    /// signature, issuer, audience or expiry check. For payloads verified elsewhere, and for
    /// tests of code that consumes [`CognitoClaims`]; a token from a request goes through
    /// [`Verifier::verify`](crate::Verifier::verify) instead.
    pub fn from_verified_payload(token_use: TokenUse, payload: &[u8]) -> Result<Self, VerifyError> {
        let mut all: Claims =
            serde_json::from_slice(payload).map_err(|_| VerifyError::MalformedClaims)?;
        all.payload = payload.to_vec();
        Self::from_claims(token_use, all)
    }

    /// The claims both kinds of token carry.
    pub fn common(&self) -> &CommonClaims {
        match self {
            Self::Access(c) => &c.common,
            Self::Id(c) => &c.common,
        }
    }

    /// The user's stable id (`sub`).
    pub fn sub(&self) -> &str {
        &self.common().sub
    }

    /// Which kind of token these claims came from.
    pub fn token_use(&self) -> TokenUse {
        match self {
            Self::Access(_) => TokenUse::Access,
            Self::Id(_) => TokenUse::Id,
        }
    }

    /// The user name: `username` in access tokens, `cognito:username` in ID tokens.
    pub fn username(&self) -> Option<&str> {
        match self {
            Self::Access(c) => c.username.as_deref(),
            Self::Id(c) => c.cognito_username.as_deref(),
        }
    }

    /// The e-mail address. Access tokens carry none unless a pre-token-generation trigger adds
    /// one, in which case it is read as an ordinary string claim.
    pub fn email(&self) -> Option<&str> {
        match self {
            Self::Access(_) => self.claim_str("email"),
            Self::Id(c) => c.email.as_deref(),
        }
    }

    /// `cognito:groups` (empty when absent).
    pub fn groups(&self) -> &[String] {
        &self.common().groups
    }

    /// Space-separated OAuth scopes (access tokens only).
    pub fn scope(&self) -> Option<&str> {
        match self {
            Self::Access(c) => c.scope.as_deref(),
            Self::Id(_) => None,
        }
    }

    /// Whether the token grants `scope`: one of the space-separated scopes exactly (a scope
    /// that merely contains it does not count). Id tokens grant none.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope()
            .is_some_and(|granted| granted.split(' ').any(|s| s == scope))
    }

    /// Issue time, seconds since the epoch.
    pub fn iat(&self) -> u64 {
        self.common().iat
    }

    /// Expiry, seconds since the epoch.
    pub fn exp(&self) -> u64 {
        self.common().exp
    }

    /// Not-before, seconds since the epoch, if present.
    pub(crate) fn nbf(&self) -> Option<u64> {
        self.common().nbf
    }

    /// When the user authenticated.
    pub fn auth_time(&self) -> Option<u64> {
        self.common().auth_time
    }

    /// The authentication event's id, shared by every token refreshed from it.
    pub fn origin_jti(&self) -> Option<&str> {
        self.common().origin_jti.as_deref()
    }

    /// This token's id.
    pub fn jti(&self) -> Option<&str> {
        self.common().jti.as_deref()
    }

    /// The issuing pool's URL.
    pub fn issuer(&self) -> &str {
        &self.common().iss
    }

    /// The client the token was issued to: `client_id` (access) or `aud` (ID).
    pub fn client_id(&self) -> &str {
        match self {
            Self::Access(c) => &c.client_id,
            Self::Id(c) => &c.aud,
        }
    }

    /// Every claim as sent, and those without a typed field.
    pub fn raw(&self) -> &RawClaims {
        match self {
            Self::Access(c) => &c.raw,
            Self::Id(c) => &c.raw,
        }
    }

    /// Any claim by name, as sent (for example `custom:tenant_id`).
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.raw().get(name)
    }

    /// A claim by name if it is a string.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claim(name).and_then(Value::as_str)
    }

    /// Every claim of the token, as sent.
    pub fn all_claims(&self) -> &serde_json::Map<String, Value> {
        self.raw().all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Claims {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn id_token_accessors_read_cognito_names() {
        let claims = CognitoClaims::from_claims(
            TokenUse::Id,
            object(json!({
                "sub": "s", "iss": "i", "aud": "c", "cognito:username": "alice",
                "email": "a@example.com", "exp": 2, "iat": 1, "custom:tenant_id": "t1",
                "token_use": "id"
            })),
        )
        .unwrap();
        assert_eq!(claims.username(), Some("alice"));
        assert_eq!(claims.email(), Some("a@example.com"));
        assert_eq!(claims.claim_str("custom:tenant_id"), Some("t1"));
        assert_eq!(claims.client_id(), "c");
        let CognitoClaims::Id(id) = &claims else {
            unreachable!("typed as id")
        };
        let extra: Vec<_> = id.raw.extra().map(|(k, _)| k).collect();
        assert_eq!(extra, vec!["custom:tenant_id"]);
    }

    #[test]
    fn an_aud_list_is_an_invalid_claim() {
        let err = CognitoClaims::from_claims(
            TokenUse::Id,
            object(json!({"sub": "s", "iss": "i", "aud": ["c"], "exp": 2, "iat": 1})),
        )
        .unwrap_err();
        assert_eq!(err, VerifyError::InvalidClaim("aud"));
    }

    #[test]
    fn a_scope_counts_only_as_a_whole_word_and_id_tokens_have_none() {
        let access = |scope: &str| {
            CognitoClaims::from_claims(
                TokenUse::Access,
                object(json!({
                    "sub": "s", "iss": "i", "client_id": "c", "exp": 2, "iat": 1,
                    "token_use": "access", "scope": scope
                })),
            )
            .unwrap()
        };
        let admin = "aws.cognito.signin.user.admin";
        assert!(access("openid aws.cognito.signin.user.admin").has_scope(admin));
        assert!(!access("openid email").has_scope(admin));
        assert!(!access("x-aws.cognito.signin.user.admin-y").has_scope(admin));
        let id = CognitoClaims::from_claims(
            TokenUse::Id,
            object(json!({"sub": "s", "iss": "i", "aud": "c", "exp": 2, "iat": 1})),
        )
        .unwrap();
        assert!(!id.has_scope(admin));
    }
}
