//! Request ids: a caller's `X-Request-Id` is honoured, otherwise one is made (a random UUID);
//! either way it is in the request's headers for the handler and goes back in the response.

use axum::http::header::HeaderName;
use axum::http::{HeaderMap, HeaderValue};

/// `X-Request-Id`.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id: the caller's, or a new one, now in `headers` either way.
pub(super) fn honour_or_make(headers: &mut HeaderMap) -> HeaderValue {
    if let Some(given) = headers.get(&REQUEST_ID) {
        return given.clone();
    }
    let made = make();
    headers.insert(REQUEST_ID, made.clone());
    made
}

/// The id of a request whose headers went through [`honour_or_make`] (empty if not visible
/// ASCII).
pub(crate) fn of(headers: &HeaderMap) -> &str {
    headers
        .get(&REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or_default()
}

/// A random (v4) UUID in its hyphenated form, from `uuid`'s thread-local generator.
fn make() -> HeaderValue {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

/// The id as text for log lines (a caller's id that is not visible ASCII shows as empty).
pub(super) fn as_text(id: &HeaderValue) -> &str {
    id.to_str().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callers_id_is_kept_and_a_missing_one_is_made_and_stored() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID, HeaderValue::from_static("trace-me"));
        assert_eq!(honour_or_make(&mut headers), "trace-me");

        let mut headers = HeaderMap::new();
        let made = honour_or_make(&mut headers);
        assert_eq!(headers.get(&REQUEST_ID), Some(&made));
        let text = as_text(&made);
        assert!(uuid::Uuid::parse_str(text).is_ok(), "{text}");
        assert_ne!(honour_or_make(&mut HeaderMap::new()), made);
    }
}
