//! `ApiError`: the one error type of the HTTP layer, and its single JSON shape.
//!
//! Every failure leaves as `{"code": "...", "message": "..."}` with a stable machine-readable
//! code. Internal causes (database, Cognito, panics) are logged here and never sent.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cognito_verify::{AuthRejection, ErrorKind};
use serde::Serialize;
use utoipa::ToSchema;

use crate::cognito::CognitoError;
use crate::domain::page::PageError;
use crate::store::StoreError;
use crate::tenancy::TenantError;

/// The body of every error response.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `tenant_mismatch`.
    #[schema(example = "invalid_credentials")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "Invalid email or password")]
    pub message: String,
}

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (body, query, path or a field value).
    #[error("{0}")]
    BadRequest(String),
    /// Wrong password, unknown or disabled user: one answer for all three.
    #[error("Invalid email or password")]
    InvalidCredentials,
    /// The challenge session is wrong, used or expired.
    #[error("Invalid or expired session")]
    InvalidSession,
    /// The refresh token is invalid, expired or revoked.
    #[error("Invalid refresh token")]
    InvalidRefreshToken,
    /// The new password breaks the policy; the message names the rule.
    #[error("{0}")]
    PasswordPolicy(String),
    /// Sign-in needs a challenge this service does not support.
    #[error("Unsupported challenge: {0}")]
    UnsupportedChallenge(String),
    /// No bearer token was sent.
    #[error("Authentication required")]
    MissingToken,
    /// The bearer token failed verification (the reason is logged, not sent).
    #[error("Invalid or expired token")]
    InvalidToken,
    /// The BFF sign-in could not be completed (the reason is logged, not sent).
    #[error("The sign-in could not be completed; start again")]
    LoginFailed,
    /// No browser session.
    #[error("Not signed in")]
    SessionRequired,
    /// The browser session ended (idle, too old, signed out, or refused by Cognito).
    #[error("The session has ended; sign in again")]
    SessionExpired,
    /// A cookie-authenticated request without the `X-CSRF: 1` header.
    #[error("Requests authenticated by the session cookie must carry the header X-CSRF: 1")]
    CsrfHeaderRequired,
    /// The token is valid but lacks a required group or scope.
    #[error("Insufficient scope")]
    InsufficientScope,
    /// Tenant problems: missing (400), malformed (400), mismatched or unproven (403).
    #[error(transparent)]
    Tenant(#[from] TenantError),
    /// The `Host` header is not in `ALLOWED_HOSTS`.
    #[error("Host not allowed")]
    InvalidHost,
    /// No such resource in this tenant.
    #[error("Not found")]
    NotFound,
    /// The path exists but not with this method.
    #[error("Method not allowed")]
    MethodNotAllowed,
    /// The resource already exists.
    #[error("Already exists")]
    Conflict,
    /// The caller is not an active admin of the request's tenant.
    #[error("Only an active admin of this tenant may do this")]
    NotTenantAdmin,
    /// The change would leave the tenant without an active admin.
    #[error("The last active admin cannot be demoted, suspended or removed")]
    LastAdmin,
    /// The body is larger than the limit.
    #[error("Request body too large")]
    PayloadTooLarge,
    /// The body is not `application/json`.
    #[error("Expected Content-Type: application/json")]
    UnsupportedMediaType,
    /// Too many attempts; retry after this many seconds.
    #[error("Too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// The database has no room for the change (its disk is full); reads still work.
    #[error("Not enough storage to save the change; try again later")]
    InsufficientStorage,
    /// A dependency (Cognito, JWKS, database) is unavailable.
    #[error("Service temporarily unavailable")]
    Unavailable,
    /// Cognito answered something unexpected.
    #[error("Authentication service error")]
    Upstream,
    /// The request took longer than the configured timeout.
    #[error("Request timed out")]
    Timeout,
    /// A bug or an unexpected failure; logged in full, reported generically.
    #[error("Internal server error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_)
            | Self::InvalidCredentials
            | Self::InvalidSession
            | Self::InvalidRefreshToken
            | Self::PasswordPolicy(_)
            | Self::UnsupportedChallenge(_)
            | Self::InvalidHost
            | Self::LoginFailed => StatusCode::BAD_REQUEST,
            Self::Tenant(TenantError::NotProvided | TenantError::Invalid(_)) => {
                StatusCode::BAD_REQUEST
            }
            Self::Tenant(
                TenantError::Mismatch | TenantError::NotProven | TenantError::Suspended,
            )
            | Self::NotTenantAdmin => StatusCode::FORBIDDEN,
            Self::MissingToken
            | Self::InvalidToken
            | Self::SessionRequired
            | Self::SessionExpired => StatusCode::UNAUTHORIZED,
            Self::CsrfHeaderRequired => StatusCode::FORBIDDEN,
            Self::InsufficientScope => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict | Self::LastAdmin => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::Timeout | Self::Tenant(TenantError::Unavailable) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
            Self::Upstream => StatusCode::BAD_GATEWAY,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients can switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "invalid_request",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidSession => "invalid_session",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::PasswordPolicy(_) => "invalid_password",
            Self::UnsupportedChallenge(_) => "unsupported_challenge",
            Self::MissingToken => "missing_token",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::LoginFailed => "login_failed",
            Self::SessionRequired => "session_required",
            Self::SessionExpired => "session_expired",
            Self::CsrfHeaderRequired => "csrf_header_required",
            Self::Tenant(TenantError::NotProvided) => "tenant_required",
            Self::Tenant(TenantError::Invalid(_)) => "invalid_tenant",
            Self::Tenant(TenantError::Mismatch) => "tenant_mismatch",
            Self::Tenant(TenantError::NotProven) => "tenant_not_proven",
            Self::Tenant(TenantError::Suspended) => "tenant_suspended",
            Self::NotTenantAdmin => "not_tenant_admin",
            Self::LastAdmin => "last_admin",
            Self::InvalidHost => "invalid_host",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable | Self::Tenant(TenantError::Unavailable) => "service_unavailable",
            Self::InsufficientStorage => "insufficient_storage",
            Self::Upstream => "upstream_error",
            Self::Timeout => "timeout",
            Self::Internal(_) => "internal_error",
        }
    }
}

