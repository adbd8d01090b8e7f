//! The service's extension points: the revocation hook consulted on every request and the
//! custom claim check run once per verified token.

use std::borrow::Cow;
use std::sync::Arc;

use crate::claims::CognitoClaims;
use crate::error::ErrorKind;

/// Revocation as the service sees it (sign-outs, disabled users, revoked refresh tokens).
///
/// Consulted on every [`crate::Verifier::verify`], whether the token came from the cache or
/// not, so a revocation takes effect on the very next request.
pub trait RevocationCheck: Send + Sync + 'static {
    /// Called on every verify, cache hit or not. Must not do I/O (keep an in-memory view).
    fn is_revoked(&self, claims: &CognitoClaims) -> bool;
}

/// Why a custom check refused a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRejection {
    pub(crate) kind: ErrorKind,
    pub(crate) message: Cow<'static, str>,
}

impl CheckRejection {
    /// The token is unacceptable (answered like any invalid token, 401).
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind: ErrorKind::Invalid,
            message: message.into(),
        }
    }

    /// The token is genuine but not allowed here (403).
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind: ErrorKind::Forbidden,
            message: message.into(),
        }
    }
}

/// A custom check over verified claims. It runs once per token, before the token is cached, so
/// it must depend only on the claims (time-dependent rules belong in the revocation hook).
pub(crate) type CustomCheck =
    Arc<dyn Fn(&CognitoClaims) -> Result<(), CheckRejection> + Send + Sync + 'static>;
