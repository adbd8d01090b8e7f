//! `/api/items`: items shared within the caller's tenant, plus `me` and `tenant`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::doc_parts::TenantScopedErrors;
use super::error::{ApiError, ErrorBody};
use super::extract::{AppJson, AppPath, AppQuery, Tenant, TenantIfNamed};
use super::pagination::{with_cursor, ListParams};
use super::routes::RouterExt;
use crate::config::TenantMode;
use crate::domain::item::{Item, ItemName};
use crate::domain::tenant::TenantId;
use crate::state::AppState;

/// An item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Owning tenant.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// `sub` of the creator.
    pub owner_sub: String,
    /// Creation time (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<Item> for ItemOut {
    fn from(item: Item) -> Self {
        Self {
            id: item.id,
            name: item.name,
            tenant_id: item.tenant_id,
            owner_sub: item.owner_sub,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// A new or renamed item.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemIn {
    /// Display name, 1–200 characters (surrounding white space is trimmed).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
}

impl ItemIn {
    fn name(&self) -> Result<ItemName, ApiError> {
        ItemName::parse(&self.name).map_err(|e| ApiError::BadRequest(format!("name {e}")))
    }
}

/// Who the caller is.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeOut {
    /// Cognito `sub`.
    pub sub: String,
    /// Cognito username.
    pub username: Option<String>,
    /// Email (id tokens only).
    pub email: Option<String>,
    /// `access` or `id`.
    pub token_use: String,
}

/// The caller's tenant.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TenantOut {
    /// The tenant this request is scoped to.
    pub tenant_id: String,
    /// `access` or `id`.
    pub token_use: String,
    /// `header`, `subdomain` or `claim`.
    pub mode: TenantMode,
}

/// The `/api/items` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route_both("/api/items", get(list).post(create))
        .route_both("/api/items/me", get(me))
        .route_both("/api/items/tenant", get(tenant))
        .route_both("/api/items/{id}", get(read).put(rename).delete(remove))
}

/// The tenant's items, oldest first. The next page's cursor is in `X-Next-Cursor`.
#[utoipa::path(get, path = "/api/items/", operation_id = "list_items", tag = "items", security(("bearer" = [])),
    params(ListParams, super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "A page of items", body = [ItemOut],
            headers(("X-Next-Cursor" = String, description = "Cursor of the next page; absent on the last"))),
        TenantScopedErrors,
    ))]
async fn list(
    State(state): State<AppState>,
    tenant: Tenant,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<(HeaderMap, AppJson<Vec<ItemOut>>), ApiError> {
    let page = state
        .stores
        .items
        .list_items(&tenant.scope, params.page()?)
        .await?;
    let (headers, rows) = with_cursor(page, ItemOut::from);
    Ok((headers, AppJson(rows)))
}

/// Create an item in the caller's tenant.
#[utoipa::path(post, path = "/api/items/", operation_id = "create_item", tag = "items", security(("bearer" = [])),
    params(super::doc_parts::TenantHeader), request_body = ItemIn,
    responses(
        (status = 201, description = "Created", body = ItemOut),
        TenantScopedErrors,
    ))]
async fn create(
    State(state): State<AppState>,
    tenant: Tenant,
    AppJson(body): AppJson<ItemIn>,
) -> Result<(StatusCode, AppJson<ItemOut>), ApiError> {
    let item = state
        .stores
        .items
        .create_item(&tenant.scope, tenant.sub(), &body.name()?)
        .await?;
    Ok((StatusCode::CREATED, AppJson(item.into())))
}

/// One item of the caller's tenant.
#[utoipa::path(get, path = "/api/items/{id}", operation_id = "get_item", tag = "items", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Item id"), super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The item", body = ItemOut),
        (status = 404, description = "No such item in this tenant", body = ErrorBody),
        TenantScopedErrors,
    ))]
async fn read(
    State(state): State<AppState>,
    tenant: Tenant,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<ItemOut>, ApiError> {
    let item = state.stores.items.get_item(&tenant.scope, id).await?;
    Ok(AppJson(item.into()))
}

/// Rename an item of the caller's tenant.
#[utoipa::path(put, path = "/api/items/{id}", operation_id = "rename_item", tag = "items", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Item id"), super::doc_parts::TenantHeader),
    request_body = ItemIn,
    responses(
        (status = 200, description = "The renamed item", body = ItemOut),
        (status = 404, description = "No such item in this tenant", body = ErrorBody),
        TenantScopedErrors,
    ))]
async fn rename(
    State(state): State<AppState>,
    tenant: Tenant,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ItemIn>,
) -> Result<AppJson<ItemOut>, ApiError> {
    let item = state
        .stores
        .items
        .rename_item(&tenant.scope, id, &body.name()?)
        .await?;
    Ok(AppJson(item.into()))
}

/// Delete an item of the caller's tenant.
#[utoipa::path(delete, path = "/api/items/{id}", operation_id = "delete_item", tag = "items", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Item id"), super::doc_parts::TenantHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such item in this tenant", body = ErrorBody),
        TenantScopedErrors,
    ))]
async fn remove(
    State(state): State<AppState>,
    tenant: Tenant,
    AppPath(id): AppPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.stores.items.delete_item(&tenant.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The verified caller. No tenant is needed, but one the request names must be the caller's.
#[utoipa::path(get, path = "/api/items/me", operation_id = "get_me", tag = "items", security(("bearer" = [])),
    params(super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The caller", body = MeOut),
        TenantScopedErrors,
    ))]
async fn me(caller: TenantIfNamed) -> AppJson<MeOut> {
    let claims = &caller.user.claims;
    AppJson(MeOut {
        sub: claims.sub().to_owned(),
        username: claims.username().map(str::to_owned),
        email: claims.email().map(str::to_owned),
        token_use: claims.token_use().to_string(),
    })
}

/// The tenant this request resolves to, and how.
#[utoipa::path(get, path = "/api/items/tenant", operation_id = "get_tenant", tag = "items", security(("bearer" = [])),
    params(super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The resolved tenant", body = TenantOut),
        TenantScopedErrors,
    ))]
async fn tenant(State(state): State<AppState>, tenant: Tenant) -> AppJson<TenantOut> {
    AppJson(TenantOut {
        tenant_id: tenant.scope.to_string(),
        token_use: tenant.user.claims.token_use().to_string(),
        mode: state.tenants.config().mode,
    })
}
