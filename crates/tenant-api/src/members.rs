//! Tenant member administration, the work behind `/api/tenant/`: invite, change role,
//! suspend, reactivate and remove, each recorded in the tenant's audit log. It combines the
//! Cognito gateway (a new person gets a Cognito user; a person in no tenant any more loses it)
//! with the membership store, and drops what it changes from the proof's standing cache so the
//! change holds on this instance's very next request. No HTTP here.

use crate::cognito::{Cognito, CognitoError};
use crate::domain::membership::{
    AuditAction, Email, MemberState, Membership, NewAuditEntry, Role, Standing,
};
use crate::store::{StoreError, Stores};
use crate::tenancy::{Memberships, ScopedTenant};
use crate::throttle::{LoginThrottle, Throttled};

/// Invitations one tenant may send a minute (a burst of this many, then one every
/// 60/this seconds): far below Cognito's AdminCreateUser quota, shared by every tenant.
pub const INVITES_PER_MINUTE: u32 = 10;

/// Why an admin action failed.
#[derive(Debug, thiserror::Error)]
pub enum MemberAdminError {
    /// The store refused or failed (`NotFound`, `LastAdmin`, an outage).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Cognito refused or failed.
    #[error(transparent)]
    Cognito(#[from] CognitoError),
    /// The tenant sent too many invitations just now.
    #[error("too many invitations")]
    Throttled(Throttled),
}

/// Who acts, in which tenant, for which request.
pub struct Actor<'a> {
    /// The proven tenant (whose active admin the caller was checked to be).
    pub tenant: &'a ScopedTenant,
    /// The admin's `sub`.
    pub sub: &'a str,
    /// The request's `X-Request-Id`.
    pub request_id: &'a str,
}

/// What a removal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal {
    /// Whether the person's Cognito user was deleted: only when they belong to no tenant any
    /// more (no membership left, and no other home tenant).
    pub cognito_user_deleted: bool,
}

/// The services an admin action needs.
pub struct MemberAdmin<'a> {
    /// The Cognito gateway.
    pub cognito: &'a Cognito,
    /// The stores.
    pub stores: &'a Stores,
    /// The proof's membership cache.
    pub members: &'a Memberships,
    /// The invitation buckets.
    pub throttle: &'a LoginThrottle,
    /// The tenant attribute (`custom:tenant_id`).
    pub tenant_attribute: &'a str,
}

impl MemberAdmin<'_> {
    /// Invites `email` with `role`: a new person gets a Cognito user with this tenant as home;
    /// anyone gets an `invited` membership. The membership, and whether it is new (a repeated
    /// invite changes and records nothing). The answer is the same whether or not the person
    /// already had a Cognito user, so it reveals nothing about other tenants' people.
    pub async fn invite(
        &self,
        actor: &Actor<'_>,
        email: &Email,
        role: Role,
    ) -> Result<(Membership, bool), MemberAdminError> {
        self.throttle
            .check_invite(actor.tenant.as_str(), INVITES_PER_MINUTE)
            .map_err(MemberAdminError::Throttled)?;
        let sub = self.person(actor.tenant, email).await?;
        let (membership, created) = self
            .stores
            .memberships
            .invite(actor.tenant, &sub, email, role)
            .await?;
        if created {
            self.members.forget(actor.tenant.id(), &sub).await;
            self.record(actor, AuditAction::Invited, &sub, Some(role.as_str()))
                .await?;
        }
        Ok((membership, created))
    }

    /// Changes a member's role.
    pub async fn set_role(
        &self,
        actor: &Actor<'_>,
        sub: &str,
        role: Role,
    ) -> Result<Membership, MemberAdminError> {
        let changed = self
            .stores
            .memberships
            .set_role(actor.tenant, sub, role)
            .await?;
        self.record(actor, AuditAction::RoleChanged, sub, Some(role.as_str()))
            .await?;
        Ok(changed)
    }

    /// Suspends (`Suspended`) or reactivates (`Active`) a member; effective at once here.
    pub async fn set_state(
        &self,
        actor: &Actor<'_>,
        sub: &str,
        state: MemberState,
    ) -> Result<Membership, MemberAdminError> {
        let changed = self
            .stores
            .memberships
            .set_state(actor.tenant, sub, state)
            .await?;
        self.members.forget(actor.tenant.id(), sub).await;
        let action = match state {
            MemberState::Suspended => AuditAction::Suspended,
            _ => AuditAction::Reactivated,
        };
        self.record(actor, action, sub, None).await?;
        Ok(changed)
    }

    /// Removes a member; their Cognito user is deleted only when they belong to no tenant any
    /// more.
    pub async fn remove(&self, actor: &Actor<'_>, sub: &str) -> Result<Removal, MemberAdminError> {
        let Standing::Member(member) = self.stores.memberships.standing(actor.tenant, sub).await?
        else {
            return Err(StoreError::NotFound.into());
        };
        self.stores
            .memberships
            .remove_member(actor.tenant, sub)
            .await?;
        self.members.forget(actor.tenant.id(), sub).await;
        let cognito_user_deleted = if self.stores.memberships.tenant_count(sub).await? == 0 {
            self.delete_if_homeless(actor.tenant, &member).await
        } else {
            false
        };
        let detail = cognito_user_deleted.then_some("cognito_user_deleted");
        self.record(actor, AuditAction::Removed, sub, detail)
            .await?;
        Ok(Removal {
            cognito_user_deleted,
        })
    }

    /// The `sub` of the person with `email`: their Cognito user's, or a new user's whose home
    /// is `tenant`.
    async fn person(&self, tenant: &ScopedTenant, email: &Email) -> Result<String, CognitoError> {
        match self.cognito.lookup(email.as_str()).await {
            Ok((_, sub)) => return Ok(sub),
            Err(CognitoError::UserNotFound) => {}
            Err(other) => return Err(other),
        }
        let created = self
            .cognito
            .invite_user(email.as_str(), self.tenant_attribute, tenant.as_str())
            .await;
        match created {
            Ok(sub) => Ok(sub),
            // Made by a concurrent invite in the meantime: the same person.
            Err(CognitoError::UserExists) => Ok(self.cognito.lookup(email.as_str()).await?.1),
            Err(other) => Err(other),
        }
    }

    /// Deletes the removed member's Cognito user if it is theirs (same `sub`) and names no
    /// other home tenant. The membership is gone whatever happens here, so a Cognito failure
    /// is logged and answered as "not deleted" rather than failing the removal.
    async fn delete_if_homeless(&self, tenant: &ScopedTenant, member: &Membership) -> bool {
        let user = match self.cognito.admin_user(&member.email).await {
            Ok(user) => user,
            Err(err) => {
                tracing::warn!(error = %err, "removed member's Cognito user not read: kept");
                return false;
            }
        };
        let home = user.profile.attribute(self.tenant_attribute);
        let theirs = user.profile.attribute("sub") == Some(member.sub.as_str());
        if !theirs || home.is_some_and(|home| home != tenant.as_str()) {
            return false;
        }
        match self.cognito.delete_user(&user.profile.username).await {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "removed member's Cognito user not deleted");
                false
            }
        }
    }

    async fn record(
        &self,
        actor: &Actor<'_>,
        action: AuditAction,
        target: &str,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let entry = NewAuditEntry {
            actor_sub: actor.sub.to_owned(),
            action,
            target: target.to_owned(),
            detail: detail.map(str::to_owned),
            request_id: actor.request_id.to_owned(),
        };
        self.stores.audit.record_audit(actor.tenant, &entry).await
    }
}
