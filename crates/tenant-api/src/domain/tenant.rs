//! `TenantId`: a tenant identifier that is valid by construction.

use std::fmt;
use std::sync::Arc;

/// A validated tenant id: 1–64 characters of `[A-Za-z0-9_-]`.
///
/// Only [`TenantId::parse`] builds one, so every id is well-formed. An id alone reaches no
/// tenant rows: the store takes a [`crate::tenancy::ScopedTenant`], which only the tenant
/// resolver builds. Shared, not copied: cloning one (into every row of a page, say) only counts a reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TenantId(Arc<str>);

/// Why a string is not a tenant id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantIdError {
    /// Empty or longer than 64 characters.
    #[error("tenant id must be 1 to 64 characters long")]
    Length,
    /// A character outside `[A-Za-z0-9_-]`.
    #[error("tenant id may only contain letters, digits, '_' and '-'")]
    Character,
}

impl TenantId {
    /// The tenant every request uses when multi-tenancy is off.
    pub const PUBLIC: &'static str = "public";
    /// Longest accepted tenant id.
    pub const MAX_LEN: usize = 64;

    /// Validates `raw` as a tenant id.
    pub fn parse(raw: &str) -> Result<Self, TenantIdError> {
        Self::check(raw)?;
        Ok(Self(Arc::from(raw)))
    }

    /// Whether `raw` follows the rules of a tenant id (1–64 characters of `[A-Za-z0-9_-]`),
    /// without building one.
    pub fn check(raw: &str) -> Result<(), TenantIdError> {
        if raw.is_empty() || raw.len() > Self::MAX_LEN {
            return Err(TenantIdError::Length);
        }
        if !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(TenantIdError::Character);
        }
        Ok(())
    }

    /// The single tenant used when multi-tenancy is disabled.
    pub fn public() -> Self {
        Self(Arc::from(Self::PUBLIC))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Written as the plain string.
impl serde::Serialize for TenantId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_letters_digits_underscore_and_dash_up_to_64() {
        assert!(TenantId::parse("acme_Corp-42").is_ok());
        assert!(TenantId::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn serialises_as_the_plain_string() {
        let id = TenantId::parse("acme").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"acme\"");
    }

    #[test]
    fn rejects_empty_long_and_odd_values() {
        assert_eq!(TenantId::parse(""), Err(TenantIdError::Length));
        assert_eq!(TenantId::parse(&"a".repeat(65)), Err(TenantIdError::Length));
        for odd in ["a b", "a/b", "../x", "a%00", "tenant;drop", "é", "a.b", "*"] {
            assert_eq!(TenantId::parse(odd), Err(TenantIdError::Character), "{odd}");
        }
    }
}
