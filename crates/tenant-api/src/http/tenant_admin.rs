//! `/api/tenant/`: the tenant's admins manage its members and read its audit log. The tenant
//! is the request's proven tenant, and the caller must be an active admin of it
//! ([`TenantAdmin`]); the work itself is in `crate::members`.

use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use super::doc_parts::TenantScopedErrors;
use super::error::{ApiError, ErrorBody};
use super::extract::{AppJson, AppPath, AppQuery, Tenant};
use super::pagination::{with_cursor, ListParams};
use super::request_id;
use super::routes::RouterExt;
use crate::domain::membership::{
    AuditEntry, Email, Joined, MemberFilter, MemberState, Membership, Role, Standing,
};
use crate::members::{Actor, MemberAdmin, MemberAdminError};
use crate::state::AppState;

/// A member of the tenant.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberOut {
    /// Cognito `sub` (the id in member paths).
    pub sub: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// State.
    pub state: MemberState,
    /// How the membership came to be.
    pub joined: Joined,
    /// When it was written (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change of role or state (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<Membership> for MemberOut {
    fn from(m: Membership) -> Self {
        Self {
            sub: m.sub,
            email: m.email,
            role: m.role,
            state: m.state,
            joined: m.via,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// An invitation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteIn {
    /// The person's email; a person without a Cognito user gets one, with this tenant as home.
    #[schema(example = "ann@example.com", max_length = 254)]
    pub email: String,
    /// Their role.
    pub role: Role,
}

/// A role change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleIn {
    /// The new role.
    pub role: Role,
}

/// The outcome of a removal.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RemovedOut {
    /// The removed member.
    pub sub: String,
    /// Whether their Cognito user was deleted: only when they belong to no tenant any more.
    pub cognito_user_deleted: bool,
}

/// One entry of the audit log.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditOut {
    /// Entry id.
    pub id: i64,
    /// `sub` of the admin who acted (of the person, for `user.*`).
    pub actor_sub: String,
    /// `member.invited`, `member.role_changed`, `member.suspended`, `member.reactivated`,
    /// `member.removed`; `user.signed_in` or `user.signed_out` for a person of this home tenant
    /// signing in or out through `/api/user/`.
    pub action: String,
    /// `sub` of the member acted on (the person themself, for `user.*`).
    pub target: String,
    /// The new role (`member.invited`, `member.role_changed`), `cognito_user_deleted`, or how a
    /// person signed in (`password`, `new_password`, `browser` for the BFF).
    pub detail: Option<String>,
    /// The `X-Request-Id` of the request that acted.
    pub request_id: String,
    /// When (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl From<AuditEntry> for AuditOut {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            actor_sub: e.actor_sub,
            action: e.action,
            target: e.target,
            detail: e.detail,
            request_id: e.request_id,
            at: e.at,
        }
    }
}

/// `?email=&role=&state=` on the member list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberFilterParams {
    /// Emails starting with this (case-insensitive).
    #[param(max_length = 254)]
    pub email: Option<String>,
    /// Only this role.
    pub role: Option<Role>,
    /// Only this state.
    pub state: Option<MemberState>,
}

/// The `/api/tenant` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route_both("/api/tenant/members", get(list).post(invite))
        .route_both("/api/tenant/members/{sub}", patch(set_role).delete(remove))
        .route_both("/api/tenant/members/{sub}/suspend", post(suspend))
        .route_both("/api/tenant/members/{sub}/reactivate", post(reactivate))
        .route_both("/api/tenant/audit", get(audit))
}

/// The tenant's members, oldest first. The next page's cursor is in `X-Next-Cursor`.
#[utoipa::path(get, path = "/api/tenant/members", operation_id = "list_members", tag = "tenant", security(("bearer" = [])),
    params(ListParams, MemberFilterParams, super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "A page of members", body = [MemberOut],
            headers(("X-Next-Cursor" = String, description = "Cursor of the next page; absent on the last"))),
        TenantScopedErrors, AdminErrors,
    ))]
