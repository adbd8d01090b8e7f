//! Building and running the application: storage, Cognito (embedded or real), the verifier, the
//! router and the listening socket.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use cognito_verify::{PoolConfig, TokenUse, Verifier};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::bff::{Bff, BffParts, OAuthClient, SessionKey};
use crate::clock::{Clock, SystemClock};
use crate::cognito::{Cognito, CognitoTarget};
use crate::config::{CognitoBackend, Config, WebConfig};
use crate::embedded::EmbeddedIdp;
use crate::embedded_web::{complete_bff_config, complete_web_config};
use crate::metrics::Metrics;
use crate::server::{fd_limit, ConnectionLimits};
use crate::sign_out::SignOutRegistry;
use crate::state::{AppState, Services};
use crate::store::{self, Stores};
use crate::tenancy::{user_attribute_source, Memberships, TenantProofs, TenantResolver};
use crate::throttle::LoginThrottle;

/// How often each instance reads sign-outs recorded by the others.
const SIGN_OUT_POLL: Duration = Duration::from_secs(1);
/// How often ended browser sessions are deleted.
const SESSION_PURGE: Duration = Duration::from_secs(600);

/// Cognito as the service sees it: the gateway, and where tokens come from.
pub struct CognitoSetup {
    /// Gateway for the configured (or embedded) pool and app client.
    pub gateway: Cognito,
    /// The token issuer.
    pub issuer: String,
    /// The JWKS location.
    pub jwks_url: String,
    /// The embedded identity provider, when no pool is configured.
    pub embedded: Option<EmbeddedIdp>,
}

impl CognitoSetup {
    /// Starts the embedded identity provider on `idp_addr`, or prepares a client for the pool.
    pub async fn connect(
        config: &Config,
        idp_addr_override: Option<SocketAddr>,
    ) -> anyhow::Result<Self> {
        let cognito = &config.cognito;
        let setup = match &cognito.backend {
            CognitoBackend::Embedded { idp_addr } => {
                std::fs::create_dir_all(&config.data_dir).with_context(|| {
                    format!("cannot create DATA_DIR {}", config.data_dir.display())
                })?;
                let addr = idp_addr_override.unwrap_or(*idp_addr);
                let idp = EmbeddedIdp::start(&config.data_dir, addr, &cognito.region).await?;
                let issuer = idp.issuer();
                Self {
                    gateway: idp.gateway(),
                    jwks_url: format!("{issuer}/.well-known/jwks.json"),
                    issuer,
                    embedded: Some(idp),
                }
            }
            CognitoBackend::UserPool {
                pool_id,
                client_id,
                endpoint,
            } => {
                let client = Cognito::sdk_client(&CognitoTarget {
                    region: cognito.region.clone(),
                    endpoint: endpoint.clone(),
                    static_credentials: false,
                })
                .await;
                let pool = PoolConfig::cognito(&cognito.region, pool_id);
                Self {
                    gateway: Cognito::new(
                        client,
                        pool_id,
                        client_id,
                        cognito.client_secret.clone(),
                    ),
                    jwks_url: format!("{}/.well-known/jwks.json", pool.issuer()),
                    issuer: pool.issuer().to_owned(),
                    embedded: None,
                }
            }
        };
        let gateway = setup.gateway.with_max_in_flight(cognito.max_in_flight);
        // An issuer override moves the default JWKS location with it (emulators serve both).
        let issuer = cognito.issuer.clone().unwrap_or(setup.issuer);
        let jwks_url = match (&cognito.jwks_url, &cognito.issuer) {
            (Some(url), _) => url.clone(),
            (None, Some(_)) => format!("{issuer}/.well-known/jwks.json"),
            (None, None) => setup.jwks_url,
        };
        Ok(Self {
            gateway,
            issuer,
            jwks_url,
            ..setup
        })
    }
}

/// A built application, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    cognito: CognitoSetup,
    background: Vec<JoinHandle<()>>,
    shutdown_grace: Duration,
    connections: ConnectionLimits,
    web: WebConfig,
}

