//! The Cognito gateway: every call tenant-api makes to Cognito, through the official AWS SDK.
//!
//! The same code talks to AWS, to the embedded identity provider and to emulators; only the
//! endpoint and credentials differ. Errors come back as [`CognitoError`], never Cognito's text.

mod admin;
mod auth;
mod error;
mod secret_hash;

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_sdk_cognitoidentityprovider::config::{Credentials, Region};
use aws_sdk_cognitoidentityprovider::Client;
use secrecy::{ExposeSecret, SecretString};

pub use admin::{CreatedUser, UserSummary};
pub use auth::{LoginOutcome, Tokens, UserProfile};
pub use error::CognitoError;
pub use secret_hash::secret_hash;

/// Where and how to reach Cognito.
#[derive(Clone, Debug)]
pub struct CognitoTarget {
    /// AWS region of the pool.
    pub region: String,
    /// API endpoint override; `None` uses AWS's.
    pub endpoint: Option<String>,
    /// Static credentials (embedded IdP); `None` uses the default credential chain.
    pub static_credentials: bool,
}

/// Talks to one user pool and app client.
#[derive(Clone, Debug)]
pub struct Cognito {
    client: Client,
    pool_id: String,
    client_id: String,
    client_secret: Option<SecretString>,
}

impl Cognito {
    /// Builds an AWS SDK client for `target` (short timeouts: a hung Cognito becomes a 503).
    pub async fn sdk_client(target: &CognitoTarget) -> Client {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(target.region.clone()))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .operation_attempt_timeout(Duration::from_secs(5))
                    .operation_timeout(Duration::from_secs(12))
                    .build(),
            );
        if let Some(endpoint) = &target.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        if target.static_credentials {
            // The embedded identity provider accepts SigV4 without verifying it.
            loader = loader.credentials_provider(Credentials::new(
                "embedded",
                "embedded",
                None,
                None,
                "tenant-api",
            ));
        }
        Client::new(&loader.load().await)
    }

    /// A gateway for `pool_id` / `client_id` over an SDK client.
    pub fn new(
        client: Client,
        pool_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<SecretString>,
    ) -> Self {
        Self {
            client,
            pool_id: pool_id.into(),
            client_id: client_id.into(),
            client_secret,
        }
    }

    /// The user pool id.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Whether the app client has a secret (refresh then needs the username).
    pub fn has_secret(&self) -> bool {
        self.client_secret.is_some()
    }

    /// SECRET_HASH for `username`, when the client has a secret.
    fn secret_hash_for(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|secret| secret_hash(secret.expose_secret(), username, &self.client_id))
    }
}
