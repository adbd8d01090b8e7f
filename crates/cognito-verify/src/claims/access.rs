//! [`AccessClaims`]: the typed view of a Cognito access token's payload.

use super::common::CommonClaims;
use super::fields::{self, Claims};
use super::raw::RawClaims;
use crate::error::VerifyError;

/// Claims of a verified Cognito access token (`token_use: "access"`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AccessClaims {
    /// The claims every Cognito token carries (`sub`, `iss`, times, groups, ids).
    pub common: CommonClaims,
    /// The app client the token was issued to.
    pub client_id: String,
    /// Space-separated OAuth scopes, if any.
    pub scope: Option<String>,
    /// The user name.
    pub username: Option<String>,
    /// Cognito's token format version.
    pub version: Option<u64>,
    /// Every claim as sent, and those without a typed field.
    pub raw: RawClaims,
}

impl AccessClaims {
    /// Types the claims object; the caller has already checked `token_use`.
    pub(crate) fn from_claims(mut all: Claims) -> Result<Self, VerifyError> {
        let common = CommonClaims::take(&mut all)?;
        let client_id = fields::req_str(&mut all, "client_id")?;
        let scope = fields::opt_str(&mut all, "scope")?;
        let username = fields::opt_str(&mut all, "username")?;
        let version = fields::opt_u64(&mut all, "version")?;
        Ok(Self {
            common,
            client_id,
            scope,
            username,
            version,
            raw: all.finish(),
        })
    }
}
