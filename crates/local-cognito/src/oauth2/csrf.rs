//! CSRF protection of the sign-in forms: a random token in an HttpOnly `XSRF-TOKEN` cookie and
//! in the form's `_csrf` field (Cognito's names), compared in constant time.

use axum::http::HeaderMap;
use axum::response::Response;
use subtle::ConstantTimeEq as _;

use super::page;
use crate::crypto::random;

/// A fresh token; set it with [`set`] on the page that carries it.
pub(super) fn token() -> String {
    random::opaque_token()
}

/// Sets the token's cookie on the page response.
pub(super) fn set(response: &mut Response, token: &str, https: bool) {
    page::set_cookie(response, page::CSRF_COOKIE, token, 3_600, https);
}

/// True when the form's token is present and equals the cookie's.
pub(super) fn matches(headers: &HeaderMap, form_token: Option<&str>) -> bool {
    match (page::cookie(headers, page::CSRF_COOKIE), form_token) {
        (Some(cookie), Some(form)) if !cookie.is_empty() => {
            bool::from(cookie.as_bytes().ct_eq(form.as_bytes()))
        }
        _ => false,
    }
}
