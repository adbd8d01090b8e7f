//! `/api/alerts`: the caller's own alerts within their tenant.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::doc_parts::TenantScopedErrors;
use super::error::{ApiError, ErrorBody};
use super::extract::{AppJson, AppPath, AppQuery, Tenant};
use super::pagination::{with_cursor, ListParams};
use super::routes::RouterExt;
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::tenant::TenantId;
use crate::state::AppState;

/// An alert.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertOut {
    /// Id.
    pub id: i64,
    /// Short description.
    pub title: String,
    /// Seriousness.
    pub severity: Severity,
    /// Owning tenant.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// `sub` of the owner.
    pub owner_sub: String,
    /// Creation time (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Acknowledgement time (RFC 3339), if acknowledged.
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
}

impl From<Alert> for AlertOut {
    fn from(alert: Alert) -> Self {
        Self {
            id: alert.id,
            title: alert.title,
            severity: alert.severity,
            tenant_id: alert.tenant_id,
            owner_sub: alert.owner_sub,
            created_at: alert.created_at,
            acknowledged_at: alert.acknowledged_at,
        }
    }
}

/// A new alert.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AlertIn {
    /// Short description, 1–200 characters (surrounding white space is trimmed).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// Seriousness (default `info`).
    #[serde(default)]
    pub severity: Severity,
}

/// The `/api/alerts` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route_both("/api/alerts", get(list).post(create))
        .route_both("/api/alerts/{id}", get(read).delete(remove))
        .route_both("/api/alerts/{id}/ack", post(acknowledge))
}

/// The caller's alerts in the tenant, oldest first. The next page's cursor is in `X-Next-Cursor`.
#[utoipa::path(get, path = "/api/alerts/", operation_id = "list_alerts", tag = "alerts", security(("bearer" = [])),
    params(ListParams, super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "A page of alerts", body = [AlertOut],
            headers(("X-Next-Cursor" = String, description = "Cursor of the next page; absent on the last"))),
        TenantScopedErrors,
    ))]
async fn list(
    State(state): State<AppState>,
    tenant: Tenant,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<(HeaderMap, AppJson<Vec<AlertOut>>), ApiError> {
    let page = state
        .stores
        .alerts
        .list_alerts(&tenant.scope, tenant.sub(), params.page()?)
        .await?;
    let (headers, rows) = with_cursor(page, AlertOut::from);
    Ok((headers, AppJson(rows)))
}

/// Create an alert for the caller.
#[utoipa::path(post, path = "/api/alerts/", operation_id = "create_alert", tag = "alerts", security(("bearer" = [])),
    params(super::doc_parts::TenantHeader), request_body = AlertIn,
    responses(
        (status = 201, description = "Created", body = AlertOut),
        TenantScopedErrors,
    ))]
async fn create(
    State(state): State<AppState>,
    tenant: Tenant,
    AppJson(body): AppJson<AlertIn>,
) -> Result<(StatusCode, AppJson<AlertOut>), ApiError> {
    let title =
        AlertTitle::parse(&body.title).map_err(|e| ApiError::BadRequest(format!("title {e}")))?;
    let alert = state
        .stores
        .alerts
        .create_alert(&tenant.scope, tenant.sub(), &title, body.severity)
        .await?;
    Ok((StatusCode::CREATED, AppJson(alert.into())))
}

/// One of the caller's alerts.
#[utoipa::path(get, path = "/api/alerts/{id}", operation_id = "get_alert", tag = "alerts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Alert id"), super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The alert", body = AlertOut),
        (status = 404, description = "No such alert for this user in this tenant", body = ErrorBody),
        TenantScopedErrors,
    ))]
async fn read(
    State(state): State<AppState>,
    tenant: Tenant,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<AlertOut>, ApiError> {
    let alert = state
        .stores
        .alerts
        .get_alert(&tenant.scope, tenant.sub(), id)
        .await?;
    Ok(AppJson(alert.into()))
}

/// Delete one of the caller's alerts.
#[utoipa::path(delete, path = "/api/alerts/{id}", operation_id = "delete_alert", tag = "alerts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Alert id"), super::doc_parts::TenantHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such alert for this user in this tenant", body = ErrorBody),
        TenantScopedErrors,
    ))]
async fn remove(
    State(state): State<AppState>,
    tenant: Tenant,
    AppPath(id): AppPath<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .stores
        .alerts
        .delete_alert(&tenant.scope, tenant.sub(), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Acknowledge one of the caller's alerts (idempotent; the first time is kept).
#[utoipa::path(post, path = "/api/alerts/{id}/ack", operation_id = "acknowledge_alert", tag = "alerts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Alert id"), super::doc_parts::TenantHeader),
    responses(
        (status = 200, description = "The acknowledged alert", body = AlertOut),
        (status = 404, description = "No such alert for this user in this tenant", body = ErrorBody),
        TenantScopedErrors,
    ))]
async fn acknowledge(
    State(state): State<AppState>,
    tenant: Tenant,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<AlertOut>, ApiError> {
    let alert = state
        .stores
        .alerts
        .acknowledge_alert(&tenant.scope, tenant.sub(), id)
        .await?;
    Ok(AppJson(alert.into()))
}