async fn list(
    State(state): State<AppState>,
    admin: TenantAdmin,
    AppQuery(page): AppQuery<ListParams>,
    AppQuery(filter): AppQuery<MemberFilterParams>,
) -> Result<(HeaderMap, AppJson<Vec<MemberOut>>), ApiError> {
    let filter = MemberFilter {
        email_prefix: filter.email.map(|e| e.trim().to_lowercase()),
        role: filter.role,
        state: filter.state,
    };
    let page = state
        .stores
        .memberships
        .list_members(&admin.0.scope, &filter, page.page()?)
        .await?;
    let (headers, rows) = with_cursor(page, MemberOut::from);
    Ok((headers, AppJson(rows)))
}

/// Invite a person by email. A new membership is 201; inviting a member again changes nothing
/// and is 200.
#[utoipa::path(post, path = "/api/tenant/members", operation_id = "invite_member", tag = "tenant", security(("bearer" = [])),
    params(super::doc_parts::TenantHeader), request_body = InviteIn,
    responses(
        (status = 201, description = "Invited", body = MemberOut),
        (status = 200, description = "Already a member: unchanged", body = MemberOut),
        (status = 429, description = "Too many invitations from this tenant (Retry-After says when)", body = ErrorBody),
        TenantScopedErrors, AdminErrors,
    ))]
async fn invite(
    State(state): State<AppState>,
    admin: TenantAdmin,
    headers: HeaderMap,
    AppJson(body): AppJson<InviteIn>,
) -> Result<(StatusCode, AppJson<MemberOut>), ApiError> {
    let email = Email::parse(&body.email).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let actor = admin.actor(&headers);
    let (member, created) = services(&state).invite(&actor, &email, body.role).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, AppJson(member.into())))
}

/// Change a member's role.
#[utoipa::path(patch, path = "/api/tenant/members/{sub}", operation_id = "set_member_role", tag = "tenant", security(("bearer" = [])),
    params(("sub" = String, Path, description = "The member's sub"), super::doc_parts::TenantHeader),
    request_body = RoleIn,
    responses(
        (status = 200, description = "The member", body = MemberOut),
        TenantScopedErrors, AdminErrors, MemberChangeErrors,
    ))]
async fn set_role(
    State(state): State<AppState>,
    admin: TenantAdmin,
    headers: HeaderMap,
    AppPath(sub): AppPath<String>,
    AppJson(body): AppJson<RoleIn>,
) -> Result<AppJson<MemberOut>, ApiError> {
    let actor = admin.actor(&headers);
    let member = services(&state).set_role(&actor, &sub, body.role).await?;
    Ok(AppJson(member.into()))
}

/// Suspend a member: their requests to this tenant are refused at once (`tenant_suspended`);
/// their other tenants are untouched.
#[utoipa::path(post, path = "/api/tenant/members/{sub}/suspend", operation_id = "suspend_member", tag = "tenant", security(("bearer" = [])),
    params(("sub" = String, Path, description = "The member's sub"), super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The member", body = MemberOut),
        TenantScopedErrors, AdminErrors, MemberChangeErrors,
    ))]
async fn suspend(
    state: State<AppState>,
    admin: TenantAdmin,
    headers: HeaderMap,
    sub: AppPath<String>,
) -> Result<AppJson<MemberOut>, ApiError> {
    set_state(state, admin, headers, sub, MemberState::Suspended).await
}

/// Reactivate a suspended member.
#[utoipa::path(post, path = "/api/tenant/members/{sub}/reactivate", operation_id = "reactivate_member", tag = "tenant", security(("bearer" = [])),
    params(("sub" = String, Path, description = "The member's sub"), super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The member", body = MemberOut),
        TenantScopedErrors, AdminErrors, MemberChangeErrors,
    ))]
async fn reactivate(
    state: State<AppState>,
    admin: TenantAdmin,
    headers: HeaderMap,
    sub: AppPath<String>,
) -> Result<AppJson<MemberOut>, ApiError> {
    set_state(state, admin, headers, sub, MemberState::Active).await
}

async fn set_state(
    State(state): State<AppState>,
    admin: TenantAdmin,
    headers: HeaderMap,
    AppPath(sub): AppPath<String>,
    to: MemberState,
) -> Result<AppJson<MemberOut>, ApiError> {
    let actor = admin.actor(&headers);
    let member = services(&state).set_state(&actor, &sub, to).await?;
    Ok(AppJson(member.into()))
}

