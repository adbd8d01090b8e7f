//! The browser console at `/`: one page that signs in through the Backend-for-Frontend when it
//! is on (`/auth/*`: no token in the page, the API called with the session cookie and
//! `X-CSRF`), else through the Hosted UI itself (authorization code + PKCE S256 + state, tokens
//! in memory only), and calls this API.
//! Its assets are compiled into the binary and served under a strict Content-Security-Policy.

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::config::{Config, TenantMode, CONSOLE_CALLBACK_PATH};
use crate::state::AppState;

const INDEX: &str = include_str!("console/index.html");
const SCRIPT: &str = include_str!("console/app.js");
const STYLE: &str = include_str!("console/app.css");

/// What the page's script needs to sign in and call the API.
#[derive(Serialize)]
struct ConsoleSettings {
    /// False when no way to sign in is configured: the page says so.
    sign_in: bool,
    /// Sign in through the BFF (`/auth/login`) rather than in the page.
    bff: bool,
    client_id: Option<String>,
    hosted_ui: Option<String>,
    scope: &'static str,
    callback_path: &'static str,
    /// The header naming the tenant, in header mode.
    tenant_header: Option<String>,
    /// The token claim holding the user's tenant.
    tenant_claim: String,
}

/// `GET /`, `GET /callback`, the script, the style sheet and the settings.
pub fn router(config: &Config) -> Router<AppState> {
    let settings = Arc::new(settings(config));
    let csp = Arc::new(content_security_policy(config.web.hosted_ui.as_deref()));
    let page = {
        let csp = csp.clone();
        move || async move { asset(INDEX, "text/html; charset=utf-8", &csp) }
    };
    Router::new()
        .route("/", get(page.clone()))
        .route(CONSOLE_CALLBACK_PATH, get(page))
        .route(
            "/console/app.js",
            get(move || async move { asset(SCRIPT, "text/javascript; charset=utf-8", &csp) }),
        )
        .route(
            "/console/app.css",
            get(|| async { asset(STYLE, "text/css; charset=utf-8", "default-src 'none'") }),
        )
        .route(
            "/console/settings.json",
            get(move || async move { Json(settings.clone()).into_response() }),
        )
}

fn settings(config: &Config) -> ConsoleSettings {
    let web = &config.web;
    let bff = config.bff.client_id.is_some() && web.hosted_ui.is_some();
    ConsoleSettings {
        sign_in: bff || web.is_complete(),
        bff,
        client_id: web.client_id.clone(),
        hosted_ui: web.hosted_ui.clone(),
        scope: "openid email profile",
        callback_path: CONSOLE_CALLBACK_PATH,
        tenant_header: (config.tenancy.enabled && config.tenancy.mode == TenantMode::Header)
            .then(|| config.tenancy.header.to_string()),
        tenant_claim: config.tenancy.claim.clone(),
    }
}

/// Scripts and styles from this origin only; network calls to this origin and the Hosted UI's
/// token endpoint; no frames, no forms, no plugins.
fn content_security_policy(hosted_ui: Option<&str>) -> String {
    let token_origin = hosted_ui
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         connect-src 'self' {token_origin}; form-action 'none'; frame-ancestors 'none'; \
         base-uri 'none'"
    )
}

fn asset(body: &'static str, content_type: &'static str, csp: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(csp) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_web_client_and_hosted_ui_the_page_offers_no_sign_in() {
        let config = Config::for_tests(std::env::temp_dir());
        assert!(!settings(&config).sign_in);
        let csp = content_security_policy(Some("https://acme.auth.eu-west-1.amazoncognito.com/"));
        assert!(csp.contains("connect-src 'self' https://acme.auth.eu-west-1.amazoncognito.com;"));
    }
}
