//! `GET /api/user/tenants`: the tenants the caller may switch between (the console's tenant
//! switcher), with their role and state in each. It names no tenant itself.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppJson, AuthUser};
use super::routes::RouterExt;
use crate::domain::membership::{MemberState, Role};
use crate::state::AppState;
use crate::tenancy::OwnTenant;

/// One tenant the caller may use.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OwnTenantOut {
    /// The tenant (the value of the tenant header or subdomain).
    #[schema(example = "acme")]
    pub tenant: String,
    /// The caller's role in it.
    pub role: Role,
    /// The caller's state in it (`suspended`: requests to it are refused).
    pub state: MemberState,
    /// Whether it is the caller's home tenant (their `custom:tenant_id`).
    pub home: bool,
}

impl From<OwnTenant> for OwnTenantOut {
    fn from(own: OwnTenant) -> Self {
        Self {
            tenant: own.membership.tenant_id.as_str().to_owned(),
            role: own.membership.role,
            state: own.membership.state,
            home: own.home,
        }
    }
}

/// The `/api/user/tenants` route.
pub fn router() -> Router<AppState> {
    Router::new().route_both("/api/user/tenants", get(list))
}

/// The tenants the caller may switch between: their home tenant and, except in claim mode,
/// every tenant they are a member of (suspended ones marked), by tenant. Empty with
/// multi-tenancy off.
#[utoipa::path(get, path = "/api/user/tenants", operation_id = "list_own_tenants", tag = "user", security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's tenants", body = [OwnTenantOut]),
        (status = 401, description = "Missing or invalid token", body = super::error::ErrorBody),
        (status = 503, description = "Cognito or the database is unavailable", body = super::error::ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<AppJson<Vec<OwnTenantOut>>, ApiError> {
    let own = state.tenants.own_tenants(&user.claims, &user.token).await?;
    Ok(AppJson(own.into_iter().map(OwnTenantOut::from).collect()))
}
