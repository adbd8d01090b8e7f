//! [`MembershipStore`] on PostgreSQL: the shared membership SQL (`store/memberships.rs`), each
//! tenant statement in its tenant's scoped transaction (row-level security admits only that
//! tenant's memberships, removals and the triggers' writes to them), rows read through the wire
//! client (`wire/`). The per-person tenant count is not tenant data and is read unscoped; a
//! person's own memberships are read in their own scope (`app.sub`).

use super::wire::Row;
use async_trait::async_trait;

use super::{corrupt, Params, PgStore};
use crate::domain::membership::{
    Email, MemberFilter, MemberState, Membership, Role, Standing, TenantSummary,
};
use crate::domain::page::{Page, PageRequest};
use crate::domain::tenant::TenantId;
use crate::store::memberships::{
    refused, ACTIVATE, ADMIT_HOME, GET_MEMBERSHIP, INVITE, LIST_MEMBERS, LIST_TENANTS,
    OWN_MEMBERSHIPS, OWN_MEMBERSHIPS_MAX, REMOVE_MEMBER, SET_ROLE, SET_STATE, STANDING,
    TENANT_COUNT,
};
use crate::store::{returned, MembershipStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl MembershipStore for PgStore {
    async fn standing(&self, tenant: &ScopedTenant, sub: &str) -> Result<Standing, StoreError> {
        let params: Params = &[&tenant.as_str(), &sub];
        returned(self.scoped_rows(tenant, STANDING, params, standing).await?)
    }

    async fn admit_home(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &str,
    ) -> Result<(), StoreError> {
        let params: Params = &[&tenant.as_str(), &sub, &email, &self.now()];
        self.scoped_execute(tenant, ADMIT_HOME, params)
            .await
            .map(drop)
    }

    async fn activate(&self, tenant: &ScopedTenant, sub: &str) -> Result<(), StoreError> {
        let params: Params = &[&tenant.as_str(), &sub, &self.now()];
        self.scoped_execute(tenant, ACTIVATE, params)
            .await
            .map(drop)
    }

    async fn invite(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &Email,
        role: Role,
    ) -> Result<(Membership, bool), StoreError> {
        let params: Params = &[
            &tenant.as_str(),
            &sub,
            &email.as_str(),
            &role.as_str(),
            &self.now(),
        ];
        let created = self.scoped_execute(tenant, INVITE, params).await?;
        Ok((self.get_membership(tenant, sub).await?, created == 1))
    }

    async fn list_members(
        &self,
        tenant: &ScopedTenant,
        filter: &MemberFilter,
        page: PageRequest,
    ) -> Result<Page<Membership>, StoreError> {
        let params: Params = &[
            &tenant.as_str(),
            &page.after,
            &filter.email_prefix.as_deref(),
            &filter.role.map(Role::as_str),
            &filter.state.map(MemberState::as_str),
            &page.fetch_limit(),
        ];
        let members = self
            .scoped_rows(tenant, LIST_MEMBERS, params, membership)
            .await?;
        Ok(Page::from_overfetch(members, page, |m: &Membership| m.id))
    }

    async fn set_role(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        role: Role,
    ) -> Result<Membership, StoreError> {
        self.guarded_update(tenant, sub, SET_ROLE, role.as_str())
            .await
    }

    async fn set_state(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        state: MemberState,
    ) -> Result<Membership, StoreError> {
        self.guarded_update(tenant, sub, SET_STATE, state.as_str())
            .await
    }

    async fn remove_member(&self, tenant: &ScopedTenant, sub: &str) -> Result<(), StoreError> {
        let params: Params = &[&tenant.as_str(), &sub];
        if self.scoped_execute(tenant, REMOVE_MEMBER, params).await? == 0 {
            return Err(refused(self.get_membership(tenant, sub).await.is_ok()));
        }
        Ok(())
    }

    async fn own_memberships(&self, sub: &str) -> Result<Vec<Membership>, StoreError> {
        let params: Params = &[&sub, &OWN_MEMBERSHIPS_MAX];
        let done = self.as_person(sub, OWN_MEMBERSHIPS, params).await?;
        done.rows.iter().map(membership).collect()
    }

    async fn tenant_count(&self, sub: &str) -> Result<i64, StoreError> {
        let done = self.unscoped(TENANT_COUNT, &[&sub]).await?;
        match done.rows.first() {
            Some(row) => Ok(row.try_get("tenants")?),
            None => Ok(0),
        }
    }

    async fn tenants(&self, page: PageRequest) -> Result<Page<TenantSummary>, StoreError> {
        let done = self
            .unscoped(LIST_TENANTS, &[&page.after, &page.fetch_limit()])
            .await?;
        let rows = done
            .rows
            .iter()
            .map(|row| {
                let tenant_id: &str = row.try_get("tenant_id")?;
                Ok(TenantSummary {
                    id: row.try_get("id")?,
                    tenant_id: TenantId::parse(tenant_id).map_err(|_| corrupt("tenant_id"))?,
                    members: row.try_get("members")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page::from_overfetch(rows, page, |t: &TenantSummary| t.id))
    }
}

impl PgStore {
    async fn get_membership(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
    ) -> Result<Membership, StoreError> {
        let params: Params = &[&tenant.as_str(), &sub];
        returned(
            self.scoped_rows(tenant, GET_MEMBERSHIP, params, membership)
                .await?,
        )
    }

    /// Runs SET_ROLE or SET_STATE (`value` is `$3`): the changed row, or why there is none.
    async fn guarded_update(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        sql: &'static str,
        value: &'static str,
    ) -> Result<Membership, StoreError> {
        let params: Params = &[&tenant.as_str(), &sub, &value, &self.now()];
        let changed = self.scoped_rows(tenant, sql, params, membership).await?;
        match changed.into_iter().next() {
            Some(membership) => Ok(membership),
            None => Err(refused(self.get_membership(tenant, sub).await.is_ok())),
        }
    }
}

/// A `memberships` row as stored.
fn membership(row: &Row) -> Result<Membership, StoreError> {
    let tenant_id: &str = row.try_get("tenant_id")?;
    let role: &str = row.try_get("role")?;
    let state: &str = row.try_get("state")?;
    let via: &str = row.try_get("via")?;
    Ok(Membership {
        id: row.try_get("id")?,
        tenant_id: TenantId::parse(tenant_id).map_err(|_| corrupt("tenant_id"))?,
        sub: row.try_get("sub")?,
        email: row.try_get("email")?,
        role: role.parse().map_err(|()| corrupt("role"))?,
        state: state.parse().map_err(|()| corrupt("state"))?,
        via: via.parse().map_err(|()| corrupt("via"))?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The STANDING row: a membership's columns (null when there is none) and the removal flag.
fn standing(row: &Row) -> Result<Standing, StoreError> {
    let id: Option<i64> = row.try_get("id")?;
    if id.is_none() {
        let removed: bool = row.try_get("removed")?;
        return Ok(if removed {
            Standing::Removed
        } else {
            Standing::Unknown
        });
    }
    // The left join found a membership, so its columns are set; a null among them is refused
    // by `try_get` as an error, not guessed at.
    membership(row).map(Standing::Member)
}
