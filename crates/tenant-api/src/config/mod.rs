//! Typed configuration, read once at start-up from the environment (and an optional `.env`).
//!
//! Every variable keeps the name users of the original design know. A value that does not parse
//! stops start-up with a [`ConfigError`] naming the variable, so misconfiguration never shows up
//! later as a confusing runtime failure.

mod bff;
mod database;
mod env;
mod tenancy;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use cognito_verify::TokenUse;
use secrecy::SecretString;

pub use bff::{BffConfig, BFF_CALLBACK_PATH};
pub use database::{is_in_memory_sqlite, DEFAULT_DATABASE_POOL_SIZE, DEFAULT_DATABASE_TIMEOUT};
pub use env::{worker_threads, ConfigError, EnvSource};
pub use tenancy::{TenancyConfig, TenantMode};
pub use web::{WebConfig, CONSOLE_CALLBACK_PATH};

/// Everything the service needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address the HTTP server binds (`BIND_ADDR`, `PORT` overrides just the port).
    pub bind_addr: SocketAddr,
    /// Directory for the SQLite database and the embedded identity provider (`DATA_DIR`).
    pub data_dir: PathBuf,
    /// sqlx connection URL (`DATABASE_URL`); `sqlite:` or `postgres:`.
    pub database_url: String,
    /// Development mode (`DEBUG=1`): CORS allows any origin.
    pub debug: bool,
    /// Host header allow-list (`ALLOWED_HOSTS`).
    pub allowed_hosts: AllowedHosts,
    /// Origins allowed by CORS (`CORS_ALLOWED_ORIGINS`); ignored when `debug` is set.
    pub cors_allowed_origins: Vec<String>,
    /// Where Cognito is and how tokens are checked.
    pub cognito: CognitoConfig,
    /// How the tenant of a request is found and proven.
    pub tenancy: TenancyConfig,
    /// Log output format (`LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Protective limits (`REQUEST_TIMEOUT_SECS`, `MAX_BODY_BYTES`, `SHUTDOWN_GRACE_SECS`).
    pub limits: Limits,
    /// Login throttling (`LOGIN_RATE_PER_IP`, `LOGIN_RATE_PER_ACCOUNT`, `TRUSTED_PROXIES`).
    pub throttle: ThrottleConfig,
    /// The browser client (`WEB_CLIENT_ID`, `COGNITO_DOMAIN`, `WEB_CALLBACK_URLS`, `WEB_LOGOUT_URLS`).
    pub web: WebConfig,
    /// The Backend-for-Frontend (`BFF_CLIENT_ID`, `BFF_CLIENT_SECRET`, `BFF_CALLBACK_URLS`,
    /// `SESSION_KEY`, `SESSION_IDLE_TIMEOUT_SECS`, `SESSION_MAX_LIFETIME_SECS`).
    pub bff: BffConfig,
}

/// Which Cognito the service talks to.
#[derive(Clone, Debug)]
pub enum CognitoBackend {
    /// No user pool configured: run the embedded identity provider in-process.
    Embedded {
        /// Address the embedded identity provider listens on (`LOCAL_COGNITO_ADDR`).
        idp_addr: SocketAddr,
    },
    /// A real (or emulated) Cognito user pool.
    UserPool {
        /// `COGNITO_USER_POOL_ID`.
        pool_id: String,
        /// `COGNITO_APP_CLIENT_ID`.
        client_id: String,
        /// `COGNITO_ENDPOINT`: API endpoint override (emulators, VPC endpoints).
        endpoint: Option<String>,
    },
}

/// Cognito settings shared by both backends.
#[derive(Clone, Debug)]
pub struct CognitoConfig {
    /// `AWS_REGION`.
    pub region: String,
    /// Embedded identity provider or a configured user pool.
    pub backend: CognitoBackend,
    /// `COGNITO_APP_CLIENT_SECRET`, when the app client has one.
    pub client_secret: Option<SecretString>,
    /// `COGNITO_PREFERRED_TOKEN_USE`: which token protects the API.
    pub token_use: TokenUse,
    /// `COGNITO_ISSUER`: issuer override.
    pub issuer: Option<String>,
    /// `COGNITO_JWKS_URL`: JWKS location override.
    pub jwks_url: Option<String>,
    /// `COGNITO_EXTRA_CLIENT_IDS`: other app clients whose tokens the API accepts (for example
    /// the Hosted UI web client), besides the server client.
    pub extra_client_ids: Vec<String>,
    /// `COGNITO_MAX_IN_FLIGHT`: Cognito calls this instance makes at once; more wait their turn.
    pub max_in_flight: usize,
}