impl Application {
    /// Connects everything `config` names and binds `config.bind_addr` (port 0 allowed); the
    /// service reads the system's time.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// [`build`](Self::build), with the service's own time read from `clock`: the store's row
    /// stamps, the sign-out registry and the expiry of cached tenant proofs, so a test can move
    /// time. (Tokens are still issued and verified by the identity provider's and verifier's
    /// clocks.)
    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let stores = store::open_with_pool(
            &config.database_url,
            true,
            config.limits.database_timeout,
            config.limits.database_pool_size,
            clock.clone(),
        )
        .await
        .context("cannot open the database (DATABASE_URL)")?;
        let listener = TcpListener::bind(config.bind_addr)
            .await
            .with_context(|| format!("cannot listen on {} (BIND_ADDR/PORT)", config.bind_addr))?;
        let cognito = CognitoSetup::connect(&config, None).await?;
        let mut config = config;
        if let Some(idp) = &cognito.embedded {
            let served = listener.local_addr().context("listening address")?;
            config.web = complete_web_config(idp, &config.data_dir, &config.web, served).await?;
            config.bff = complete_bff_config(idp, &config.data_dir, &config.bff, served).await?;
        }
        let (state, background) = build_state(&config, stores, &cognito, clock).await?;
        let limits = &config.limits;
        let connections = ConnectionLimits {
            header_read_timeout: limits.header_read_timeout,
            idle_timeout: limits.idle_timeout,
            max_connections: match limits.max_connections {
                Some(max) => max,
                None => fd_limit::default_max_connections(fd_limit::raise()),
            },
        };
        let router = crate::http::router(state.clone(), &config);
        Ok(Self {
            listener,
            router,
            state,
            cognito,
            background,
            shutdown_grace: config.limits.shutdown_grace,
            connections,
            web: config.web,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The shared state (tests reach the stores and gateway through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The browser client as served (filled in by the embedded identity provider's defaults).
    pub fn web(&self) -> &WebConfig {
        &self.web
    }

    /// Cognito as configured, including the embedded identity provider if any.
    pub fn cognito(&self) -> &CognitoSetup {
        &self.cognito
    }

    /// Serves until SIGINT/SIGTERM, then lets in-flight requests finish within the grace period.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish within the grace
    /// period (`SHUTDOWN_GRACE_SECS`); requests still running after it are dropped.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
        let server =
            crate::server::serve(self.listener, self.router, self.connections, async move {
                shutdown.await;
                tracing::info!("shutting down: no new connections, finishing in-flight requests");
                let _ = signalled_tx.send(());
            });
        let mut server = tokio::spawn(server);
        let grace = self.shutdown_grace;
        let result = tokio::select! {
            result = &mut server => result.context("server task failed"),
            () = async {
                if signalled_rx.await.is_ok() {
                    tokio::time::sleep(grace).await;
                } else {
                    std::future::pending::<()>().await;
                }
            } => {
                tracing::warn!(?grace, "grace period over; dropping unfinished requests");
                server.abort();
                Ok(())
            }
        };
        for task in self.background {
            task.abort();
        }
        if let Some(idp) = self.cognito.embedded {
            idp.running.shutdown().await;
        }
        result
    }
}

/// Assembles the shared state and starts its background tasks.
async fn build_state(
    config: &Config,
    stores: Stores,
    cognito: &CognitoSetup,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<(AppState, Vec<JoinHandle<()>>)> {
    let sign_outs = SignOutRegistry::load(stores.sign_outs.clone(), clock.clone())
        .await
        .context("cannot read sign-out records")?;
    // Plain-http key URLs are only accepted on loopback unless the operator named one explicitly
    // (a local identity provider in another container, say).
    let explicit_http = cognito.jwks_url.starts_with("http://")
        && (config.cognito.jwks_url.is_some() || config.cognito.issuer.is_some());
    if explicit_http {
        tracing::warn!(jwks = %cognito.jwks_url, "signing keys are fetched over plain http");
    }
    let verifier_for = |token_use: TokenUse| {
        let builder = Verifier::builder();
        let builder = if explicit_http {
            builder.allow_http_jwks()
        } else {
            builder
        };
        builder
            .pool(
                PoolConfig::cognito(&config.cognito.region, cognito.gateway.pool_id())
                    .with_issuer(cognito.issuer.clone())
                    .with_jwks_uri(cognito.jwks_url.clone()),
            )
            .client_ids(
                std::iter::once(cognito.gateway.client_id())
                    .chain(config.cognito.extra_client_ids.iter().map(String::as_str))
                    .chain(config.web.client_id.as_deref())
                    .chain(config.bff.client_id.as_deref()),
            )
            .token_use(token_use)
            .revocation(Arc::new(sign_outs.clone()))
            .build()
            .context("invalid token verification settings (COGNITO_ISSUER, COGNITO_JWKS_URL, COGNITO_APP_CLIENT_ID)")
    };
    let verifier = verifier_for(config.cognito.token_use)?;
    // Sign-out always takes the access token (GlobalSignOut needs it), even when the API is
    // protected by id tokens.
    let access_verifier = match config.cognito.token_use {
        TokenUse::Access => verifier.clone(),
        TokenUse::Id => verifier_for(TokenUse::Access)?,
    };
    if let Err(e) = verifier.hydrate().await {
        // Not fatal: readiness reports it, and the keys are fetched again on demand.
        tracing::warn!(error = %e, jwks = %cognito.jwks_url, "cannot load signing keys yet");
    }
    if config.tenancy.enabled && !config.tenancy.strict {
        tracing::warn!(
            "TENANT_STRICT=0: the tenant header/subdomain is trusted without proof; any user can \
             name any tenant"
        );
    }
    let tenants = TenantResolver::new(
        config.tenancy.clone(),
        TenantProofs::new(
            user_attribute_source(cognito.gateway.clone(), config.tenancy.claim.clone()),
            clock.clone(),
        ),
        Memberships::new(stores.memberships.clone()),
    );
    let bff = build_bff(config, &stores, &sign_outs, cognito, clock, explicit_http)?;
    let mut background = vec![
        verifier.spawn_refresh(),
        sign_outs.spawn_poller(SIGN_OUT_POLL),
    ];
    if let Some(bff) = &bff {
        background.push(bff.spawn_purger(SESSION_PURGE));
    }
    let metrics = Metrics::with_verifier(verifier.clone());
    let state = AppState::new(Services {
        verifier,
        access_verifier,
        tenants,
        cognito: cognito.gateway.clone(),
        stores,
        sign_outs,
        throttle: LoginThrottle::new(
            config.throttle.per_ip_per_minute,
            config.throttle.per_account_per_minute,
        ),
        trusted_proxies: config.throttle.trusted_proxies.clone().into(),
        allowed_hosts: Arc::new(config.allowed_hosts.clone()),
        metrics,
        openapi_json: crate::http::openapi::document_json(),
        bff,
    });
    Ok((state, background))
}

/// The Backend-for-Frontend, when its client is known (`BFF_CLIENT_ID`, or made by the embedded
/// identity provider) and the Hosted UI too (`COGNITO_DOMAIN`, or the embedded one).
fn build_bff(
    config: &Config,
    stores: &Stores,
    sign_outs: &SignOutRegistry,
    cognito: &CognitoSetup,
    clock: Arc<dyn Clock>,
    explicit_http: bool,
) -> anyhow::Result<Option<Bff>> {
    let bff = &config.bff;
    let (Some(client_id), Some(secret)) = (&bff.client_id, &bff.client_secret) else {
        return Ok(None);
    };
    let hosted_ui =
        config.web.hosted_ui.as_deref().context(
            "COGNITO_DOMAIN is required with BFF_CLIENT_ID (the Hosted UI to sign in at)",
        )?;
    anyhow::ensure!(
        cognito.embedded.is_some() || !bff.callback_urls.is_empty(),
        "BFF_CALLBACK_URLS is required with BFF_CLIENT_ID (e.g. https://api.example.com/auth/callback)"
    );
    let key = match &bff.session_key {
        Some(text) => SessionKey::parse(text.expose_secret())
            .map_err(|problem| anyhow::anyhow!("SESSION_KEY: {problem}"))?,
        None if cognito.embedded.is_some() => SessionKey::in_data_dir(&config.data_dir)?,
        None => anyhow::bail!(
            "SESSION_KEY is required with BFF_CLIENT_ID: 32 random bytes in base64 \
             (`openssl rand -base64 32`), the same on every instance"
        ),
    };
    // The id tokens of the BFF's own client only.
    let id_verifier = Verifier::builder()
        .pool(
            PoolConfig::cognito(&config.cognito.region, cognito.gateway.pool_id())
                .with_issuer(cognito.issuer.clone())
                .with_jwks_uri(cognito.jwks_url.clone()),
        )
        .client_ids([client_id.as_str()])
        .token_use(TokenUse::Id);
    let id_verifier = if explicit_http {
        id_verifier.allow_http_jwks()
    } else {
        id_verifier
    };
    let bff = Bff::new(BffParts {
        oauth: OAuthClient::new(hosted_ui, client_id, secret.clone()),
        callback_urls: bff.callback_urls.clone(),
        key,
        id_verifier: id_verifier
            .build()
            .context("invalid token verification settings for the BFF")?,
        sessions: stores.sessions.clone(),
        sign_outs: sign_outs.clone(),
        cognito: cognito.gateway.clone(),
        clock,
        tenant_claim: config.tenancy.claim.clone(),
        idle_timeout: bff.idle_timeout,
        max_lifetime: bff.max_lifetime,
    })?;
    Ok(Some(bff))
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
