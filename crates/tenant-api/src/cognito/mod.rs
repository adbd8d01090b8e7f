//! The Cognito gateway: every call tenant-api makes to Cognito, through the official AWS SDK.
//!
//! The same code talks to AWS, to the embedded identity provider and to emulators; only the
//! endpoint and credentials differ. Errors come back as [`CognitoError`], never Cognito's text.

mod admin;
mod admin_user;
mod auth;
mod error;
mod members;
mod refresh;
mod secret_hash;
mod sign_out;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_sdk_cognitoidentityprovider::config::{Credentials, Region};
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::Client;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{Semaphore, SemaphorePermit};

pub use admin::{CreatedUser, UserSummary};
pub use admin_user::AdminUser;
pub use auth::{LoginOutcome, Tokens, UserProfile};
use error::classify;
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

/// The scope that lets an access token call GetUser and GlobalSignOut on itself (tokens from
/// the server sign-in carry it; Hosted UI tokens do not).
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// Cognito calls in flight at once when not configured (`COGNITO_MAX_IN_FLIGHT`).
pub const DEFAULT_MAX_IN_FLIGHT: usize = 64;

/// How long a call waits for its turn before the request is answered 503.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(10);

/// Talks to one user pool and app client.
#[derive(Clone, Debug)]
pub struct Cognito {
    client: Client,
    pool_id: String,
    client_id: String,
    client_secret: Option<SecretString>,
    /// A bulkhead: at most this many calls in flight, the rest wait in order. Under a burst of
    /// sign-ins, calls queue here (cheaply) instead of piling onto Cognito, where each would
    /// hold an SDK request open until its attempt timeout turned it into a 503. It also keeps
    /// the instance under Cognito's per-account request quotas.
    in_flight: Arc<Semaphore>,
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
            in_flight: Arc::new(Semaphore::new(DEFAULT_MAX_IN_FLIGHT)),
        }
    }

    /// The same gateway, allowing `max` calls in flight at once (at least one).
    pub fn with_max_in_flight(mut self, max: usize) -> Self {
        self.in_flight = Arc::new(Semaphore::new(max.max(1)));
        self
    }

    /// Sends one request to Cognito through the gate every call shares: waits for a turn (at
    /// most `COGNITO_MAX_IN_FLIGHT` calls in flight), then maps the SDK's error to a
    /// [`CognitoError`]. The SDK's `send()` future does nothing until polled, so the request
    /// leaves only once the turn is had.
    async fn call<T, E, R>(
        &self,
        request: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> Result<T, CognitoError>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let _turn = self.turn().await?;
        request.await.map_err(classify)
    }

    /// Waits for a turn to call Cognito; [`CognitoError::Unavailable`] after [`IN_FLIGHT_WAIT`].
    async fn turn(&self) -> Result<SemaphorePermit<'_>, CognitoError> {
        match tokio::time::timeout(IN_FLIGHT_WAIT, self.in_flight.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => {
                tracing::warn!("Cognito calls saturated: request waited too long for a turn");
                Err(CognitoError::Unavailable)
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A gateway whose SDK client points where nothing answers (no call is made here).
    fn gateway() -> Cognito {
        let config = aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:9")
            .build();
        Cognito::new(Client::from_conf(config), "us-east-1_x", "client", None)
    }

    #[tokio::test(start_paused = true)]
    async fn calls_beyond_the_limit_wait_their_turn_then_give_up_with_503() {
        let cognito = gateway().with_max_in_flight(1);
        let first = cognito.turn().await.unwrap();

        // The second waits while the first is in flight, and gets the turn once it ends.
        let waiting = tokio::spawn({
            let cognito = cognito.clone();
            async move { cognito.turn().await.map(drop) }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(!waiting.is_finished());
        drop(first);
        assert!(waiting.await.unwrap().is_ok());

        // Held for longer than the wait bound: the next caller is refused as Unavailable.
        let _held = cognito.turn().await.unwrap();
        let refused = cognito.turn().await;
        assert!(matches!(refused, Err(CognitoError::Unavailable)));
    }

    /// Refresh (both flows) and sign-out (both kinds) wait for a turn like every other call: while
    /// the only turn is held, none of them reaches Cognito; once it is free, they do.
    #[tokio::test]
    async fn refresh_and_sign_out_wait_for_a_turn_too() {
        let cognito_port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "test"))
            .endpoint_url(format!("http://{}", cognito_port.local_addr().unwrap()))
            .build();
        let cognito = Cognito::new(Client::from_conf(config), "us-east-1_x", "client", None)
            .with_max_in_flight(1);
        let held = cognito.turn().await.unwrap();

        let calls: Vec<tokio::task::JoinHandle<()>> = vec![
            tokio::spawn({
                let cognito = cognito.clone();
                async move {
                    let _ = cognito.refresh_any("refresh-token", None).await;
                }
            }),
            tokio::spawn({
                let cognito = cognito.clone();
                async move {
                    let _ = cognito.admin_sign_out("someone").await;
                }
            }),
            tokio::spawn({
                let cognito = cognito.clone();
                async move {
                    let _ = cognito.global_sign_out("access-token").await;
                }
            }),
            tokio::spawn({
                let cognito = cognito.clone();
                async move {
                    let _ = cognito.lookup("someone@example.com").await;
                }
            }),
        ];
        let reached = tokio::time::timeout(Duration::from_millis(500), cognito_port.accept()).await;
        assert!(reached.is_err(), "a call reached Cognito without a turn");

        drop(held);
        let reached = tokio::time::timeout(Duration::from_secs(10), cognito_port.accept()).await;
        assert!(reached.is_ok(), "once the turn is free the calls go out");
        for call in calls {
            call.abort();
        }
    }
}
