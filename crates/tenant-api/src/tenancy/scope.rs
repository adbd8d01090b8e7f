//! `ScopedTenant`: the proof-carrying key every tenant-data store call takes.

use std::fmt;

use crate::domain::tenant::TenantId;

/// A tenant the caller was proven to belong to, for the length of one request.
///
/// The store takes this and nothing else for tenant data, and only the tenant resolver
/// ([`super::TenantResolver::resolve`]) builds one (its constructor is private to
/// `tenancy`), after the proof has run. A [`TenantId`] parsed from any other string reaches no
/// rows. Not `Deserialize`: a scope never comes from input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopedTenant(TenantId);

impl ScopedTenant {
    /// Wraps a tenant the resolver has settled (and, in strict mode, proven).
    pub(super) fn settled(id: TenantId) -> Self {
        Self(id)
    }

    /// A scope for the operator's command line (`tenant-api tenants …`, `users create`), which
    /// acts on whichever tenant it is told to: its user holds the database and Cognito
    /// credentials already. No request reaches this.
    pub(crate) fn for_operator(id: TenantId) -> Self {
        Self(id)
    }

    /// A scope built without a proof, for the store test suites only (feature `test-support`,
    /// off in every build of the service).
    #[cfg(feature = "test-support")]
    pub fn unproven_for_tests(id: TenantId) -> Self {
        Self(id)
    }

    /// The tenant's id.
    pub fn id(&self) -> &TenantId {
        &self.0
    }

    /// The tenant's id as a string slice (what every query binds to `tenant_id`).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for ScopedTenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
