//! Sign-ins and sign-outs through the API, recorded in the person's home tenant's audit log
//! (`user.signed_in`, `user.signed_out`), so a tenant's admins see who came and went.
//!
//! Recording never changes the answer: by the time it runs, Cognito has issued the tokens or
//! revoked them, and refusing the caller would not undo that. A failure to record is logged as
//! an error with the request id, for the operator to see.

use cognito_verify::CognitoClaims;

use crate::domain::membership::{AuditAction, NewAuditEntry};
use crate::state::Services;
use crate::tenancy::ScopedTenant;

/// Records `action` by the bearer of `claims` (whose token is `token`) in their home tenant,
/// when they have one. `detail` says how (`password`, `new_password`).
pub async fn record(
    services: &Services,
    claims: &CognitoClaims,
    token: &str,
    action: AuditAction,
    detail: Option<&str>,
    request_id: &str,
) {
    let home = home(services, claims, token, action, request_id).await;
    record_in(
        services,
        home.as_ref(),
        claims.sub(),
        action,
        detail,
        request_id,
    )
    .await;
}

/// The home tenant of the bearer of `claims`, for an entry about `action` recorded later (read
/// before a sign-out, while the token may still be used to read the user). `None` when they
/// have none or it could not be read (logged).
pub async fn home(
    services: &Services,
    claims: &CognitoClaims,
    token: &str,
    action: AuditAction,
    request_id: &str,
) -> Option<ScopedTenant> {
    match services.tenants.home_scope(claims, token).await {
        Ok(scope) => scope,
        Err(err) => {
            tracing::error!(request_id, action = action.as_str(), error = %err,
                "audit entry not recorded: the home tenant could not be read");
            None
        }
    }
}

/// Records `action` by `sub` on themself in `home`'s audit log (nothing when `None`).
pub async fn record_in(
    services: &Services,
    home: Option<&ScopedTenant>,
    sub: &str,
    action: AuditAction,
    detail: Option<&str>,
    request_id: &str,
) {
    let Some(scope) = home else { return };
    let entry = NewAuditEntry {
        actor_sub: sub.to_owned(),
        action,
        target: sub.to_owned(),
        detail: detail.map(str::to_owned),
        request_id: request_id.to_owned(),
    };
    if let Err(err) = services.stores.audit.record_audit(scope, &entry).await {
        tracing::error!(request_id, action = action.as_str(), tenant = %scope, error = %err,
            "audit entry not recorded");
    }
}
