//! [`RawClaims`]: the claims of a verified token as sent, beside the typed fields of
//! [`super::AccessClaims`] and [`super::IdClaims`].

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// A verified token's claims as JSON: those without a typed field (parsed eagerly), and every
/// claim (rebuilt from the payload on first use: most requests never ask for it).
#[derive(Debug, Clone, PartialEq)]
pub struct RawClaims {
    extra: Map<String, Value>,
    payload: Vec<u8>,
    full: OnceLock<Map<String, Value>>,
}

impl RawClaims {
    /// The claims without a typed field, and the decoded payload they came from.
    pub(crate) fn new(extra: Map<String, Value>, payload: Vec<u8>) -> Self {
        Self {
            extra,
            payload,
            full: OnceLock::new(),
        }
    }

    /// Every claim of the token, typed ones included, as sent.
    pub fn all(&self) -> &Map<String, Value> {
        // The payload parsed as claims before, so it parses as a map now; an empty map is an
        // unreachable fallback, not a silent failure mode.
        self.full
            .get_or_init(|| serde_json::from_slice(&self.payload).unwrap_or_default())
    }

    /// Any claim by name (typed ones included).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.extra.get(name).or_else(|| self.all().get(name))
    }

    /// The claims without a typed field (custom attributes and anything Cognito adds later).
    pub fn extra(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.extra
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }
}
