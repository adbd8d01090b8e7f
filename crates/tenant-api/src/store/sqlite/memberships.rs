//! [`MembershipStore`] on SQLite: the shared membership SQL (`store/memberships.rs`), reads in
//! place, writes on the writer thread (which runs them one at a time, so the last-admin guard
//! inside each statement cannot be raced).

use async_trait::async_trait;
use rusqlite::types::Type;
use rusqlite::{named_params, params, OptionalExtension, Row};

use super::rows::{execute, invalid, timestamp};
use super::SqliteStore;
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
use crate::store::{MembershipStore, StoreError};
use crate::tenancy::ScopedTenant;

#[async_trait]
impl MembershipStore for SqliteStore {
    async fn standing(&self, tenant: &ScopedTenant, sub: &str) -> Result<Standing, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(STANDING)?
                .query_row(params![tenant.as_str(), sub], |row| {
                    if row.get_ref(0)?.as_i64_or_null()?.is_some() {
                        return Ok(Standing::Member(membership_from(row, tenant.id())?));
                    }
                    Ok(if row.get::<_, bool>(9)? {
                        Standing::Removed
                    } else {
                        Standing::Unknown
                    })
                })
        })
    }

    async fn admit_home(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &str,
    ) -> Result<(), StoreError> {
        let (tenant, sub, email, at) = (
            tenant.clone(),
            sub.to_owned(),
            email.to_owned(),
            self.stamp()?,
        );
        self.write(move |c| {
            let params = named_params! {"$1": tenant.as_str(), "$2": sub, "$3": email, "$4": at};
            execute(c, ADMIT_HOME, params).map(drop)
        })
        .await
    }

    async fn activate(&self, tenant: &ScopedTenant, sub: &str) -> Result<(), StoreError> {
        let (tenant, sub, at) = (tenant.clone(), sub.to_owned(), self.stamp()?);
        self.write(move |c| {
            let params = named_params! {"$1": tenant.as_str(), "$2": sub, "$3": at};
            execute(c, ACTIVATE, params).map(drop)
        })
        .await
    }

    async fn invite(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &Email,
        role: Role,
    ) -> Result<(Membership, bool), StoreError> {
        let (scope, who, email, at) = (
            tenant.clone(),
            sub.to_owned(),
            email.as_str().to_owned(),
            self.stamp()?,
        );
        let created = self
            .write(move |c| {
                let params = named_params! {
                    "$1": scope.as_str(), "$2": who, "$3": email, "$4": role.as_str(), "$5": at
                };
                execute(c, INVITE, params)
            })
            .await?;
        Ok((self.get_membership(tenant, sub)?, created == 1))
    }

    async fn list_members(
        &self,
        tenant: &ScopedTenant,
        filter: &MemberFilter,
        page: PageRequest,
    ) -> Result<Page<Membership>, StoreError> {
        let rows = self.read(|conn| {
            let mut statement = conn.prepare_cached(LIST_MEMBERS)?;
            let rows = statement.query_map(
                params![
                    tenant.as_str(),
                    page.after,
                    filter.email_prefix.as_deref(),
                    filter.role.map(Role::as_str),
                    filter.state.map(MemberState::as_str),
                    page.fetch_limit()
                ],
                |row| membership_from(row, tenant.id()),
            )?;
            rows.collect()
        })?;
        Ok(Page::from_overfetch(rows, page, |m| m.id))
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
        let (scope, who) = (tenant.clone(), sub.to_owned());
        let removed = self
            .write(move |c| {
                let params = named_params! {"$1": scope.as_str(), "$2": who};
                execute(c, REMOVE_MEMBER, params)
            })
            .await?;
        if removed == 0 {
            return Err(refused(self.get_membership(tenant, sub).is_ok()));
        }
        Ok(())
    }

    async fn own_memberships(&self, sub: &str) -> Result<Vec<Membership>, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(OWN_MEMBERSHIPS)?;
            let rows = statement.query_map(params![sub, OWN_MEMBERSHIPS_MAX], |row| {
                let tenant = row.get_ref(1)?.as_str()?;
                let tenant = TenantId::parse(tenant)
                    .map_err(|_| invalid(1, Type::Text, "stored tenant id is not valid"))?;
                membership_from(row, &tenant)
            })?;
            rows.collect()
        })
    }

    async fn tenant_count(&self, sub: &str) -> Result<i64, StoreError> {
        let count = self.read(|conn| {
            conn.prepare_cached(TENANT_COUNT)?
                .query_row(params![sub], |row| row.get::<_, i64>(0))
                .optional()
        })?;
        Ok(count.unwrap_or(0))
    }

    async fn tenants(&self, page: PageRequest) -> Result<Page<TenantSummary>, StoreError> {
        let rows = self.read(|conn| {
            let mut statement = conn.prepare_cached(LIST_TENANTS)?;
            let rows = statement.query_map(params![page.after, page.fetch_limit()], |row| {
                let tenant_id = row.get_ref(1)?.as_str()?;
                Ok(TenantSummary {
                    id: row.get(0)?,
                    tenant_id: TenantId::parse(tenant_id)
                        .map_err(|_| invalid(1, Type::Text, "stored tenant id is not valid"))?,
                    members: row.get(2)?,
                    created_at: timestamp(row, 3)?,
                })
            })?;
            rows.collect()
        })?;
        Ok(Page::from_overfetch(rows, page, |t: &TenantSummary| t.id))
    }
}

impl SqliteStore {
    fn get_membership(&self, tenant: &ScopedTenant, sub: &str) -> Result<Membership, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(GET_MEMBERSHIP)?
                .query_row(params![tenant.as_str(), sub], |row| {
                    membership_from(row, tenant.id())
                })
                .optional()
        })?
        .ok_or(StoreError::NotFound)
    }

    /// Runs SET_ROLE or SET_STATE (`value` is `$3`): the changed row, or why there is none.
    async fn guarded_update(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        sql: &'static str,
        value: &'static str,
    ) -> Result<Membership, StoreError> {
        let (scope, who, at) = (tenant.clone(), sub.to_owned(), self.stamp()?);
        let changed = self
            .write(move |c| {
                let params = named_params! {"$1": scope.as_str(), "$2": who, "$3": value, "$4": at};
                let mut statement = c.prepare_cached(sql)?;
                let rows = statement.query_map(params, |row| membership_from(row, scope.id()))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await?;
        match changed.into_iter().next() {
            Some(membership) => Ok(membership),
            None => Err(refused(self.get_membership(tenant, sub).is_ok())),
        }
    }
}

/// Columns: id, tenant_id, sub, email, role, state, via, created_at, updated_at.
fn membership_from(row: &Row<'_>, tenant: &TenantId) -> rusqlite::Result<Membership> {
    let role = row.get_ref(4)?.as_str()?;
    let state = row.get_ref(5)?.as_str()?;
    let via = row.get_ref(6)?.as_str()?;
    Ok(Membership {
        id: row.get(0)?,
        tenant_id: tenant.clone(),
        sub: row.get(2)?,
        email: row.get(3)?,
        role: role
            .parse()
            .map_err(|_| invalid(4, Type::Text, "stored role is not valid"))?,
        state: state
            .parse()
            .map_err(|_| invalid(5, Type::Text, "stored state is not valid"))?,
        via: via
            .parse()
            .map_err(|_| invalid(6, Type::Text, "stored origin is not valid"))?,
        created_at: timestamp(row, 7)?,
        updated_at: timestamp(row, 8)?,
    })
}
