//! An embedded, Cognito-compatible identity provider.
//!
//! `local-cognito` speaks Amazon Cognito user pools' JSON protocol (`POST /` with
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`), so any AWS SDK pointed at it
//! with `endpoint_url` signs users in exactly as against AWS: temporary password →
//! NEW_PASSWORD_REQUIRED → RS256 tokens → refresh → global sign-out. SigV4 `Authorization`
//! headers are accepted and **not verified**: any credentials work, so the JSON API answers
//! loopback peers only unless [`Options::api_access`] opens it, and only under a `Host` that
//! names the listener; the Hosted UI answers anyone. Messages Cognito would deliver (the
//! invitation with a temporary password) go to an outbox instead, readable on loopback at
//! `GET /outbox` or through [`LocalCognito::outbox`].
//!
//! Layout: `targets/` has one module per operation, `auth/` the sign-in logic they share,
//! `domain/` pools, clients, users and their rules, `store/` the SQLite state, `crypto/` keys,
//! JWTs and hashes, `http/` the axum surface; `service.rs` the services every target is given,
//! `running.rs` a provider serving on a socket.
//!
//! ```no_run
//! # async fn run() -> Result<(), local_cognito::Error> {
//! use local_cognito::{LocalCognito, Options};
//! let idp = LocalCognito::open(Options::persistent("./.idp")).await?;
//! let running = idp.start("127.0.0.1:9229".parse().expect("address")).await?;
//! println!("Cognito endpoint: {}", running.base_url());
//! # Ok(()) }
//! ```

mod auth;
mod clock;
mod crypto;
mod domain;
mod error;
mod exposure;
mod http;
mod oauth2;
mod options;
mod running;
mod service;
mod store;
mod targets;
mod throttle;

use std::sync::Arc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{CognitoError, Error};
pub use exposure::ApiAccess;
pub use options::Options;
pub use running::RunningIdp;
pub use store::{OutboxMessage, StoreError};

use clock::epoch_seconds;
use crypto::keys::{generate_pkcs8, KeyPurpose, SigningKey, SigningKeys};
use exposure::{ApiGuard, ApiHosts};
use service::{Core, Services};
use store::Store;

/// A Cognito-compatible identity provider over its state; cheap to clone.
#[derive(Debug, Clone)]
pub struct LocalCognito {
    core: Arc<Core>,
    public_url: Option<String>,
    api_access: ApiAccess,
    api_hosts: Vec<String>,
}

impl LocalCognito {
    /// Opens (creating and migrating) the SQLite state and loads or creates the signing keys.
    pub async fn open(options: Options) -> Result<Self, Error> {
        if options.api_access.has_empty_key() {
            return Err(Error::EmptyAccessKey);
        }
        let store = match &options.data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
                    path: dir.clone(),
                    source,
                })?;
                Store::open_file(dir).await?
            }
            None => Store::open_memory().await?,
        };
        let now = epoch_seconds(options.clock.as_ref());
        let id = load_key(&store, KeyPurpose::Id, now).await?;
        let access = load_key(&store, KeyPurpose::Access, now).await?;
        Ok(Self {
            core: Arc::new(Core {
                store,
                clock: options.clock,
                keys: SigningKeys { id, access },
                region: options.region,
                login_throttle: throttle::LoginThrottle::default(),
            }),
            public_url: options.public_url,
            api_access: options.api_access,
            api_hosts: options.api_hosts,
        })
    }

    /// The whole HTTP surface; `public_url` (no trailing slash) is used in `iss` and the OpenID
    /// configuration unless [`Options::public_url`] was set.
    /// The JSON API answers only under a `Host` naming this URL, [`Options::public_url`], a
    /// loopback name, an IP address or one of [`Options::api_hosts`].
    pub fn router(&self, public_url: String) -> axum::Router {
        let hosts = ApiHosts::new(&public_url, self.public_url.as_deref(), &self.api_hosts);
        let base = self.public_url.clone().unwrap_or(public_url);
        http::router(
            Services {
                core: Arc::clone(&self.core),
                base_url: Arc::from(base.trim_end_matches('/')),
            },
            ApiGuard::new(self.api_access.clone(), hosts),
        )
    }

    /// Binds `addr` (port 0 allowed) and serves in a spawned task.
    pub async fn start(self, addr: std::net::SocketAddr) -> Result<RunningIdp, Error> {
        running::start(self, addr).await
    }

    /// The messages the provider would have sent (invitations with their temporary password),
    /// newest first, at most `limit`; only those to `to` (an email address or phone number,
    /// case-insensitive) when given. The same list `GET /outbox.json` shows on loopback.
    pub async fn outbox(&self, to: Option<&str>, limit: u32) -> Result<Vec<OutboxMessage>, Error> {
        Ok(self.core.store.messages(to, i64::from(limit)).await?)
    }

    /// Pool option emulating a pre-token-generation V2 trigger: copy these user attributes
    /// (e.g. "custom:tenant_id") into access tokens of this pool. Persisted.
    pub async fn set_access_token_attributes(
        &self,
        pool_id: &str,
        attributes: &[String],
    ) -> Result<(), Error> {
        let store = &self.core.store;
        let mut pool = store
            .pool(pool_id)
            .await?
            .ok_or_else(|| Error::PoolNotFound(pool_id.to_owned()))?;
        pool.settings.access_token_attributes = attributes.to_vec();
        let now = epoch_seconds(self.core.clock.as_ref());
        if !store
            .update_pool_settings(pool_id, &pool.settings, now)
            .await?
        {
            return Err(Error::PoolNotFound(pool_id.to_owned()));
        }
        Ok(())
    }
}

async fn load_key(store: &Store, purpose: KeyPurpose, now: i64) -> Result<SigningKey, Error> {
    let der = store
        .signing_key(purpose.as_str(), now, generate_pkcs8)
        .await?
        .map_err(|error| Error::SigningKey(error.to_string()))?;
    SigningKey::from_pkcs8(&der).map_err(|error| Error::SigningKey(error.to_string()))
}
