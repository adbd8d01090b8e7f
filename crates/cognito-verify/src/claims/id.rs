//! [`IdClaims`]: the typed view of a Cognito ID token's payload.

use super::fields::{self, Claims};
use super::raw::RawClaims;
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
    /// Every claim as sent, and those without a typed field.
    pub raw: RawClaims,
}

impl IdClaims {
    /// Types the claims object; the caller has already checked `token_use`.
    pub(crate) fn from_claims(mut all: Claims) -> Result<Self, VerifyError> {
        let sub = fields::req_str(&mut all, "sub")?;
        let iss = fields::req_str(&mut all, "iss")?;
        let aud = fields::req_str(&mut all, "aud")?;
        let cognito_username = fields::opt_str(&mut all, "cognito:username")?;
        let email = fields::opt_str(&mut all, "email")?;
        let groups = fields::groups(&mut all)?;
        let exp = fields::req_u64(&mut all, "exp")?;
        let iat = fields::req_u64(&mut all, "iat")?;
        let nbf = fields::opt_u64(&mut all, "nbf")?;
        let auth_time = fields::opt_u64(&mut all, "auth_time")?;
        let jti = fields::opt_str(&mut all, "jti")?;
        let origin_jti = fields::opt_str(&mut all, "origin_jti")?;
        let event_id = fields::opt_str(&mut all, "event_id")?;
        let raw = all.finish();
        Ok(Self {
            sub,
            iss,
            aud,
            cognito_username,
            email,
            groups,
            exp,
            iat,
            nbf,
            auth_time,
            jti,
            origin_jti,
            event_id,
            raw,
        })
    }
}
