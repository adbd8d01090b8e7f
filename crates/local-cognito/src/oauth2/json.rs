//! JSON answers of the token, userInfo and revoke endpoints: OAuth errors
//! (`{"error": …}`, 400, or 401 for `invalid_client`), no caching, and CORS so browser apps
//! can call them, as Cognito's can.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

/// An OAuth 2.0 error code (RFC 6749 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OAuthError(pub(super) &'static str);

pub(super) const INVALID_REQUEST: OAuthError = OAuthError("invalid_request");
pub(super) const INVALID_CLIENT: OAuthError = OAuthError("invalid_client");
pub(super) const INVALID_GRANT: OAuthError = OAuthError("invalid_grant");
pub(super) const UNAUTHORIZED_CLIENT: OAuthError = OAuthError("unauthorized_client");
pub(super) const UNSUPPORTED_GRANT_TYPE: OAuthError = OAuthError("unsupported_grant_type");
pub(super) const UNSUPPORTED_TOKEN_TYPE: OAuthError = OAuthError("unsupported_token_type");
/// Our own failure (500).
pub(super) const SERVER_ERROR: OAuthError = OAuthError("server_error");

fn cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// A 200 JSON answer.
pub(super) fn ok(body: &impl Serialize) -> Response {
    let Ok(text) = serde_json::to_string(body) else {
        return SERVER_ERROR.into_response();
    };
    let mut response = (
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        text,
    )
        .into_response();
    cors(response.headers_mut());
    response
}

/// A 200 with an empty body (revocation).
pub(super) fn empty() -> Response {
    let mut response = StatusCode::OK.into_response();
    cors(response.headers_mut());
    response
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = match self {
            INVALID_CLIENT => StatusCode::UNAUTHORIZED,
            SERVER_ERROR => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        let mut response = ok(&json!({ "error": self.0 }));
        *response.status_mut() = status;
        if self == INVALID_CLIENT {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"local-cognito\""),
            );
        }
        response
    }
}

/// The CORS preflight answer: any origin, POST/GET, the headers a token request sends.
pub(super) async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    cors(headers);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("3600"),
    );
    response
}
