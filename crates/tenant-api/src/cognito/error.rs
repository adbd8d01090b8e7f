//! Mapping AWS SDK failures into [`CognitoError`], which never carries Cognito's own text.

use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};

/// What went wrong talking to Cognito, in terms the API can answer with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CognitoError {
    /// Wrong password, unknown user or disabled user: deliberately indistinguishable.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The NEW_PASSWORD_REQUIRED session is wrong, used or expired.
    #[error("invalid or expired session")]
    InvalidSession,
    /// The refresh token is invalid, expired or revoked.
    #[error("invalid refresh token")]
    InvalidRefreshToken,
    /// The access token was refused by Cognito (revoked, expired or invalid).
    #[error("access token refused")]
    TokenRefused,
    /// The new password breaks the pool's policy; the text is ours and names the rule.
    #[error("{0}")]
    PasswordPolicy(String),
    /// Sign-in answered a challenge this service does not support.
    #[error("unsupported challenge {0}")]
    UnsupportedChallenge(String),
    /// The user already exists (admin commands).
    #[error("user already exists")]
    UserExists,
    /// No such user (admin commands only; sign-in never reports it).
    #[error("user not found")]
    UserNotFound,
    /// A parameter was refused (admin commands); the text is ours.
    #[error("{0}")]
    InvalidParameter(String),
    /// Cognito is throttling us.
    #[error("throttled by Cognito")]
    Throttled,
    /// Cognito could not be reached or timed out.
    #[error("Cognito unavailable")]
    Unavailable,
    /// Anything else; `code` is Cognito's error type, for logs only.
    #[error("unexpected Cognito error {code}")]
    Unexpected {
        /// Cognito's error type name, or a description of the transport failure.
        code: String,
    },
}

/// Classifies an SDK error by its transport outcome and Cognito error type.
pub(super) fn classify<E, R>(err: SdkError<E, R>) -> CognitoError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match err {
        SdkError::ServiceError(service) => {
            let err = service.into_err();
            let code = err.code().unwrap_or("Unknown").to_owned();
            let message = err.message().unwrap_or_default().to_owned();
            tracing::debug!(%code, %message, "Cognito refused the call");
            by_code(&code, &message)
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => {
            tracing::warn!(error = %aws_smithy_types::error::display::DisplayErrorContext(&err), "Cognito unreachable");
            CognitoError::Unavailable
        }
        other => {
            tracing::warn!(error = %aws_smithy_types::error::display::DisplayErrorContext(&other), "unexpected Cognito response");
            CognitoError::Unavailable
        }
    }
}

fn by_code(code: &str, message: &str) -> CognitoError {
    match code {
        "TooManyRequestsException"
        | "ThrottlingException"
        | "LimitExceededException"
        | "TooManyFailedAttemptsException" => CognitoError::Throttled,
        "InvalidPasswordException" => CognitoError::PasswordPolicy(password_rule(message)),
        "UsernameExistsException" | "AliasExistsException" => CognitoError::UserExists,
        "UserNotFoundException" => CognitoError::UserNotFound,
        "ExpiredCodeException" | "CodeMismatchException" => CognitoError::InvalidSession,
        "NotAuthorizedException"
        | "UserNotConfirmedException"
        | "PasswordResetRequiredException" => not_authorized(message),
        "InvalidParameterException" => {
            CognitoError::InvalidParameter("Cognito rejected a parameter of the request".to_owned())
        }
        "InternalErrorException" | "ServiceUnavailableException" => CognitoError::Unavailable,
        other => CognitoError::Unexpected {
            code: other.to_owned(),
        },
    }
}

/// NotAuthorizedException covers several situations; only the kind leaves this module.
fn not_authorized(message: &str) -> CognitoError {
    let lower = message.to_ascii_lowercase();
    if lower.contains("session") {
        CognitoError::InvalidSession
    } else if lower.contains("refresh token") {
        CognitoError::InvalidRefreshToken
    } else if lower.contains("access token") {
        CognitoError::TokenRefused
    } else {
        CognitoError::InvalidCredentials
    }
}

/// Our own wording for the password rule Cognito says was broken.
fn password_rule(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    let rule = if lower.contains("long enough") || lower.contains("length") {
        "is too short"
    } else if lower.contains("uppercase") {
        "must contain an uppercase letter"
    } else if lower.contains("lowercase") {
        "must contain a lowercase letter"
    } else if lower.contains("numeric") || lower.contains("number") {
        "must contain a number"
    } else if lower.contains("symbol") {
        "must contain a symbol"
    } else if lower.contains("previous") || lower.contains("history") {
        "was used before"
    } else {
        "does not meet the password policy"
    };
    format!("Password {rule}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules_are_reworded_not_echoed() {
        let cases = [
            (
                "Password did not conform with policy: Password not long enough",
                "Password is too short",
            ),
            (
                "Password does not conform to policy: Password must have uppercase characters",
                "Password must contain an uppercase letter",
            ),
            (
                "Password must have symbol characters",
                "Password must contain a symbol",
            ),
            (
                "Password must have numeric characters",
                "Password must contain a number",
            ),
            ("weird", "Password does not meet the password policy"),
        ];
        for (cognito, ours) in cases {
            assert_eq!(
                by_code("InvalidPasswordException", cognito),
                CognitoError::PasswordPolicy(ours.into())
            );
        }
    }

    #[test]
    fn not_authorized_variants_are_told_apart_by_kind_only() {
        assert_eq!(
            not_authorized("Incorrect username or password."),
            CognitoError::InvalidCredentials
        );
        assert_eq!(
            not_authorized("User is disabled."),
            CognitoError::InvalidCredentials
        );
        assert_eq!(
            not_authorized("Invalid session for the user."),
            CognitoError::InvalidSession
        );
        assert_eq!(
            not_authorized("Refresh Token has been revoked"),
            CognitoError::InvalidRefreshToken
        );
        assert_eq!(
            not_authorized("Access Token has been revoked"),
            CognitoError::TokenRefused
        );
        assert_eq!(
            by_code("UserNotFoundException", "User does not exist."),
            CognitoError::UserNotFound
        );
    }
}
