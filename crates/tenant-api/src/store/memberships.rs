//! Memberships: the [`MembershipStore`] contract and its SQL, one text for SQLite and
//! PostgreSQL, run by `sqlite/memberships.rs` and `postgres/memberships.rs`. Every statement
//! on tenant data filters on `tenant_id = $1` (and on PostgreSQL runs scoped to that tenant);
//! only the per-person tenant count and the tenant directory are read outside any tenant, and
//! a person's own memberships in their own scope.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::membership::{
    Email, MemberFilter, MemberState, Membership, Role, Standing, TenantSummary,
};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;

/// Who belongs to a tenant, with which role and state.
#[async_trait]
pub trait MembershipStore: Send + Sync + 'static {
    /// `sub`'s membership of the tenant, or whether they were removed from it.
    async fn standing(&self, tenant: &ScopedTenant, sub: &str) -> Result<Standing, StoreError>;
    /// Writes the row of a person whose home tenant this is, unless they have one or were
    /// removed: active, and `admin` when the tenant has no admin yet, else `member`.
    async fn admit_home(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &str,
    ) -> Result<(), StoreError>;
    /// Makes an `invited` membership `active` (its first use); other states are left alone.
    async fn activate(&self, tenant: &ScopedTenant, sub: &str) -> Result<(), StoreError>;
    /// Invites `sub` with `role`: a new `invited` membership (`true`), or the existing one
    /// unchanged (`false`), so a repeated invite is harmless.
    async fn invite(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        email: &Email,
        role: Role,
    ) -> Result<(Membership, bool), StoreError>;
    /// A page of the tenant's members, ordered by id.
    async fn list_members(
        &self,
        tenant: &ScopedTenant,
        filter: &MemberFilter,
        page: PageRequest,
    ) -> Result<Page<Membership>, StoreError>;
    /// Changes a member's role; [`StoreError::LastAdmin`] if it would leave no active admin.
    async fn set_role(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        role: Role,
    ) -> Result<Membership, StoreError>;
    /// Changes a member's state; [`StoreError::LastAdmin`] if it would leave no active admin.
    async fn set_state(
        &self,
        tenant: &ScopedTenant,
        sub: &str,
        state: MemberState,
    ) -> Result<Membership, StoreError>;
    /// Removes a member (recording the removal, so their home attribute no longer admits
    /// them); [`StoreError::LastAdmin`] if they are the last active admin.
    async fn remove_member(&self, tenant: &ScopedTenant, sub: &str) -> Result<(), StoreError>;
    /// Every membership of `sub`, in every tenant, by tenant (at most [`OWN_MEMBERSHIPS_MAX`]):
    /// what a person may switch between. On PostgreSQL it is read in the person's own scope
    /// (`app.sub`), under which row-level security admits their own rows and no one else's.
    async fn own_memberships(&self, sub: &str) -> Result<Vec<Membership>, StoreError>;
    /// How many tenants `sub` has a membership of (not tenant data: a count per person).
    async fn tenant_count(&self, sub: &str) -> Result<i64, StoreError>;
    /// A page of the tenant directory (every tenant that has or had members), oldest first:
    /// an operator's view across tenants, never a request's.
    async fn tenants(&self, page: PageRequest) -> Result<Page<TenantSummary>, StoreError>;
}

/// The columns every membership read returns, in the order the row mappers expect.
macro_rules! member_columns {
    () => {
        "id, tenant_id, sub, email, role, state, via, created_at, updated_at"
    };
}

/// The guard of every change that could take away an active admin: the row is not an active
/// admin, or another active admin remains.
macro_rules! keeps_an_admin {
    () => {
        "(NOT (role = 'admin' AND state = 'active') OR EXISTS (SELECT 1 FROM memberships o \
         WHERE o.tenant_id = $1 AND o.sub <> $2 AND o.role = 'admin' AND o.state = 'active'))"
    };
}

