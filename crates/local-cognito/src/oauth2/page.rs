//! HTML pages from the checked-in templates: values HTML-escaped, a strict CSP, no caching,
//! no framing; and the cookies the pages use.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::service::Services;

/// The sign-in page.
pub(super) const LOGIN: &str = include_str!("templates/login.html");
/// The page that asks for a new password in place of a temporary one.
pub(super) const NEW_PASSWORD: &str = include_str!("templates/new_password.html");
/// An error with no client to send the browser back to.
pub(super) const ERROR: &str = include_str!("templates/error.html");
/// The one stylesheet, served from `/hosted-ui.css`.
pub(super) const STYLESHEET: &str = include_str!("templates/hosted-ui.css");

/// The CSRF cookie and form field (the names Cognito's Hosted UI uses).
pub(super) const CSRF_COOKIE: &str = "XSRF-TOKEN";

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

/// Fills `{{name}}` placeholders with escaped values; unknown placeholders become empty.
pub(super) fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + end].trim();
        if let Some((_, value)) = values.iter().find(|(key, _)| *key == name) {
            out.push_str(&escape(value));
        }
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// The origin (`scheme://host[:port]`) of a URL, for the CSP's `form-action`.
fn origin(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    match url.origin() {
        url::Origin::Tuple(..) => Some(url.origin().ascii_serialization()),
        url::Origin::Opaque(_) => Some(format!("{}:", url.scheme())),
    }
}

/// A form page (sign-in or new password) with its fresh CSRF cookie: 400 when it shows an
/// error, 200 otherwise.
pub(super) fn form(
    services: &Services,
    redirect_uri: &str,
    body: String,
    csrf_token: &str,
    failed: bool,
) -> Response {
    let status = if failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut response = html(status, body, Some(redirect_uri));
    super::csrf::set(&mut response, csrf_token, super::session::https(services));
    response
}

/// An HTML response with the Hosted UI's security headers. Forms may post only to this
/// listener, and the redirect after a sign-in only to `redirect_to`'s origin.
pub(crate) fn html(status: StatusCode, body: String, redirect_to: Option<&str>) -> Response {
    let form_action = match redirect_to.and_then(origin) {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    secure_headers(headers);
    response
}

/// No caching, no framing, no sniffing, no referrer.
pub(crate) fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// The error page.
pub(super) fn error_page(status: StatusCode, message: &str) -> Response {
    html(status, render(ERROR, &[("message", message)]), None)
}

/// The value of cookie `name` in the request.
pub(super) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Adds a `Set-Cookie`: HttpOnly, SameSite=Lax, path `/`, `Secure` when served over https;
/// `max_age` 0 deletes it.
pub(super) fn set_cookie(
    response: &mut Response,
    name: &str,
    value: &str,
    max_age: i64,
    https: bool,
) {
    let secure = if https { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// A 302 to `location` (the code, an error, or the sign-in page).
pub(super) fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    secure_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_unknown_placeholders_dropped() {
        let out = render(
            "<p title=\"{{a}}\">{{ b }}{{c}}</p>",
            &[("a", "\"><script>"), ("b", "x & y")],
        );
        assert_eq!(out, "<p title=\"&quot;&gt;&lt;script&gt;\">x &amp; y</p>");
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; XSRF-TOKEN=abc; b=2"),
        );
        assert_eq!(cookie(&headers, CSRF_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "XSRF"), None);
    }

    #[test]
    fn form_action_allows_the_redirect_origin() {
        assert_eq!(
            origin("http://localhost:3000/api/auth/callback/cognito").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(origin("myapp://callback").as_deref(), Some("myapp:"));
    }
}
