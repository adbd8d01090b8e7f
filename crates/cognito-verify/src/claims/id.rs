//! [`IdClaims`]: the typed view of a Cognito ID token's payload.

use serde_json::Value;

use super::fields::{self, Claims};
use crate::error::VerifyError;

/// Claims of a verified Cognito ID token (`token_use: "id"`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IdClaims {
    /// The user's stable id.
    pub sub: String,
    /// The issuing pool's URL.
    pub iss: String,
    /// The app client the token was issued to. Must be a single string: Cognito never issues
    /// multi-audience tokens, so an array is refused as an invalid claim.
    pub aud: String,
    /// `cognito:username`.
    pub cognito_username: Option<String>,
    /// The user's e-mail address, if the pool shares it.
    pub email: Option<String>,
    /// `cognito:groups` (empty when absent).
    pub groups: Vec<String>,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issue time, seconds since the epoch.
    pub iat: u64,
    /// Not-before, seconds since the epoch, if present.
    pub nbf: Option<u64>,
    /// When the user authenticated, seconds since the epoch.
    pub auth_time: Option<u64>,
    /// This token's id.
    pub jti: Option<String>,
    /// The id of the authentication event the token descends from (used for revocation).
    pub origin_jti: Option<String>,
    /// Cognito's authentication event id.
    pub event_id: Option<String>,
    all: Claims,
}

/// Names with a typed field above; everything else is reachable through
/// [`IdClaims::extra_claims`].
const TYPED: [&str; 14] = [
    "sub",
    "iss",
    "aud",
    "token_use",
    "cognito:username",
    "email",
    "cognito:groups",
    "exp",
    "iat",
    "nbf",
    "auth_time",
    "jti",
    "origin_jti",
    "event_id",
];

impl IdClaims {
    /// Types the claims object; the caller has already checked `token_use`.
    pub(crate) fn from_claims(all: Claims) -> Result<Self, VerifyError> {
        Ok(Self {
            sub: fields::req_str(&all, "sub")?,
            iss: fields::req_str(&all, "iss")?,
            aud: fields::req_str(&all, "aud")?,
            cognito_username: fields::opt_str(&all, "cognito:username")?,
            email: fields::opt_str(&all, "email")?,
            groups: fields::groups(&all)?,
            exp: fields::req_u64(&all, "exp")?,
            iat: fields::req_u64(&all, "iat")?,
            nbf: fields::opt_u64(&all, "nbf")?,
            auth_time: fields::opt_u64(&all, "auth_time")?,
            jti: fields::opt_str(&all, "jti")?,
            origin_jti: fields::opt_str(&all, "origin_jti")?,
            event_id: fields::opt_str(&all, "event_id")?,
            all,
        })
    }

    /// Every claim of the token, typed ones included, as sent.
    pub fn all_claims(&self) -> &serde_json::Map<String, Value> {
        &self.all
    }

    /// The claims without a typed field (`custom:*` attributes, `email_verified`, …).
    pub fn extra_claims(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.all
            .iter()
            .filter(|(name, _)| !TYPED.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value))
    }
}
