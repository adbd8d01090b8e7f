//! Error types: why a token was refused ([`VerifyError`]) and why a configuration was refused
//! ([`ConfigError`]). Neither contains HTTP types; the optional axum extractor maps them.

use std::borrow::Cow;

/// How the caller should answer a failed verification.
///
/// The mapping to HTTP is the extractor's job, but the classes follow RFC 6750.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The token is missing, malformed, forged, expired or otherwise unacceptable (401).
    Invalid,
    /// The token is genuine but lacks a required group, scope or custom permission (403).
    Forbidden,
    /// No signing keys can be had for the token's issuer right now (503).
    Unavailable,
}

/// Why a token was refused.
///
/// Messages are for logs only: they may name the failed check, so never send them to clients.
/// [`VerifyError::reason`] is a stable machine-readable code suitable for metrics labels.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token exceeds the size bound and was refused before any parsing.
    #[error("token is larger than {max} bytes")]
    TokenTooLarge {
        /// The bound in bytes.
        max: usize,
    },
    /// The token is not three strict base64url segments.
    #[error("token is not a well-formed compact JWS")]
    Malformed,
    /// The protected header is not valid JSON of the expected shape.
    #[error("token header is malformed")]
    MalformedHeader,
    /// The header names an algorithm other than RS256.
    #[error("algorithm is not RS256")]
    UnsupportedAlgorithm,
    /// The header carries no usable `kid`.
    #[error("token header has no usable kid")]
    MissingKid,
    /// The header carries a `crit` parameter; no extension is understood, so all are refused.
    #[error("token header carries a crit parameter")]
    CriticalHeader,
    /// The payload is not a JSON object.
    #[error("token payload is not a JSON object")]
    MalformedClaims,
    /// A required claim is absent.
    #[error("required claim `{0}` is missing")]
    MissingClaim(&'static str),
    /// A claim has the wrong JSON type or an unacceptable value shape.
    #[error("claim `{0}` has the wrong type")]
    InvalidClaim(&'static str),
    /// `iss` matches none of the configured pools exactly.
    #[error("issuer is not one of the configured pools")]
    IssuerMismatch,
    /// The issuer's key set has no key with the token's `kid`, even after a refetch was allowed.
    #[error("no key with the token's kid")]
    UnknownKid,
    /// The signature does not verify with the key named by `kid`.
    #[error("signature does not verify")]
    InvalidSignature,
    /// `token_use` is not the configured one.
    #[error("token_use is not the expected one")]
    TokenUseMismatch,
    /// `client_id` (access tokens) or `aud` (ID tokens) is not an accepted client.
    #[error("client is not accepted")]
    ClientMismatch,
    /// `exp` is in the past (beyond the leeway).
    #[error("token has expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("token is not valid yet")]
    NotYetValid,
    /// `iat` is in the future (beyond the leeway).
    #[error("token was issued in the future")]
    IssuedInFuture,
    /// The revocation hook reported the token as revoked.
    #[error("token has been revoked")]
    Revoked,
    /// The token's groups do not satisfy the configured group policy.
    #[error("token lacks a required group")]
    InsufficientGroups,
    /// The token's scopes do not satisfy the configured scope policy.
    #[error("token lacks a required scope")]
    InsufficientScope,
    /// The custom check hook refused the token.
    #[error("custom check refused the token: {message}")]
    CustomCheck {
        /// Whether the refusal is a 401 or a 403 class error.
        kind: ErrorKind,
        /// The hook's explanation, for logs.
        message: Cow<'static, str>,
    },
    /// No usable keys for the issuer: never fetched successfully, or older than the max stale age
    /// and the refetch failed. Fails closed.
    #[error("signing keys are unavailable for the issuer")]
    KeysUnavailable,
    /// Fetching a JWKS failed (reported by [`crate::Verifier::hydrate`]).
    #[error("fetching JWKS from {uri} failed: {message}")]
    JwksFetch {
        /// The JWKS URI.
        uri: String,
        /// What went wrong.
        message: String,
    },
}

/// Every stable reason code, in the order used by the metrics counters.
pub(crate) const REASONS: [&str; 23] = [
    "token_too_large",
    "malformed_token",
    "malformed_header",
    "unsupported_alg",
    "missing_kid",
    "crit_header",
    "malformed_claims",
    "missing_claim",
    "invalid_claim",
    "issuer_mismatch",
    "unknown_kid",
    "invalid_signature",
    "token_use_mismatch",
    "client_mismatch",
    "expired",
    "not_yet_valid",
    "issued_in_future",
    "revoked",
    "insufficient_groups",
    "insufficient_scope",
    "custom_check",
    "keys_unavailable",
    "jwks_fetch_failed",
];

impl VerifyError {
    /// A stable, machine-readable code naming the failed check (for logs and metrics labels).
    pub fn reason(&self) -> &'static str {
        REASONS[self.reason_index()]
    }

    /// Index of [`Self::reason`] in [`REASONS`].
    pub(crate) fn reason_index(&self) -> usize {
        match self {
            Self::TokenTooLarge { .. } => 0,
            Self::Malformed => 1,
            Self::MalformedHeader => 2,
            Self::UnsupportedAlgorithm => 3,
            Self::MissingKid => 4,
            Self::CriticalHeader => 5,
            Self::MalformedClaims => 6,
            Self::MissingClaim(_) => 7,
            Self::InvalidClaim(_) => 8,
            Self::IssuerMismatch => 9,
            Self::UnknownKid => 10,
            Self::InvalidSignature => 11,
            Self::TokenUseMismatch => 12,
            Self::ClientMismatch => 13,
            Self::Expired => 14,
            Self::NotYetValid => 15,
            Self::IssuedInFuture => 16,
            Self::Revoked => 17,
            Self::InsufficientGroups => 18,
            Self::InsufficientScope => 19,
            Self::CustomCheck { .. } => 20,
            Self::KeysUnavailable => 21,
            Self::JwksFetch { .. } => 22,
        }
    }

    /// The response class: 401, 403 or 503.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InsufficientGroups | Self::InsufficientScope => ErrorKind::Forbidden,
            Self::CustomCheck { kind, .. } => *kind,
            Self::KeysUnavailable | Self::JwksFetch { .. } => ErrorKind::Unavailable,
            _ => ErrorKind::Invalid,
        }
    }
}