/// Accepted `Host` header values, with Django's semantics (`*`, exact names, `.example.com`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowedHosts {
    /// `*`: any host.
    Any,
    /// Only these patterns (lower-case; a leading dot matches the domain and its subdomains).
    Only(Vec<String>),
}

impl AllowedHosts {
    /// Whether a `Host` header value (port included or not) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        let Self::Only(patterns) = self else {
            return true;
        };
        let host = strip_port(host);
        patterns
            .iter()
            .any(|pattern| match pattern.strip_prefix('.') {
                Some(domain) => {
                    host.eq_ignore_ascii_case(domain) || ends_with_ignore_ascii_case(host, pattern)
                }
                None => host.eq_ignore_ascii_case(pattern),
            })
    }
}

/// `text` ends with `suffix`, ASCII letters compared without case (no allocation per request).
fn ends_with_ignore_ascii_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Removes a `:port` suffix from a `Host` value, keeping bracketed IPv6 literals intact.
pub fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    host.split(':').next().unwrap_or(host)
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Protective limits applied to every request and to shutdown.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Time after which a request is abandoned and answered 503.
    pub request_timeout: Duration,
    /// Time one database call may take, connecting included, before it is answered 503.
    pub database_timeout: Duration,
    /// Connections the PostgreSQL store keeps at most (`DATABASE_POOL_SIZE`; SQLite ignores it).
    pub database_pool_size: usize,
    /// How long in-flight requests may run after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Time a request's head (request line and headers) may take to arrive in full.
    pub header_read_timeout: Duration,
    /// Time a keep-alive connection may wait for its next request before it is closed.
    pub idle_timeout: Duration,
    /// Connections open at once (`None`: derived from the open-file limit); more wait in the
    /// accept backlog until one closes.
    pub max_connections: Option<usize>,
}

/// Login throttling: token buckets per client IP and per account.
#[derive(Clone, Debug)]
pub struct ThrottleConfig {
    /// Attempts a minute allowed from one client IP (0 turns the IP limit off).
    pub per_ip_per_minute: u32,
    /// Attempts a minute allowed for one account (0 turns the account limit off).
    pub per_account_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Config {
    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is worth stopping for.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => {
                return Err(ConfigError::new(".env", format!("cannot be read: {e}")));
            }
        }
        Self::from_source(&EnvSource::process())
    }

    /// Builds a configuration from any variable source (tests pass a map).
    pub fn from_source(env: &EnvSource) -> Result<Self, ConfigError> {
        env::load(env)
    }

    /// The configuration tests start from: embedded IdP and SQLite under `data_dir`, both on
    /// ephemeral loopback ports, strict header tenancy.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        let database_url = format!("sqlite://{}/tenant-api.db?mode=rwc", data_dir.display());
        Self {
            bind_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            database_url,
            debug: false,
            allowed_hosts: AllowedHosts::Any,
            cors_allowed_origins: Vec::new(),
            cognito: CognitoConfig {
                region: "us-east-1".into(),
                backend: CognitoBackend::Embedded {
                    idp_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                },
                client_secret: None,
                token_use: TokenUse::Access,
                issuer: None,
                jwks_url: None,
                extra_client_ids: Vec::new(),
                max_in_flight: crate::cognito::DEFAULT_MAX_IN_FLIGHT,
            },
            tenancy: TenancyConfig::default(),
            bff: BffConfig::default(),
            log_format: LogFormat::Text,
            limits: Limits {
                max_body_bytes: 64 * 1024,
                request_timeout: Duration::from_secs(30),
                database_timeout: DEFAULT_DATABASE_TIMEOUT,
                database_pool_size: DEFAULT_DATABASE_POOL_SIZE,
                shutdown_grace: Duration::from_secs(10),
                header_read_timeout: Duration::from_secs(10),
                idle_timeout: Duration::from_secs(75),
                max_connections: None,
            },
            throttle: ThrottleConfig {
                per_ip_per_minute: 0,
                per_account_per_minute: 0,
                trusted_proxies: Vec::new(),
            },
            web: WebConfig::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts_match_exact_names_and_dotted_domains_only() {
        let hosts = AllowedHosts::Only(vec!["api.example.com".into(), ".tenants.io".into()]);
        assert!(hosts.allows("api.example.com:8000"));
        assert!(hosts.allows("tenants.io"));
        assert!(hosts.allows("acme.tenants.io"));
        assert!(!hosts.allows("eviltenants.io"));
        assert!(!hosts.allows("example.com"));
        assert!(AllowedHosts::Any.allows("anything"));
    }

    #[test]
    fn strip_port_keeps_ipv6_literals() {
        assert_eq!(strip_port("[::1]:8000"), "::1");
        assert_eq!(strip_port("localhost:8000"), "localhost");
        assert_eq!(strip_port("example.com"), "example.com");
    }
}
