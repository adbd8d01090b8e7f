//! Resolving the tenant of a request and proving the caller belongs to it.
//!
//! The requested tenant (header or subdomain) is never trusted on its own in strict mode: it must
//! be the user's home tenant, read from the verified token's claim or, for tokens without it
//! (such as Cognito access tokens), from the user's attribute via Cognito GetUser, or
//! AdminGetUser for Hosted UI tokens that may not call GetUser; or the user must have a
//! membership of it (`membership.rs`). Either way a suspended or removed membership refuses the
//! tenant, in every mode.

mod membership;
mod proof;
mod scope;
mod subdomain;
mod user_source;

use std::sync::Arc;

use cognito_verify::{CognitoClaims, TokenUse};

use crate::cognito::CognitoError;
use crate::config::{TenancyConfig, TenantMode};
use crate::domain::membership::{Joined, Membership};
use crate::domain::tenant::{TenantId, TenantIdError};

pub use membership::{Memberships, STANDING_TTL};
pub use proof::{TenantAttributeSource, TenantProofs, UserTenant};
pub use scope::ScopedTenant;
pub use subdomain::tenant_label;
pub use user_source::user_attribute_source;

/// Why no tenant could be settled for a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantError {
    /// The request names no tenant and the token carries none.
    #[error("Tenant not provided")]
    NotProvided,
    /// The tenant value is malformed.
    #[error("invalid tenant id: {0}")]
    Invalid(TenantIdError),
    /// The requested tenant differs from the user's.
    #[error("Tenant mismatch")]
    Mismatch,
    /// The user's tenant could not be established.
    #[error("Tenant could not be verified for this user")]
    NotProven,
    /// The caller's membership of the tenant is suspended.
    #[error("access to this tenant was suspended")]
    Suspended,
    /// Cognito could not be asked about the user's tenant just now (unreachable, throttling,
    /// saturated): not a refusal, so try again shortly.
    #[error("Tenant could not be verified right now; try again shortly")]
    Unavailable,
}

/// A tenant a person may use, as [`TenantResolver::own_tenants`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnTenant {
    /// Their membership of it (role and state).
    pub membership: Membership,
    /// Whether it is their home tenant (their `custom:tenant_id`).
    pub home: bool,
}

/// What the request says about its tenant.
#[derive(Clone, Copy, Debug, Default)]
pub struct RequestedTenant<'a> {
    /// The tenant header's value, if sent.
    pub header: Option<&'a str>,
    /// The Host header's value, if sent.
    pub host: Option<&'a str>,
}

/// Settles the tenant of each request according to [`TenancyConfig`].
#[derive(Clone)]
pub struct TenantResolver {
    config: Arc<TenancyConfig>,
    proofs: TenantProofs,
    members: Memberships,
}

impl TenantResolver {
    /// A resolver reading user attributes through `proofs` when tokens lack the claim, and
    /// memberships through `members`.
    pub fn new(config: TenancyConfig, proofs: TenantProofs, members: Memberships) -> Self {
        Self {
            config: Arc::new(config),
            proofs,
            members,
        }
    }

    /// Memberships as the proof sees them (admin actions drop what they change from its cache).
    pub fn members(&self) -> &Memberships {
        &self.members
    }

    /// The tenancy settings.
    pub fn config(&self) -> &TenancyConfig {
        &self.config
    }

    /// The tenant scope for a request by the bearer of `claims` (whose raw token is `token`):
    /// the only way to a [`ScopedTenant`], and so to a tenant's rows.
    pub async fn resolve(
        &self,
        claims: &CognitoClaims,
        token: &str,
        requested: RequestedTenant<'_>,
    ) -> Result<ScopedTenant, TenantError> {
        self.settle(claims, token, requested)
            .await
            .map(ScopedTenant::settled)
    }

    /// The tenant of the request: in strict mode the user's home tenant or one they are a
    /// member of; never one whose membership is suspended or was removed.
    async fn settle(
        &self,
        claims: &CognitoClaims,
        token: &str,
        requested: RequestedTenant<'_>,
    ) -> Result<TenantId, TenantError> {
        let config = &*self.config;
        if !config.enabled {
            return Ok(TenantId::public());
        }
        let Some(requested) = self.named(requested) else {
            // No tenant asked for: the user's own tenant, when the token states it (claim mode
            // also asks Cognito, since access tokens never carry custom attributes).
            let own = match config.mode {
                TenantMode::Claim => self.proven_tenant(claims, token).await?,
                _ => UserTenant {
                    tenant: claims.claim_str(&config.claim).map(str::to_owned),
                    email: claims.email().map(str::to_owned),
                },
            };
            let tenant = own.tenant.as_deref().ok_or(TenantError::NotProvided)?;
            let tenant = TenantId::parse(tenant).map_err(TenantError::Invalid)?;
            self.members
                .admit(&tenant, claims.sub(), own.email.as_deref(), true)
                .await?;
            return Ok(tenant);
        };
        let requested = TenantId::parse(requested).map_err(TenantError::Invalid)?;
        if !config.strict {
            return Ok(requested);
        }
        let own = self.proven_tenant(claims, token).await?;
        let home = own.tenant.as_deref() == Some(requested.as_str());
        let admitted = self
            .members
            .admit(&requested, claims.sub(), own.email.as_deref(), home)
            .await;
        match admitted {
            Ok(()) => Ok(requested),
            // Neither home nor a member: the user's own tenant is another one.
            Err(TenantError::NotProven) if !home && own.tenant.is_some() => {
                Err(TenantError::Mismatch)
            }
            Err(refused) => Err(refused),
        }
    }