/// Why [`crate::VerifierBuilder::build`] refused a configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No user pool was configured.
    #[error("at least one user pool is required")]
    NoPool,
    /// Two pools share an issuer.
    #[error("issuer {0} is configured twice")]
    DuplicateIssuer(String),
    /// `token_use` was not set; it is required so that an ID token is never taken for an access
    /// token (or the reverse) by accident.
    #[error("token_use is required")]
    MissingTokenUse,
    /// Neither client ids nor the explicit opt-out were given.
    #[error("client_ids is required (or call skip_client_id_check explicitly)")]
    MissingClientIds,
    /// Client ids were given together with the opt-out; one of the two is a mistake.
    #[error("client_ids and skip_client_id_check are mutually exclusive")]
    ConflictingClientIdConfig,
    /// The leeway exceeds 300 s.
    #[error("leeway {0:?} exceeds the 300 s maximum")]
    LeewayTooLarge(std::time::Duration),
    /// Scopes were required of ID tokens, which never carry any.
    #[error("scope requirements only apply to access tokens")]
    ScopesOnIdTokens,
    /// A JWKS URI is not an absolute https URL (http is allowed for loopback hosts only, unless
    /// explicitly allowed).
    #[error("JWKS URI {0} is not an acceptable https URL")]
    InsecureJwksUri(String),
    /// A duration setting is zero or otherwise unusable.
    #[error("{0} must be greater than zero")]
    ZeroDuration(&'static str),
    /// The HTTP client could not be created.
    #[error("building the HTTP client failed: {0}")]
    HttpClient(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_code_is_distinct() {
        let mut sorted = REASONS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), REASONS.len());
    }

    #[test]
    fn group_and_scope_failures_are_forbidden_not_invalid() {
        assert_eq!(VerifyError::InsufficientScope.kind(), ErrorKind::Forbidden);
        assert_eq!(VerifyError::InsufficientGroups.kind(), ErrorKind::Forbidden);
        assert_eq!(VerifyError::Expired.kind(), ErrorKind::Invalid);
        assert_eq!(VerifyError::KeysUnavailable.kind(), ErrorKind::Unavailable);
    }
}
