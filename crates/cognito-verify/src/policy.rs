//! The claim checks that follow a valid signature: token use, client, time window, groups and
//! scopes. Each check is a small function so the verifier reads as a list of them.

use std::collections::HashSet;

use crate::claims::{Claims, CognitoClaims};
use crate::config::TokenUse;
use crate::error::VerifyError;

/// Which groups a token must be in.
#[derive(Debug, Clone, Default)]
pub(crate) enum GroupRule {
    /// No group requirement.
    #[default]
    Any,
    /// At least one of these.
    AnyOf(Vec<String>),
    /// Every one of these.
    AllOf(Vec<String>),
}

/// Which scopes an access token must carry.
#[derive(Debug, Clone, Default)]
pub(crate) enum ScopeRule {
    /// No scope requirement.
    #[default]
    Any,
    /// At least one of these.
    AnyOf(Vec<String>),
    /// Every one of these.
    AllOf(Vec<String>),
}

/// Every claim requirement of a verifier.
#[derive(Debug, Clone)]
pub(crate) struct ClaimPolicy {
    pub(crate) token_use: TokenUse,
    /// `None` only when the check was skipped explicitly.
    pub(crate) client_ids: Option<HashSet<String>>,
    pub(crate) leeway_secs: u64,
    pub(crate) groups: GroupRule,
    pub(crate) scopes: ScopeRule,
}

impl ClaimPolicy {
    /// `token_use` first, on the raw claims, so a token of the other kind is reported as such
    /// rather than as a missing `client_id`/`aud`.
    pub(crate) fn check_token_use(&self, claims: &Claims) -> Result<(), VerifyError> {
        match claims.get("token_use") {
            None => Err(VerifyError::MissingClaim("token_use")),
            Some(serde_json::Value::String(s)) if s == self.token_use.as_str() => Ok(()),
            Some(serde_json::Value::String(_)) => Err(VerifyError::TokenUseMismatch),
            Some(_) => Err(VerifyError::InvalidClaim("token_use")),
        }
    }

    /// `client_id` (access) or `aud` (ID) must be an accepted client.
    pub(crate) fn check_client(&self, claims: &CognitoClaims) -> Result<(), VerifyError> {
        match &self.client_ids {
            None => Ok(()),
            Some(ids) if ids.contains(claims.client_id()) => Ok(()),
            Some(_) => Err(VerifyError::ClientMismatch),
        }
    }

    /// `exp`, `nbf` and `iat` against `now` (seconds), with the leeway.
    pub(crate) fn check_times(&self, claims: &CognitoClaims, now: u64) -> Result<(), VerifyError> {
        self.check_not_expired(claims.exp(), now)?;
        if claims
            .nbf()
            .is_some_and(|nbf| nbf > now.saturating_add(self.leeway_secs))
        {
            return Err(VerifyError::NotYetValid);
        }
        if claims.iat() > now.saturating_add(self.leeway_secs) {
            return Err(VerifyError::IssuedInFuture);
        }
        Ok(())
    }

    /// A token is expired from the second `exp` names (RFC 7519 §4.1.4: "on or after").
    pub(crate) fn check_not_expired(&self, exp: u64, now: u64) -> Result<(), VerifyError> {
        if now >= exp.saturating_add(self.leeway_secs) {
            return Err(VerifyError::Expired);
        }
        Ok(())
    }

    /// Group and scope requirements (403-class failures).
    pub(crate) fn check_authorization(&self, claims: &CognitoClaims) -> Result<(), VerifyError> {
        let groups = claims.groups();
        let in_group = |g: &String| groups.contains(g);
        let groups_ok = match &self.groups {
            GroupRule::Any => true,
            GroupRule::AnyOf(wanted) => wanted.iter().any(in_group),
            GroupRule::AllOf(wanted) => wanted.iter().all(in_group),
        };
        if !groups_ok {
            return Err(VerifyError::InsufficientGroups);
        }
        let has_scope = |s: &String| {
            claims
                .scope()
                .is_some_and(|scopes| scopes.split(' ').any(|have| have == s))
        };
        let scopes_ok = match &self.scopes {
            ScopeRule::Any => true,
            ScopeRule::AnyOf(wanted) => wanted.iter().any(has_scope),
            ScopeRule::AllOf(wanted) => wanted.iter().all(has_scope),
        };
        if !scopes_ok {
            return Err(VerifyError::InsufficientScope);
        }
        Ok(())
    }
}
