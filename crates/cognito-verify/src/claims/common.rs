//! [`CommonClaims`]: the claims Cognito writes into both access and ID tokens.

use super::fields::{self, Claims};
use crate::error::VerifyError;

/// Claims present in both kinds of Cognito token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CommonClaims {
    /// The user's stable id.
    pub sub: String,
    /// The issuing pool's URL.
    pub iss: String,
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
}

impl CommonClaims {
    /// Takes the common claims out of the claims object, typed.
    pub(crate) fn take(all: &mut Claims) -> Result<Self, VerifyError> {
        Ok(Self {
            sub: fields::req_str(all, "sub")?,
            iss: fields::req_str(all, "iss")?,
            groups: fields::groups(all)?,
            exp: fields::req_u64(all, "exp")?,
            iat: fields::req_u64(all, "iat")?,
            nbf: fields::opt_u64(all, "nbf")?,
            auth_time: fields::opt_u64(all, "auth_time")?,
            jti: fields::opt_str(all, "jti")?,
            origin_jti: fields::opt_str(all, "origin_jti")?,
            event_id: fields::opt_str(all, "event_id")?,
        })
    }
}
