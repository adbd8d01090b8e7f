//! OpenAPI pieces the handlers share: the tenant header parameter, the tenant-scoped errors, and
//! the errors every operation can answer.

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr};
use utoipa::{IntoParams, Modify};

use super::error::ErrorBody;

/// The tenant header (its name is configurable with `TENANT_HEADER`).
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // only its parameter description is used
pub(super) struct TenantHeader {
    /// Requested tenant (header mode). In strict mode it must match the user's `custom:tenant_id`.
    #[param(
        rename = "X-Tenant-Id",
        example = "acme",
        pattern = "^[A-Za-z0-9_-]{1,64}$"
    )]
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
    /// The tenant is not the user's (`tenant_mismatch`, `tenant_not_proven`), or their
    /// membership of it is suspended (`tenant_suspended`).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Cognito or the signing keys are unavailable.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// Declares, on every operation, the errors that come from the layers around the handlers
/// rather than from the handler itself, so the document lists every status a client can get:
/// 400 (a refused `Host`, a malformed query or header) and 503 (request timeout) everywhere;
/// 413 and 415 on operations with a JSON body; 401 and 403 on authenticated ones; 507 on
/// authenticated ones that write (every authenticated `POST`, `PUT` and `DELETE` stores
/// something); 429 and 502 on those that call Cognito (sign-in, and tenant proofs). An
/// operation's own description of a status is kept.
pub(super) struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for (operation, writes) in [
                (&mut item.get, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.delete, true),
                (&mut item.patch, true),
            ] {
                if let Some(operation) = operation.as_mut() {
                    declare_common_errors(operation, writes);
                }
            }
        }
    }
}

fn declare_common_errors(operation: &mut Operation, writes: bool) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let calls_cognito = secured || operation.tags.iter().flatten().any(|tag| tag == "user");
    let mut declare = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    };
    declare("400", "Malformed request, or Host not allowed");
    declare(
        "503",
        "A dependency is unavailable, or the request timed out",
    );
    if operation.request_body.is_some() {
        declare("413", "Request body too large");
        declare("415", "Expected Content-Type: application/json");
    }
    if secured {
        declare("401", "Missing or invalid bearer token");
        declare(
            "403",
            "Insufficient scope, or the tenant is not the caller's",
        );
    }
    if secured && writes {
        declare(
            "507",
            "The database has no room for the change (disk full); reads still work",
        );
    }
    if calls_cognito {
        declare("429", "Too many requests (Retry-After says when to retry)");
        declare("502", "The authentication service answered unexpectedly");
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    let body = Content::new(Some(Ref::from_schema_name("ErrorBody")));
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content("application/json", body)
            .build(),
    )
}
