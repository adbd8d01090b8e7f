//! The two error types: [`Error`] for the Rust API (start-up, administration) and
//! [`CognitoError`] for what goes on the wire in Cognito's JSON error shape.

use crate::store::StoreError;

/// A failure of the Rust API: opening state, binding the socket, administering pools.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory that was asked for.
        path: std::path::PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The SQLite state could not be read or written.
    #[error("state database: {0}")]
    Store(#[from] StoreError),
    /// A signing key could not be generated or parsed.
    #[error("signing key: {0}")]
    SigningKey(String),
    /// The listening socket could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: std::net::SocketAddr,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// [`crate::ApiAccess::AccessKey`] was given an empty key, which a request signed with an
    /// empty access key id (`Credential=/…`) would match.
    #[error(
        "the JSON API access key is empty (tenant-api idp --api-access-key / \
         LOCAL_COGNITO_API_ACCESS_KEY; Options::api_access): give a non-empty key, or unset it \
         to answer loopback callers only"
    )]
    EmptyAccessKey,
    /// The named user pool does not exist.
    #[error("user pool {0} does not exist")]
    PoolNotFound(String),
}

/// An error in Cognito's wire shape: `code` is the exception name (`__type`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CognitoError {
    /// Cognito's exception name, e.g. `NotAuthorizedException`.
    pub code: &'static str,
    /// The human-readable message, worded as Cognito words it where known.
    pub message: String,
}

impl CognitoError {
    /// An error with the given exception name and message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }

    pub(crate) fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }

    pub(crate) fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }

    pub(crate) fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }

    pub(crate) fn invalid_password(message: impl Into<String>) -> Self {
        Self::new("InvalidPasswordException", message)
    }

    pub(crate) fn internal() -> Self {
        Self::new("InternalErrorException", "Internal error in local-cognito.")
    }

    /// True for errors that are the server's fault (answered with HTTP 500, as Cognito does).
    pub fn is_internal(&self) -> bool {
        self.code == "InternalErrorException"
    }
}

impl From<StoreError> for CognitoError {
    fn from(error: StoreError) -> Self {
        // The details stay in the log; the client only learns that it was our fault.
        tracing::error!(error = %error, "local-cognito state error");
        Self::internal()
    }
}
