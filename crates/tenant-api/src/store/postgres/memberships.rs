//! [`MembershipStore`] on PostgreSQL: the shared membership SQL (`store/memberships.rs`), each
//! tenant statement in its tenant's scoped transaction (row-level security admits only that
//! tenant's memberships, removals and the triggers' writes to them), rows read through sqlx.
//! The per-person tenant count is not tenant data and is read unscoped.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{corrupt, PgStore};
use crate::domain::membership::{Email, MemberFilter, MemberState, Membership, Role, Standing};
use crate::domain::page::{Page, PageRequest};
use crate::domain::tenant::TenantId;
use crate::store::memberships::{
    refused, ACTIVATE, ADMIT_HOME, GET_MEMBERSHIP, INVITE, LIST_MEMBERS, REMOVE_MEMBER, SET_ROLE,
    SET_STATE, STANDING, TENANT_COUNT,
};
use crate::store::{returned, MembershipStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl MembershipStore for PgStore {
    async fn standing(&self, tenant: &ScopedTenant, sub: &str) -> Result<Standing, StoreError> {
        let query = sqlx::query_as::<_, StandingRow>(STANDING)
            .bind(tenant.as_str())
            .bind(sub);
        returned(self.scoped_rows(tenant, query).await?)
    }

    async fn admit_home(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &str,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(ADMIT_HOME)
            .bind(tenant.as_str())
            .bind(sub)
            .bind(email)
            .bind(self.now());
        self.scoped_execute(tenant, query).await.map(drop)
    }

    async fn activate(&self, tenant: &ScopedTenant, sub: &str) -> Result<(), StoreError> {
        let query = sqlx::query(ACTIVATE)
            .bind(tenant.as_str())
            .bind(sub)
            .bind(self.now());
        self.scoped_execute(tenant, query).await.map(drop)
    }

    async fn invite(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &Email,
        role: Role,
    ) -> Result<(Membership, bool), StoreError> {
        let query = sqlx::query(INVITE)
            .bind(tenant.as_str())
            .bind(sub)
            .bind(email.as_str())
            .bind(role.as_str())
            .bind(self.now());
        let created = self.scoped_execute(tenant, query).await?;
        Ok((self.get_membership(tenant, sub).await?, created == 1))
    }

    async fn list_members(
        &self,
        tenant: &ScopedTenant,
        filter: &MemberFilter,
        page: PageRequest,
    ) -> Result<Page<Membership>, StoreError> {
        let query = sqlx::query_as::<_, MembershipRow>(LIST_MEMBERS)
            .bind(tenant.as_str())
            .bind(page.after)
            .bind(filter.email_prefix.as_deref())
            .bind(filter.role.map(Role::as_str))
            .bind(filter.state.map(MemberState::as_str))
            .bind(page.fetch_limit());
        let rows = self.scoped_rows(tenant, query).await?;
        Ok(Page::from_overfetch(rows, page, |m: &Membership| m.id))
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
        let query = sqlx::query(REMOVE_MEMBER).bind(tenant.as_str()).bind(sub);
        if self.scoped_execute(tenant, query).await? == 0 {
            return Err(refused(self.get_membership(tenant, sub).await.is_ok()));
        }
        Ok(())
    }

    async fn tenant_count(&self, sub: &str) -> Result<i64, StoreError> {
        let query = sqlx::query_scalar::<_, i64>(TENANT_COUNT).bind(sub);
        let count = self.unscoped(query.fetch_optional(&self.pool)).await?;
        Ok(count.unwrap_or(0))
    }
}

impl PgStore {
    async fn get_membership(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
    ) -> Result<Membership, StoreError> {
        let query = sqlx::query_as::<_, MembershipRow>(GET_MEMBERSHIP)
            .bind(tenant.as_str())
            .bind(sub);
        returned(self.scoped_rows(tenant, query).await?)
    }

    /// Runs SET_ROLE or SET_STATE (`value` is `$3`): the changed row, or why there is none.
    async fn guarded_update(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        sql: &'static str,
        value: &'static str,
    ) -> Result<Membership, StoreError> {
        let query = sqlx::query_as::<_, MembershipRow>(sql)
            .bind(tenant.as_str())
            .bind(sub)
            .bind(value)
            .bind(self.now());
        let changed: Vec<Membership> = self.scoped_rows(tenant, query).await?;
        match changed.into_iter().next() {
            Some(membership) => Ok(membership),
            None => Err(refused(self.get_membership(tenant, sub).await.is_ok())),
        }
    }
}

/// A `memberships` row as stored.
#[derive(sqlx::FromRow)]
struct MembershipRow {
    id: i64,
    tenant_id: String,
    sub: String,
    email: String,
    role: String,
    state: String,
    via: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = sqlx::Error;
    fn try_from(row: MembershipRow) -> Result<Self, sqlx::Error> {
        Ok(Membership {
            id: row.id,
            tenant_id: TenantId::parse(&row.tenant_id).map_err(|_| corrupt("tenant_id"))?,
            sub: row.sub,
            email: row.email,
            role: row.role.parse().map_err(|()| corrupt("role"))?,
            state: row.state.parse().map_err(|()| corrupt("state"))?,
            via: row.via.parse().map_err(|()| corrupt("via"))?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The STANDING row: a membership's columns (null when there is none) and the removal flag.
#[derive(sqlx::FromRow)]
struct StandingRow {
    id: Option<i64>,
    tenant_id: Option<String>,
    sub: Option<String>,
    email: Option<String>,
    role: Option<String>,
    state: Option<String>,
    via: Option<String>,
    created_at: Option<OffsetDateTime>,
    updated_at: Option<OffsetDateTime>,
    removed: bool,
}

impl TryFrom<StandingRow> for Standing {
    type Error = sqlx::Error;
    fn try_from(row: StandingRow) -> Result<Self, sqlx::Error> {
        let Some(id) = row.id else {
            return Ok(if row.removed {
                Standing::Removed
            } else {
                Standing::Unknown
            });
        };
        let column = |value: Option<String>| value.ok_or_else(|| corrupt("membership"));
        let stamp = |value: Option<OffsetDateTime>| value.ok_or_else(|| corrupt("membership"));
        Membership::try_from(MembershipRow {
            id,
            tenant_id: column(row.tenant_id)?,
            sub: column(row.sub)?,
            email: column(row.email)?,
            role: column(row.role)?,
            state: column(row.state)?,
            via: column(row.via)?,
            created_at: stamp(row.created_at)?,
            updated_at: stamp(row.updated_at)?,
        })
        .map(Standing::Member)
    }
}
