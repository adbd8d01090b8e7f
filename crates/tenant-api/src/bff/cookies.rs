//! The BFF's two cookies, as RFC 10017 asks: the session cookie (`HttpOnly`, `SameSite=Strict`,
//! `Path=/`, no `Domain`; over https also `Secure` and the `__Host-` prefix, so no other host
//! or subdomain can set or shadow it) holding only a random id, and a short-lived `Lax` cookie
//! that carries the login round trip (state, nonce, PKCE verifier) from `/auth/login` to
//! `/auth/callback`, sealed.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};

/// The session cookie's name over http (the `__Host-` prefix needs https).
const SESSION_HTTP: &str = "tenant-api-session";
/// The session cookie's name over https.
const SESSION_HTTPS: &str = "__Host-tenant-api-session";
/// The login cookie's name over http.
const LOGIN_HTTP: &str = "tenant-api-login";
/// The login cookie's name over https.
const LOGIN_HTTPS: &str = "__Host-tenant-api-login";

/// Seconds the login round trip may take.
pub const LOGIN_MAX_AGE_SECS: i64 = 600;

/// Which cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieKind {
    /// The session id.
    Session,
    /// The sealed login round trip.
    Login,
}

impl CookieKind {
    /// The cookie's name on an https (`true`) or http origin. Only that name is read, so over
    /// https a cookie without the prefix (which any subdomain could plant) is ignored.
    pub fn name(self, https: bool) -> &'static str {
        match (self, https) {
            (Self::Session, false) => SESSION_HTTP,
            (Self::Session, true) => SESSION_HTTPS,
            (Self::Login, false) => LOGIN_HTTP,
            (Self::Login, true) => LOGIN_HTTPS,
        }
    }

    /// The cookie's value in `headers`, when sent exactly once.
    pub fn read(self, headers: &HeaderMap, https: bool) -> Option<&str> {
        let name = self.name(https);
        let mut found = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| value);
        let first = found.next()?;
        // Two cookies of one name (say, one planted for a parent path) are ambiguous: neither.
        found.next().is_none().then_some(first)
    }

    /// `Set-Cookie` for `value`, kept `max_age` seconds (`None`: until the browser closes).
    pub fn set(self, https: bool, value: &str, max_age: Option<i64>) -> HeaderValue {
        let same_site = match self {
            Self::Session => "Strict",
            // The Hosted UI sends the browser back with a top-level GET from another site.
            Self::Login => "Lax",
        };
        let mut cookie = format!(
            "{}={value}; Path=/; HttpOnly; SameSite={same_site}",
            self.name(https)
        );
        if https {
            cookie.push_str("; Secure");
        }
        if let Some(age) = max_age {
            cookie.push_str(&format!("; Max-Age={age}"));
        }
        HeaderValue::from_str(&cookie)
            .unwrap_or_else(|_| unreachable!("cookie values are base64url"))
    }

    /// `Set-Cookie` that deletes the cookie.
    pub fn clear(self, https: bool) -> HeaderValue {
        self.set(https, "", Some(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_follow_the_scheme_and_only_the_schemes_name_is_read() {
        let http = CookieKind::Session.set(false, "abc", None);
        assert_eq!(
            http,
            "tenant-api-session=abc; Path=/; HttpOnly; SameSite=Strict"
        );
        let https = CookieKind::Session.set(true, "abc", Some(60));
        assert_eq!(
            https,
            "__Host-tenant-api-session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60"
        );
        let login = CookieKind::Login.set(true, "x", Some(LOGIN_MAX_AGE_SECS));
        assert!(login.to_str().unwrap().contains("SameSite=Lax"));

        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; tenant-api-session=s1"),
        );
        assert_eq!(CookieKind::Session.read(&headers, false), Some("s1"));
        assert_eq!(
            CookieKind::Session.read(&headers, true),
            None,
            "no prefix over https"
        );
        headers.append(COOKIE, HeaderValue::from_static("tenant-api-session=s2"));
        assert_eq!(CookieKind::Session.read(&headers, false), None, "ambiguous");
    }
}