/// Remove a member: their access to this tenant ends at once. Their Cognito user is deleted
/// only when they belong to no tenant any more, as the answer says.
#[utoipa::path(delete, path = "/api/tenant/members/{sub}", operation_id = "remove_member", tag = "tenant", security(("bearer" = [])),
    params(("sub" = String, Path, description = "The member's sub"), super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "Removed", body = RemovedOut),
        TenantScopedErrors, AdminErrors, MemberChangeErrors,
    ))]
async fn remove(
    State(state): State<AppState>,
    admin: TenantAdmin,
    headers: HeaderMap,
    AppPath(sub): AppPath<String>,
) -> Result<AppJson<RemovedOut>, ApiError> {
    let actor = admin.actor(&headers);
    let removal = services(&state).remove(&actor, &sub).await?;
    Ok(AppJson(RemovedOut {
        sub,
        cognito_user_deleted: removal.cognito_user_deleted,
    }))
}

/// The tenant's audit log, oldest first. The next page's cursor is in `X-Next-Cursor`.
#[utoipa::path(get, path = "/api/tenant/audit", operation_id = "list_audit", tag = "tenant", security(("bearer" = [])),
    params(ListParams, super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "A page of the audit log", body = [AuditOut],
            headers(("X-Next-Cursor" = String, description = "Cursor of the next page; absent on the last"))),
        TenantScopedErrors, AdminErrors,
    ))]
async fn audit(
    State(state): State<AppState>,
    admin: TenantAdmin,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<(HeaderMap, AppJson<Vec<AuditOut>>), ApiError> {
    let page = state
        .stores
        .audit
        .list_audit(&admin.0.scope, params.page()?)
        .await?;
    let (headers, rows) = with_cursor(page, AuditOut::from);
    Ok((headers, AppJson(rows)))
}

/// What every admin operation can answer beyond the tenant-scoped errors.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // only its OpenAPI description is used
enum AdminErrors {
    /// Not an active admin of the tenant (`not_tenant_admin`), or the tenant is not the
    /// caller's (`tenant_mismatch`, `tenant_not_proven`, `tenant_suspended`).
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// What a change to one member can answer beyond [`AdminErrors`].
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // only its OpenAPI description is used
enum MemberChangeErrors {
    /// No such member in this tenant.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The last active admin cannot be demoted, suspended or removed (`last_admin`).
    #[response(status = 409)]
    LastAdmin(ErrorBody),
}

/// The services of an admin action.
fn services(state: &AppState) -> MemberAdmin<'_> {
    MemberAdmin {
        cognito: &state.cognito,
        stores: &state.stores,
        members: state.tenants.members(),
        throttle: &state.throttle,
        tenant_attribute: &state.tenants.config().claim,
    }
}

/// A caller proven to belong to the request's tenant and an active admin of it (read from the
/// store on every request: admin operations are rare, and a demotion holds at once).
pub struct TenantAdmin(Tenant);

impl TenantAdmin {
    fn actor<'a>(&'a self, headers: &'a HeaderMap) -> Actor<'a> {
        Actor {
            tenant: &self.0.scope,
            sub: self.0.sub(),
            request_id: request_id::of(headers),
        }
    }
}

impl<S> FromRequestParts<S> for TenantAdmin
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let tenant = Tenant::from_request_parts(parts, state).await?;
        let state = AppState::from_ref(state);
        match state
            .stores
            .memberships
            .standing(&tenant.scope, tenant.sub())
            .await?
        {
            Standing::Member(member) if member.is_active_admin() => Ok(Self(tenant)),
            _ => Err(ApiError::NotTenantAdmin),
        }
    }
}

impl From<MemberAdminError> for ApiError {
    fn from(err: MemberAdminError) -> Self {
        match err {
            MemberAdminError::Store(err) => err.into(),
            MemberAdminError::Cognito(err) => err.into(),
            MemberAdminError::Throttled(t) => Self::TooManyRequests {
                retry_after: t.retry_after,
            },
        }
    }
}
