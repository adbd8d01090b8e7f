//! [`AccessClaims`]: the typed view of a Cognito access token's payload.

use super::fields::{self, Claims};
use super::raw::RawClaims;
use crate::error::VerifyError;

/// Claims of a verified Cognito access token (`token_use: "access"`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AccessClaims {
    /// The user's stable id.
    pub sub: String,
    /// The issuing pool's URL.
    pub iss: String,
    /// The app client the token was issued to.
    pub client_id: String,
    /// Space-separated OAuth scopes, if any.
    pub scope: Option<String>,
    /// The user name.
    pub username: Option<String>,
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
    /// Cognito's token format version.
    pub version: Option<u64>,
    /// Every claim as sent, and those without a typed field.
    pub raw: RawClaims,
}

impl AccessClaims {
    /// Types the claims object; the caller has already checked `token_use`.
    pub(crate) fn from_claims(mut all: Claims) -> Result<Self, VerifyError> {
        let sub = fields::req_str(&mut all, "sub")?;
        let iss = fields::req_str(&mut all, "iss")?;
        let client_id = fields::req_str(&mut all, "client_id")?;
        let scope = fields::opt_str(&mut all, "scope")?;
        let username = fields::opt_str(&mut all, "username")?;
        let groups = fields::groups(&mut all)?;
        let exp = fields::req_u64(&mut all, "exp")?;
        let iat = fields::req_u64(&mut all, "iat")?;
        let nbf = fields::opt_u64(&mut all, "nbf")?;
        let auth_time = fields::opt_u64(&mut all, "auth_time")?;
        let jti = fields::opt_str(&mut all, "jti")?;
        let origin_jti = fields::opt_str(&mut all, "origin_jti")?;
        let event_id = fields::opt_str(&mut all, "event_id")?;
        let version = fields::opt_u64(&mut all, "version")?;
        let raw = all.finish();
        Ok(Self {
            sub,
            iss,
            client_id,
            scope,
            username,
            groups,
            exp,
            iat,
            nbf,
            auth_time,
            jti,
            origin_jti,
            event_id,
            version,
            raw,
        })
    }
}
