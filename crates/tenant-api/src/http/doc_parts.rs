//! OpenAPI pieces the handlers share: the tenant header parameter and the tenant-scoped errors.

use utoipa::IntoParams;

use super::error::ErrorBody;

/// The tenant header (its name is configurable with `TENANT_HEADER`).
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // only its parameter description is used
pub(super) struct TenantHeader {
    /// Requested tenant (header mode). In strict mode it must match the user's `custom:tenant_id`.
    #[param(rename = "X-Tenant-Id", example = "acme")]
    x_tenant_id: Option<String>,
}

/// The errors every tenant-scoped endpoint can answer, documented once.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // only its OpenAPI description is used
pub(super) enum TenantScopedErrors {
    /// Malformed request, or tenant missing (`tenant_required`) or malformed (`invalid_tenant`).
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Missing or invalid bearer token (`WWW-Authenticate: Bearer`).
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The tenant is not the user's (`tenant_mismatch`, `tenant_not_proven`).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Cognito or the signing keys are unavailable.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}
