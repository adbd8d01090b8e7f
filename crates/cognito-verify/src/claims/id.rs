//! [`IdClaims`]: the typed view of a Cognito ID token's payload.

use super::common::CommonClaims;
use super::fields::{self, Claims};
use super::raw::RawClaims;
use crate::error::VerifyError;

/// Claims of a verified Cognito ID token (`token_use: "id"`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IdClaims {
    /// The claims every Cognito token carries (`sub`, `iss`, times, groups, ids).
    pub common: CommonClaims,
    /// The app client the token was issued to. Must be a single string: Cognito never issues
    /// multi-audience tokens, so an array is refused as an invalid claim.
    pub aud: String,
    /// `cognito:username`.
    pub cognito_username: Option<String>,
    /// The user's e-mail address, if the pool shares it.
    pub email: Option<String>,
    /// Every claim as sent, and those without a typed field.
    pub raw: RawClaims,
}

impl IdClaims {
    /// Types the claims object; the caller has already checked `token_use`.
    pub(crate) fn from_claims(mut all: Claims) -> Result<Self, VerifyError> {
        let common = CommonClaims::take(&mut all)?;
        let aud = fields::req_str(&mut all, "aud")?;
        let cognito_username = fields::opt_str(&mut all, "cognito:username")?;
        let email = fields::opt_str(&mut all, "email")?;
        Ok(Self {
            common,
            aud,
            cognito_username,
            email,
            raw: all.finish(),
        })
    }
}