/// The membership (all columns null when none) and whether a removal is recorded.
pub(super) const STANDING: &str =
    "SELECT m.id, m.tenant_id, m.sub, m.email, m.role, m.state, m.via, \
     m.created_at, m.updated_at, \
     EXISTS (SELECT 1 FROM membership_removals r WHERE r.tenant_id = $1 AND r.sub = $2) AS removed \
     FROM (SELECT 1 AS one) AS one LEFT JOIN memberships m ON m.tenant_id = $1 AND m.sub = $2";
pub(super) const GET_MEMBERSHIP: &str = concat!(
    "SELECT ",
    member_columns!(),
    " FROM memberships WHERE tenant_id = $1 AND sub = $2"
);
pub(super) const ADMIT_HOME: &str =
    "INSERT INTO memberships (tenant_id, sub, email, role, state, via, created_at, updated_at) \
     SELECT $1, $2, $3, \
     CASE WHEN EXISTS (SELECT 1 FROM memberships WHERE tenant_id = $1 AND role = 'admin') \
     THEN 'member' ELSE 'admin' END, 'active', 'home', $4, $4 \
     WHERE NOT EXISTS (SELECT 1 FROM membership_removals WHERE tenant_id = $1 AND sub = $2) \
     ON CONFLICT (tenant_id, sub) DO NOTHING";
pub(super) const ACTIVATE: &str = "UPDATE memberships SET state = 'active', updated_at = $3 \
     WHERE tenant_id = $1 AND sub = $2 AND state = 'invited'";
pub(super) const INVITE: &str =
    "INSERT INTO memberships (tenant_id, sub, email, role, state, via, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, 'invited', 'invite', $5, $5) ON CONFLICT (tenant_id, sub) DO NOTHING";
/// Each optional filter is `$n` or NULL. The casts give PostgreSQL the parameter's type where
/// it is first seen (it prepares without declared types, and `$n IS NULL` alone leaves it
/// undetermined); on SQLite they change nothing.
pub(super) const LIST_MEMBERS: &str = concat!(
    "SELECT ",
    member_columns!(),
    " FROM memberships WHERE tenant_id = $1 AND id > $2 \
     AND (CAST($3 AS TEXT) IS NULL OR substr(email, 1, length($3)) = $3) \
     AND (CAST($4 AS TEXT) IS NULL OR role = $4) AND (CAST($5 AS TEXT) IS NULL OR state = $5) \
     ORDER BY id LIMIT $6"
);
pub(super) const SET_ROLE: &str = concat!(
    "UPDATE memberships SET role = $3, updated_at = $4 WHERE tenant_id = $1 AND sub = $2 \
     AND ($3 = 'admin' OR ",
    keeps_an_admin!(),
    ") RETURNING ",
    member_columns!()
);
pub(super) const SET_STATE: &str = concat!(
    "UPDATE memberships SET state = $3, updated_at = $4 WHERE tenant_id = $1 AND sub = $2 \
     AND ($3 = 'active' OR ",
    keeps_an_admin!(),
    ") RETURNING ",
    member_columns!()
);
pub(super) const REMOVE_MEMBER: &str = concat!(
    "DELETE FROM memberships WHERE tenant_id = $1 AND sub = $2 AND ",
    keeps_an_admin!()
);
/// How many of a person's memberships [`MembershipStore::own_memberships`] returns.
pub(crate) const OWN_MEMBERSHIPS_MAX: i64 = 200;
pub(super) const OWN_MEMBERSHIPS: &str = concat!(
    "SELECT ",
    member_columns!(),
    " FROM memberships WHERE sub = $1 ORDER BY tenant_id LIMIT $2"
);
pub(super) const TENANT_COUNT: &str = "SELECT tenants FROM member_counts WHERE sub = $1";
pub(super) const LIST_TENANTS: &str = "SELECT id, tenant_id, members, created_at \
     FROM tenant_directory WHERE id > $1 ORDER BY id LIMIT $2";

/// The outcome of a guarded change that touched no row: the member exists (so the guard
/// refused: they are the last active admin) or not.
pub(super) fn refused(exists: bool) -> StoreError {
    if exists {
        StoreError::LastAdmin
    } else {
        StoreError::NotFound
    }
}