/// The cause of a 500, carried in the response's extensions to the edge, which logs it with the
/// request id (see `http/edge.rs`); never sent.
#[derive(Clone, Debug)]
pub(crate) struct InternalCause(pub(crate) std::sync::Arc<anyhow::Error>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
        };
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        match &self {
            // RFC 6750 §3: no error attribute when the request carried no credentials.
            Self::MissingToken => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Self::InvalidToken => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Bearer error="invalid_token""#),
                );
            }
            Self::InsufficientScope => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Bearer error="insufficient_scope""#),
                );
            }
            Self::TooManyRequests { retry_after } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            Self::Unavailable | Self::Tenant(TenantError::Unavailable) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            _ => {}
        }
        if let Self::Internal(cause) = self {
            response
                .extensions_mut()
                .insert(InternalCause(std::sync::Arc::new(cause)));
        }
        response
    }
}

impl From<crate::bff::BffError> for ApiError {
    fn from(err: crate::bff::BffError) -> Self {
        use crate::bff::BffError;
        match err {
            BffError::LoginFailed(reason) => {
                tracing::info!(reason, "BFF sign-in not completed");
                Self::LoginFailed
            }
            BffError::BadReturnPath => Self::BadRequest(err.to_string()),
            BffError::NoSession => Self::SessionRequired,
            BffError::SessionEnded => Self::SessionExpired,
            BffError::Unavailable => Self::Unavailable,
            BffError::Store(store) => store.into(),
        }
    }
}

impl From<CognitoError> for ApiError {
    fn from(err: CognitoError) -> Self {
        match err {
            CognitoError::InvalidCredentials => Self::InvalidCredentials,
            CognitoError::InvalidSession => Self::InvalidSession,
            CognitoError::InvalidRefreshToken => Self::InvalidRefreshToken,
            CognitoError::TokenRefused => Self::InvalidToken,
            CognitoError::PasswordPolicy(rule) => Self::PasswordPolicy(rule),
            CognitoError::UnsupportedChallenge(name) => Self::UnsupportedChallenge(name),
            CognitoError::UserExists => Self::Conflict,
            CognitoError::UserNotFound => Self::NotFound,
            CognitoError::InvalidParameter(text) => Self::BadRequest(text),
            CognitoError::Throttled => Self::TooManyRequests { retry_after: 1 },
            CognitoError::Unavailable => Self::Unavailable,
            CognitoError::Unexpected { code } => {
                tracing::error!(%code, "unexpected Cognito error");
                Self::Upstream
            }
        }
    }
}

/// The one mapping of a refused bearer token (from `cognito_verify`'s parser or verifier) to the
/// HTTP answer; the reason is logged only at debug level, never sent.
impl From<AuthRejection> for ApiError {
    fn from(rejection: AuthRejection) -> Self {
        tracing::debug!(reason = rejection.reason(), "token rejected");
        if !rejection.credentials_presented() {
            return Self::MissingToken;
        }
        match rejection.kind() {
            ErrorKind::Invalid => Self::InvalidToken,
            ErrorKind::Forbidden => Self::InsufficientScope,
            ErrorKind::Unavailable => Self::Unavailable,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound,
            // The store has classified its driver's failure; both 503s invite a retry.
            StoreError::Unavailable | StoreError::Busy => Self::Unavailable,
            StoreError::Conflict => Self::Conflict,
            StoreError::LastAdmin => Self::LastAdmin,
            // Logged by the store when it starts and ends, not per request.
            StoreError::DiskFull => Self::InsufficientStorage,
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<PageError> for ApiError {
    fn from(err: PageError) -> Self {
        Self::BadRequest(err.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            JsonRejection::BytesRejection(_)
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Self::PayloadTooLarge
            }
            // serde's description of what is wrong with the caller's own JSON.
            other => Self::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_and_unavailable_stores_are_503_conflicts_409_full_disks_507_and_other_failures_500() {
        for cause in [StoreError::Busy, StoreError::Unavailable] {
            let response = ApiError::from(cause).into_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(response.headers().contains_key(header::RETRY_AFTER));
        }
        assert_eq!(
            ApiError::from(StoreError::Conflict).status(),
            StatusCode::CONFLICT
        );
        let corrupt = ApiError::from(StoreError::Database("corrupt".into()));
        assert_eq!(corrupt.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            ApiError::from(StoreError::NotFound).status(),
            StatusCode::NOT_FOUND
        );
        let full = ApiError::from(StoreError::DiskFull);
        assert_eq!(full.status(), StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(full.code(), "insufficient_storage");
    }
}