    /// The tenant the request names, if any (only the mode's own source counts: the header in
    /// header mode, the Host in subdomain mode, nothing in claim mode), before validation.
    pub fn named<'r>(&self, requested: RequestedTenant<'r>) -> Option<&'r str> {
        let config = &*self.config;
        if !config.enabled {
            return None;
        }
        match config.mode {
            TenantMode::Claim => None,
            TenantMode::Header => requested.header,
            TenantMode::Subdomain => requested.host.and_then(|host| {
                tenant_label(host, config.main_domain.as_deref().unwrap_or_default())
            }),
        }
    }

    /// For endpoints that need no tenant: `None` when the request names none, else the named
    /// tenant after exactly the proof [`resolve`](Self::resolve) applies, so naming a tenant
    /// one cannot prove is refused on every authenticated endpoint alike.
    pub async fn resolve_if_named(
        &self,
        claims: &CognitoClaims,
        token: &str,
        requested: RequestedTenant<'_>,
    ) -> Result<Option<ScopedTenant>, TenantError> {
        if self.named(requested).is_none() {
            return Ok(None);
        }
        self.resolve(claims, token, requested).await.map(Some)
    }

    /// The scope of the user's home tenant (the token's claim, or else the user's attribute
    /// from Cognito, cached per token as for the proof), for records about the user themself,
    /// such as their sign-ins in that tenant's audit log. `None` when they have no valid one
    /// or tenancy is off.
    pub async fn home_scope(
        &self,
        claims: &CognitoClaims,
        token: &str,
    ) -> Result<Option<ScopedTenant>, TenantError> {
        if !self.config.enabled {
            return Ok(None);
        }
        let own = self.proven_tenant(claims, token).await?;
        Ok(own
            .tenant
            .as_deref()
            .and_then(|tenant| TenantId::parse(tenant).ok())
            .map(ScopedTenant::settled))
    }

    /// The tenants the bearer of `claims` may switch between, by tenant: their home tenant
    /// (its membership row written now if it was not yet, as on its first request) and, except
    /// in claim mode, every tenant they have a membership of, suspended ones included (marked
    /// so). A home row whose tenant the user's attribute no longer names is left out, as are
    /// tenants they were removed from. Empty with tenancy off.
    pub async fn own_tenants(
        &self,
        claims: &CognitoClaims,
        token: &str,
    ) -> Result<Vec<OwnTenant>, TenantError> {
        if !self.config.enabled {
            return Ok(Vec::new());
        }
        let own = self.proven_tenant(claims, token).await?;
        let home = own
            .tenant
            .as_deref()
            .and_then(|tenant| TenantId::parse(tenant).ok());
        let sub = claims.sub();
        let mut rows = self.members.own(sub).await?;
        if let Some(home) = &home {
            if !rows.iter().any(|m| &m.tenant_id == home) {
                match self
                    .members
                    .admit(home, sub, own.email.as_deref(), true)
                    .await
                {
                    Ok(()) => rows = self.members.own(sub).await?,
                    Err(TenantError::NotProven) => {}
                    Err(other) => return Err(other),
                }
            }
        }
        let claim_mode = self.config.mode == TenantMode::Claim;
        Ok(rows
            .into_iter()
            .map(|membership| OwnTenant {
                home: home.as_ref() == Some(&membership.tenant_id),
                membership,
            })
            .filter(|t| t.home || (!claim_mode && t.membership.via != Joined::Home))
            .collect())
    }

    /// The user's tenant (and email) from the token's claims, or else from Cognito (access
    /// tokens only).
    async fn proven_tenant(
        &self,
        claims: &CognitoClaims,
        token: &str,
    ) -> Result<UserTenant, TenantError> {
        if let Some(claimed) = claims.claim_str(&self.config.claim) {
            return Ok(UserTenant {
                tenant: Some(claimed.to_owned()),
                email: claims.email().map(str::to_owned),
            });
        }
        if claims.token_use() != TokenUse::Access {
            return Ok(UserTenant::default());
        }
        self.proofs
            .tenant_of(token, claims)
            .await
            .map_err(|err| match *err {
                CognitoError::Unavailable | CognitoError::Throttled => TenantError::Unavailable,
                _ => TenantError::NotProven,
            })
    }
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;
    use cognito_verify::TokenUse;

    use super::*;
    use crate::clock::SystemClock;

    /// A tenant source that always fails with `error`.
    struct Failing(fn() -> CognitoError);

    #[async_trait]
    impl TenantAttributeSource for Failing {
        async fn tenant_attribute(
            &self,
            _: &str,
            _: &CognitoClaims,
        ) -> Result<UserTenant, CognitoError> {
            Err((self.0)())
        }
    }

    async fn resolve_with(source: Failing) -> Result<ScopedTenant, TenantError> {
        let proofs = TenantProofs::new(Arc::new(source), Arc::new(SystemClock));
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let stores = crate::store::connect(&url, true).await.unwrap();
        let members = Memberships::new(stores.memberships);
        let resolver = TenantResolver::new(TenancyConfig::default(), proofs, members);
        // An access token: no tenant claim, so the proof asks Cognito.
        let claims = CognitoClaims::from_verified_payload(
            TokenUse::Access,
            br#"{"sub":"s","iss":"i","client_id":"c","token_use":"access","iat":1,"exp":4000000000}"#,
        )
        .unwrap();
        let requested = RequestedTenant {
            header: Some("acme"),
            host: None,
        };
        resolver.resolve(&claims, "token", requested).await
    }

    #[tokio::test]
    async fn cognito_unreachable_during_the_proof_is_unavailable_not_a_refusal() {
        let outcome = resolve_with(Failing(|| CognitoError::Unavailable)).await;
        assert_eq!(outcome.unwrap_err(), TenantError::Unavailable);
        let outcome = resolve_with(Failing(|| CognitoError::Throttled)).await;
        assert_eq!(outcome.unwrap_err(), TenantError::Unavailable);
    }

    #[tokio::test]
    async fn a_user_cognito_refuses_proves_nothing() {
        let outcome = resolve_with(Failing(|| CognitoError::TokenRefused)).await;
        assert_eq!(outcome.unwrap_err(), TenantError::NotProven);
    }

    /// Answers home tenant `home` for every token.
    struct Home;

    #[async_trait]
    impl TenantAttributeSource for Home {
        async fn tenant_attribute(
            &self,
            _: &str,
            _: &CognitoClaims,
        ) -> Result<UserTenant, CognitoError> {
            Ok(UserTenant {
                tenant: Some("home".into()),
                email: Some("p@example.com".into()),
            })
        }
    }

    #[tokio::test]
    async fn a_membership_proves_its_tenant_until_it_is_suspended() {
        use crate::domain::membership::{Email, MemberState, Role};

        // Arrange: a person whose home tenant is `home`, and a store behind the resolver.
        let proofs = TenantProofs::new(Arc::new(Home), Arc::new(SystemClock));
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let stores = crate::store::connect(&url, true).await.unwrap();
        let members = Memberships::new(stores.memberships.clone());
        let resolver = TenantResolver::new(TenancyConfig::default(), proofs, members.clone());
        let claims = CognitoClaims::from_verified_payload(
            TokenUse::Access,
            br#"{"sub":"s","iss":"i","client_id":"c","token_use":"access","iat":1,"exp":4000000000}"#,
        )
        .unwrap();
        let ask = |tenant: &'static str| {
            let (resolver, claims) = (resolver.clone(), claims.clone());
            async move {
                let requested = RequestedTenant {
                    header: Some(tenant),
                    host: None,
                };
                resolver
                    .resolve(&claims, "token", requested)
                    .await
                    .map(drop)
            }
        };
        let other = ScopedTenant::settled(TenantId::parse("other").unwrap());

        // Home proves itself and writes the row; another tenant is refused.
        assert_eq!(ask("home").await, Ok(()));
        assert_eq!(ask("other").await, Err(TenantError::Mismatch));

        // Invited to `other`: admitted, and the invitation is now active.
        let email = Email::parse("p@example.com").unwrap();
        stores
            .memberships
            .invite(&other, "s", &email, Role::Member)
            .await
            .unwrap();
        members.forget(other.id(), "s").await;
        assert_eq!(ask("other").await, Ok(()));
        let standing = stores.memberships.standing(&other, "s").await.unwrap();
        assert!(
            matches!(standing, crate::domain::membership::Standing::Member(m) if m.state == MemberState::Active)
        );

        // Suspended there: refused there at once, home untouched.
        stores
            .memberships
            .set_state(&other, "s", MemberState::Suspended)
            .await
            .unwrap();
        members.forget(other.id(), "s").await;
        assert_eq!(ask("other").await, Err(TenantError::Suspended));
        assert_eq!(ask("home").await, Ok(()));
    }
}
