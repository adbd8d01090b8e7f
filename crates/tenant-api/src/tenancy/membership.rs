//! Proof by membership: a person's standing in a tenant (member, removed, or unknown), read from
//! the store scoped to that tenant and cached for at most [`STANDING_TTL`], so a suspension or
//! removal made on any instance takes effect everywhere within that time, and on the instance
//! that made it at once ([`Memberships::forget`]). Concurrent lookups of one (tenant, person)
//! share a single read.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use super::{ScopedTenant, TenantError};
use crate::domain::membership::{Joined, MemberState, Membership, Standing};
use crate::domain::tenant::TenantId;
use crate::store::{MembershipStore, StoreError};

/// How long a standing read from the database is believed: the longest a change made on
/// another instance takes to be seen here. Under a second, with room for the cache's timer
/// and the request itself, so the change holds everywhere within 1 s.
pub const STANDING_TTL: Duration = Duration::from_millis(900);

/// Memberships as the tenant proof sees them.
#[derive(Clone)]
pub struct Memberships {
    store: Arc<dyn MembershipStore>,
    standings: Cache<(TenantId, Arc<str>), Standing>,
}

impl Memberships {
    /// Standings read from `store`, each believed for [`STANDING_TTL`].
    pub fn new(store: Arc<dyn MembershipStore>) -> Self {
        Self {
            store,
            standings: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(STANDING_TTL)
                .build(),
        }
    }

    /// Whether `sub` may use `tenant`: an active membership admits them (an invited one too,
    /// which becomes active now; a home one only while `home`); a suspended one is refused
    /// ([`TenantError::Suspended`]); with
    /// no membership, only a person whose home tenant it is (`home`) is admitted, and gets their
    /// row (written once: the next lookup finds it), unless an admin removed them.
    pub(super) async fn admit(
        &self,
        tenant: &TenantId,
        sub: &str,
        email: Option<&str>,
        home: bool,
    ) -> Result<(), TenantError> {
        // The lookup runs scoped to the tenant being proven: the only rows it may see are that
        // tenant's, which is exactly the question asked.
        let scope = ScopedTenant::settled(tenant.clone());
        match self.standing(&scope, sub).await? {
            Standing::Member(member) => match member.state {
                MemberState::Suspended => Err(TenantError::Suspended),
                // A home row admits only while the attribute still names this tenant.
                _ if member.via == Joined::Home && !home => Err(TenantError::NotProven),
                MemberState::Active => Ok(()),
                MemberState::Invited => {
                    self.store
                        .activate(&scope, sub)
                        .await
                        .map_err(|e| unavailable(&e))?;
                    self.forget(tenant, sub).await;
                    Ok(())
                }
            },
            Standing::Unknown if home => {
                let email = email.unwrap_or_default();
                self.store
                    .admit_home(&scope, sub, email)
                    .await
                    .map_err(|e| unavailable(&e))?;
                self.forget(tenant, sub).await;
                Ok(())
            }
            Standing::Unknown | Standing::Removed => Err(TenantError::NotProven),
        }
    }

    /// Every membership of `sub`, by tenant (read each time: it is asked for once per page).
    pub(super) async fn own(&self, sub: &str) -> Result<Vec<Membership>, TenantError> {
        self.store
            .own_memberships(sub)
            .await
            .map_err(|e| unavailable(&e))
    }

    /// Drops the cached standing of `sub` in `tenant` (after a change made here).
    pub async fn forget(&self, tenant: &TenantId, sub: &str) {
        self.standings
            .invalidate(&(tenant.clone(), Arc::from(sub)))
            .await;
    }

    async fn standing(&self, scope: &ScopedTenant, sub: &str) -> Result<Standing, TenantError> {
        let store = self.store.clone();
        self.standings
            .try_get_with((scope.id().clone(), Arc::from(sub)), async move {
                store.standing(scope, sub).await
            })
            .await
            .map_err(|err| unavailable(&err))
    }
}

/// A store failure during the proof: not a refusal, so the request may be retried (logged
/// here, since [`TenantError`] carries no cause).
fn unavailable(err: &StoreError) -> TenantError {
    if !err.is_outage() {
        tracing::error!(error = %err, "membership lookup failed");
    }
    TenantError::Unavailable
}
