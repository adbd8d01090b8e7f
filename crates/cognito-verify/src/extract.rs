//! The axum extractor (feature `axum`): [`CognitoUser`] reads `Authorization: Bearer`, verifies
//! it with the state's [`Verifier`], and answers failures per RFC 6750 without telling the client
//! which check failed (the reason goes to the debug log and the metrics).

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::claims::CognitoClaims;
use crate::error::{ErrorKind, VerifyError};
use crate::verifier::Verifier;

/// The verified claims of the request's bearer token.
///
/// Works with any state `S` from which a [`Verifier`] can be taken (`Verifier: FromRef<S>`).
#[derive(Debug, Clone)]
pub struct CognitoUser(pub Arc<CognitoClaims>);

/// Why [`CognitoUser`] refused a request. Its response is 401, 403 or 503 with a fixed body;
/// [`Self::error`] exposes the detail for the service's own logging.
///
/// A service that answers with its own error type converts this one in a single place
/// (`impl From<AuthRejection> for MyError`), matching on [`Self::kind`] and
/// [`Self::credentials_presented`].
#[derive(Debug)]
pub struct AuthRejection {
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    /// No `Authorization` header at all.
    Missing,
    /// An `Authorization` header that is not one usable `Bearer <token>`.
    Malformed,
    /// A bearer token the verifier refused.
    Refused(VerifyError),
}

impl AuthRejection {
    /// The verification failure, or `None` when no usable bearer token was presented.
    pub fn error(&self) -> Option<&VerifyError> {
        match &self.cause {
            Cause::Refused(error) => Some(error),
            Cause::Missing | Cause::Malformed => None,
        }
    }

    /// Whether the request carried any `Authorization` header. RFC 6750 §3.1: a request
    /// without credentials gets a bare `Bearer` challenge, with no error code.
    pub fn credentials_presented(&self) -> bool {
        !matches!(self.cause, Cause::Missing)
    }

    /// The response class.
    pub fn kind(&self) -> ErrorKind {
        self.error().map_or(ErrorKind::Invalid, VerifyError::kind)
    }

    /// A stable reason code: `missing_token` when no `Authorization` header was sent,
    /// `malformed_authorization` when it was not one usable bearer token, else
    /// [`VerifyError::reason`].
    pub fn reason(&self) -> &'static str {
        match &self.cause {
            Cause::Missing => "missing_token",
            Cause::Malformed => "malformed_authorization",
            Cause::Refused(error) => error.reason(),
        }
    }
}

impl From<VerifyError> for AuthRejection {
    fn from(error: VerifyError) -> Self {
        Self {
            cause: Cause::Refused(error),
        }
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        tracing::debug!(reason = self.reason(), "bearer authentication refused");
        let (status, challenge, code, message) = match (self.kind(), self.error()) {
            // RFC 6750 §3.1: a request without credentials gets a bare challenge, no error code.
            (ErrorKind::Invalid, None) => (
                StatusCode::UNAUTHORIZED,
                "Bearer",
                "invalid_token",
                INVALID_MESSAGE,
            ),
            (ErrorKind::Invalid, Some(_)) => (
                StatusCode::UNAUTHORIZED,
                "Bearer error=\"invalid_token\"",
                "invalid_token",
                INVALID_MESSAGE,
            ),
            (ErrorKind::Forbidden, _) => (
                StatusCode::FORBIDDEN,
                "Bearer error=\"insufficient_scope\"",
                "insufficient_scope",
                "The token does not grant access to this resource.",
            ),
            (ErrorKind::Unavailable, _) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "",
                "auth_unavailable",
                "Token verification is temporarily unavailable.",
            ),
        };
        let body = Json(serde_json::json!({ "code": code, "message": message }));
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        if challenge.is_empty() {
            headers.insert(RETRY_AFTER, HeaderValue::from_static("10"));
        } else {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}

/// One message for every 401, so clients cannot probe which check a forged token failed.
const INVALID_MESSAGE: &str = "The access token is missing or invalid.";

impl<S> FromRequestParts<S> for CognitoUser
where
    Verifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers)?;
        let verifier = Verifier::from_ref(state);
        let claims = verifier.verify(token).await?;
        Ok(Self(claims))
    }
}

/// The token of a single `Authorization: Bearer <token>` header (scheme case-insensitive): the
/// one bearer parser, used by [`CognitoUser`] and by services that also need the raw token (to
/// call Cognito with it, say). Several `Authorization` headers are refused rather than guessed
/// between.
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, AuthRejection> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let value = values.next().ok_or(AuthRejection {
        cause: Cause::Missing,
    })?;
    let malformed = || AuthRejection {
        cause: Cause::Malformed,
    };
    if values.next().is_some() {
        return Err(malformed());
    }
    let value = value.to_str().map_err(|_| malformed())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(malformed)?;
    let token = token.trim_start_matches(' ');
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(malformed());
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_case_insensitively_and_only_from_one_header() {
        let token = |headers: &HeaderMap| bearer_token(headers).ok().map(str::to_owned);
        let mut headers = HeaderMap::new();
        assert_eq!(token(&headers), None);
        assert!(!bearer_token(&headers).unwrap_err().credentials_presented());
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("bearer abc.def.ghi"),
        );
        assert_eq!(token(&headers).as_deref(), Some("abc.def.ghi"));
        headers.append(AUTHORIZATION, HeaderValue::from_static("Bearer x.y.z"));
        assert_eq!(token(&headers), None);
        assert!(bearer_token(&headers).unwrap_err().credentials_presented());
        let mut basic = HeaderMap::new();
        basic.insert(
            AUTHORIZATION,
            HeaderValue::from_static("Basic dXNlcjpwYXNz"),
        );
        assert_eq!(token(&basic), None);
        assert_eq!(
            bearer_token(&basic).unwrap_err().reason(),
            "malformed_authorization"
        );
    }

    #[test]
    fn a_refused_token_answers_401_without_naming_the_check() {
        let response = AuthRejection::from(VerifyError::Expired).into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()[WWW_AUTHENTICATE],
            "Bearer error=\"invalid_token\""
        );
        let forbidden = AuthRejection::from(VerifyError::InsufficientScope).into_response();
        assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
        let unavailable = AuthRejection::from(VerifyError::KeysUnavailable).into_response();
        assert_eq!(unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
