//! The OpenAPI document (utoipa), serialised once at start-up, and Swagger UI at `/api/docs`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::doc_parts::CommonErrors;
use crate::state::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "tenant-api", description = "Multi-tenant API behind Amazon Cognito: sign-in, \
        verified Cognito JWTs and tenant-isolated items and alerts. Every error body is \
        `{code, message}`."),
    paths(
        super::user::login, super::user::new_password, super::user::refresh, super::user::logout,
        super::own_tenants::list,
        super::items::list, super::items::create, super::items::read, super::items::rename,
        super::items::remove, super::items::me, super::items::tenant,
        super::alerts::list, super::alerts::create, super::alerts::read, super::alerts::remove,
        super::alerts::acknowledge,
        super::tenant_admin::list, super::tenant_admin::invite, super::tenant_admin::set_role,
        super::tenant_admin::suspend, super::tenant_admin::reactivate,
        super::tenant_admin::remove, super::tenant_admin::audit,
        super::health::health, super::health::live, super::health::ready,
        super::auth::login, super::auth::callback, super::auth::session, super::auth::logout,
    ),
    modifiers(&BearerScheme, &SessionScheme, &CommonErrors),
    tags(
        (name = "user", description = "Sign-in through Cognito"),
        (name = "items", description = "Items shared within a tenant"),
        (name = "alerts", description = "The caller's alerts within a tenant"),
        (name = "tenant", description = "The tenant's admins manage its members and read its audit log"),
        (name = "health", description = "Probes"),
        (name = "session", description = "Browser sign-in through the Backend-for-Frontend: \
            the server holds the tokens, the browser an HttpOnly session cookie"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        scheme.description =
            Some("A Cognito access token (or id token with COGNITO_PREFERRED_TOKEN_USE=id)".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The BFF's session cookie and the header that must come with it, as an alternative to the
/// bearer token on every operation that takes one.
struct SessionScheme;

impl Modify for SessionScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "tenant-api-session",
                "The BFF's session id, set by /auth/callback (HttpOnly, SameSite=Strict; named \
                 __Host-tenant-api-session over https). Valid on /api/* only with the X-CSRF \
                 header.",
            ))),
        );
        components.add_security_scheme(
            "csrf_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF",
                "The value 1. Required with the session cookie (403 csrf_header_required \
                 without it): a cross-site page cannot send it without a CORS preflight, \
                 which the service does not grant.",
            ))),
        );
        let cookie = SecurityRequirement::new("session_cookie", Vec::<String>::new())
            .add("csrf_header", Vec::<String>::new());
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let Some(security) = operation.security.as_mut() else {
                    continue;
                };
                let takes_bearer = serde_json::to_value(&*security)
                    .is_ok_and(|v| v.to_string().contains("\"bearer\""));
                if takes_bearer && operation.operation_id.as_deref() != Some("logout") {
                    security.push(cookie.clone());
                }
            }
        }
    }
}

/// The document as JSON bytes, built once.
pub fn document_json() -> Bytes {
    Bytes::from(
        ApiDoc::openapi()
            .to_json()
            .unwrap_or_else(|_| "{}".to_owned()),
    )
}

async fn openapi_json(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        state.openapi_json.clone(),
    )
}

/// `/api/openapi.json` and the Swagger UI at `/api/docs` (assets built into the binary).
pub fn router() -> Router<AppState> {
    let ui: Router<AppState> = SwaggerUi::new("/api/docs")
        .config(utoipa_swagger_ui::Config::from("/api/openapi.json"))
        .into();
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .merge(ui)
}
