//! [`AccessClaims`]: the typed view of a Cognito access token's payload.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::fields::{self, Claims};
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
    /// Claims without a typed field, parsed eagerly.
    extra: Map<String, Value>,
    /// The decoded payload, for [`Self::all_claims`].
    payload: Vec<u8>,
    /// Every claim, rebuilt from `payload` on first use: most requests never ask for it.
    full: OnceLock<Map<String, Value>>,
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
        let (extra, payload) = all.finish();
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
            extra,
            payload,
            full: OnceLock::new(),
        })
    }

    /// Every claim of the token, typed ones included, as sent.
    pub fn all_claims(&self) -> &Map<String, Value> {
        // The payload parsed as claims before, so it parses as a map now; an empty map is an
        // unreachable fallback, not a silent failure mode.
        self.full
            .get_or_init(|| serde_json::from_slice(&self.payload).unwrap_or_default())
    }

    /// Any claim by name (typed ones included).
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.extra.get(name).or_else(|| self.all_claims().get(name))
    }

    /// The claims without a typed field (custom attributes and anything Cognito adds later).
    pub fn extra_claims(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.extra
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }
}
