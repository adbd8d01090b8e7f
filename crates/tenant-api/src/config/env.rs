//! Parsing environment variables into [`Config`], each failure naming its variable.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use cognito_verify::TokenUse;
use secrecy::SecretString;

use super::{
    AllowedHosts, CognitoBackend, CognitoConfig, Config, Limits, LogFormat, ThrottleConfig,
};

/// A start-up configuration problem, always naming the variable at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {variable} {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: String,
    /// What is wrong with it.
    pub problem: String,
}

impl ConfigError {
    /// A problem with `variable`.
    pub fn new(variable: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            variable: variable.into(),
            problem: problem.into(),
        }
    }
}

/// Where variables come from: the process environment, or a map in tests.
#[derive(Debug, Default)]
pub struct EnvSource {
    vars: HashMap<String, String>,
}

impl EnvSource {
    /// A snapshot of the process environment.
    pub fn process() -> Self {
        Self {
            vars: std::env::vars().collect(),
        }
    }

    /// A source holding exactly these variables.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The trimmed value of `name`; unset and empty are the same.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn parse<T: FromStr>(&self, name: &str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(name) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|e| ConfigError::new(name, format!("= {raw:?}: {e}"))),
        }
    }

    pub(super) fn flag(&self, name: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => Err(ConfigError::new(
                name,
                format!("= {other:?}: expected 1 or 0 (true/false)"),
            )),
        }
    }

    pub(super) fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|raw| {
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Reads every variable; see `.env.example` for the full list with defaults.
pub(super) fn load(env: &EnvSource) -> Result<Config, ConfigError> {
    let data_dir = PathBuf::from(env.get("DATA_DIR").unwrap_or("./data"));
    let database_url = match env.get("DATABASE_URL") {
        Some(url) if url.starts_with("sqlite:") && super::is_in_memory_sqlite(url) => {
            return Err(ConfigError::new(
                "DATABASE_URL",
                "names an in-memory SQLite database: its data would vanish with the process; \
                 name a file (sqlite://path/to/file.db?mode=rwc)",
            ))
        }
        Some(url) if url.starts_with("sqlite:") || url.starts_with("postgres") => url.to_owned(),
        Some(other) => {
            return Err(ConfigError::new(
                "DATABASE_URL",
                format!("= {other:?}: expected a sqlite: or postgres:// URL"),
            ))
        }
        None => format!("sqlite://{}/tenant-api.db?mode=rwc", data_dir.display()),
    };

    let mut bind_addr: SocketAddr =
        env.parse("BIND_ADDR", SocketAddr::from(([127, 0, 0, 1], 8000)))?;
    if env.get("PORT").is_some() {
        bind_addr.set_port(env.parse("PORT", 8000u16)?);
    }

    Ok(Config {
        bind_addr,
        data_dir,
        database_url,
        debug: env.flag("DEBUG", false)?,
        allowed_hosts: allowed_hosts(env),
        cors_allowed_origins: cors_origins(env)?,
        cognito: cognito(env)?,
        tenancy: super::tenancy::from_env(env)?,
        web: super::web::load(env)?,
        bff: super::bff::load(env)?,
        log_format: match env
            .get("LOG_FORMAT")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::new(
                    "LOG_FORMAT",
                    format!("= {other:?}: expected text or json"),
                ))
            }
        },
        limits: Limits {
            max_body_bytes: env.parse("MAX_BODY_BYTES", 64 * 1024)?,
            request_timeout: Duration::from_secs(positive(env, "REQUEST_TIMEOUT_SECS", 30)?),
            database_timeout: Duration::from_millis(positive(env, "DATABASE_TIMEOUT_MS", 800)?),
            database_pool_size: pool_size(env)?,
            shutdown_grace: Duration::from_secs(positive(env, "SHUTDOWN_GRACE_SECS", 20)?),
            header_read_timeout: Duration::from_secs(positive(
                env,
                "HTTP_HEADER_READ_TIMEOUT_SECS",
                10,
            )?),
            idle_timeout: Duration::from_secs(positive(env, "HTTP_IDLE_TIMEOUT_SECS", 75)?),
            // Unset: derived from the open-file limit at start (see `server::fd_limit`).
            max_connections: match env.parse::<usize>("HTTP_MAX_CONNECTIONS", usize::MAX)? {
                usize::MAX => None,
                0 => {
                    return Err(ConfigError::new(
                        "HTTP_MAX_CONNECTIONS",
                        "must be greater than 0",
                    ))
                }
                n => Some(n),
            },
        },
        throttle: ThrottleConfig {
            per_ip_per_minute: env.parse("LOGIN_RATE_PER_IP", 30)?,
            per_account_per_minute: env.parse("LOGIN_RATE_PER_ACCOUNT", 10)?,
            trusted_proxies: env
                .list("TRUSTED_PROXIES")
                .iter()
                .map(|raw| parse_net(raw))
                .collect::<Result<_, _>>()?,
        },
    })
}

fn positive(env: &EnvSource, name: &str, default: u64) -> Result<u64, ConfigError> {
    match env.parse(name, default)? {
        0 => Err(ConfigError::new(name, "must be greater than 0")),
        n => Ok(n),
    }
}

/// `DATABASE_POOL_SIZE`: at least one connection, and no more than a PostgreSQL server admits
/// by default.
fn pool_size(env: &EnvSource) -> Result<usize, ConfigError> {
    let default = super::DEFAULT_DATABASE_POOL_SIZE as u64;
    match positive(env, "DATABASE_POOL_SIZE", default)? {
        n if n > 1_000 => Err(ConfigError::new(
            "DATABASE_POOL_SIZE",
            "must be at most 1000",
        )),
        n => Ok(usize::try_from(n).unwrap_or(1_000)),
    }
}

/// `WORKER_THREADS`: the async runtime's worker threads, 1–1024; unset, one per CPU core (the
/// runtime's own default). Read before the runtime starts, so apart from [`Config`].
pub fn worker_threads(env: &EnvSource) -> Result<Option<usize>, ConfigError> {
    if env.get("WORKER_THREADS").is_none() {
        return Ok(None);
    }
    match positive(env, "WORKER_THREADS", 1)? {
        n if n > 1_024 => Err(ConfigError::new("WORKER_THREADS", "must be at most 1024")),
        n => Ok(Some(usize::try_from(n).unwrap_or(1_024))),
    }
}

fn parse_net(raw: &str) -> Result<ipnet::IpNet, ConfigError> {
    raw.parse::<ipnet::IpNet>()
        .or_else(|_| raw.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            ConfigError::new(
                "TRUSTED_PROXIES",
                format!("contains {raw:?}: expected an IP address or CIDR"),
            )
        })
}

fn allowed_hosts(env: &EnvSource) -> AllowedHosts {
    let hosts = env.list("ALLOWED_HOSTS");
    if hosts.is_empty() || hosts.iter().any(|h| h == "*") {
        AllowedHosts::Any
    } else {
        AllowedHosts::Only(hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect())
    }
}

fn cors_origins(env: &EnvSource) -> Result<Vec<String>, ConfigError> {
    let origins = env.list("CORS_ALLOWED_ORIGINS");
    for origin in &origins {
        let valid = url::Url::parse(origin)
            .map(|u| {
                matches!(u.scheme(), "http" | "https") && u.path() == "/" && !origin.ends_with('/')
            })
            .unwrap_or(false);
        if !valid {
            return Err(ConfigError::new(
                "CORS_ALLOWED_ORIGINS",
                format!("contains {origin:?}: expected an origin such as https://app.example.com"),
            ));
        }
    }
    Ok(origins)
}

fn cognito(env: &EnvSource) -> Result<CognitoConfig, ConfigError> {
    let region = env.get("AWS_REGION").unwrap_or("us-east-1").to_owned();
    let pool_id = env.get("COGNITO_USER_POOL_ID");
    let client_id = env.get("COGNITO_APP_CLIENT_ID");
    let backend = match (pool_id, client_id) {
        (Some(pool_id), Some(client_id)) => {
            if !pool_id.contains('_') {
                return Err(ConfigError::new(
                    "COGNITO_USER_POOL_ID",
                    format!("= {pool_id:?}: expected <region>_<id>, e.g. eu-west-1_AbCdEf123"),
                ));
            }
            CognitoBackend::UserPool {
                pool_id: pool_id.to_owned(),
                client_id: client_id.to_owned(),
                endpoint: endpoint(env, "COGNITO_ENDPOINT")?,
            }
        }
        (Some(_), None) => {
            return Err(ConfigError::new(
                "COGNITO_APP_CLIENT_ID",
                "is required when COGNITO_USER_POOL_ID is set",
            ))
        }
        (None, Some(_)) => {
            return Err(ConfigError::new(
                "COGNITO_USER_POOL_ID",
                "is required when COGNITO_APP_CLIENT_ID is set (unset both for the embedded identity provider)",
            ))
        }
        (None, None) => CognitoBackend::Embedded {
            idp_addr: env.parse("LOCAL_COGNITO_ADDR", SocketAddr::from(([127, 0, 0, 1], 9229)))?,
        },
    };
    let token_use = match env.get("COGNITO_PREFERRED_TOKEN_USE") {
        None => TokenUse::Access,
        Some(raw) => raw.parse().map_err(|_| {
            ConfigError::new(
                "COGNITO_PREFERRED_TOKEN_USE",
                format!("= {raw:?}: expected access or id"),
            )
        })?,
    };
    Ok(CognitoConfig {
        region,
        backend,
        client_secret: env
            .get("COGNITO_APP_CLIENT_SECRET")
            .map(|s| SecretString::from(s.to_owned())),
        token_use,
        issuer: endpoint(env, "COGNITO_ISSUER")?,
        jwks_url: endpoint(env, "COGNITO_JWKS_URL")?,
        extra_client_ids: env.list("COGNITO_EXTRA_CLIENT_IDS"),
        max_in_flight: match env.parse(
            "COGNITO_MAX_IN_FLIGHT",
            crate::cognito::DEFAULT_MAX_IN_FLIGHT,
        )? {
            0 => {
                return Err(ConfigError::new(
                    "COGNITO_MAX_IN_FLIGHT",
                    "= 0: at least one call must be allowed",
                ))
            }
            n => n,
        },
    })
}

pub(super) fn endpoint(env: &EnvSource, name: &str) -> Result<Option<String>, ConfigError> {
    let Some(raw) = env.get(name) else {
        return Ok(None);
    };
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            Ok(Some(raw.trim_end_matches('/').to_owned()))
        }
        _ => Err(ConfigError::new(
            name,
            format!("= {raw:?}: expected an http(s) URL"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TenantMode;

    fn load_pairs(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        load(&EnvSource::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn empty_environment_selects_embedded_defaults() {
        let config = load_pairs(&[]).unwrap();
        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:8000");
        assert!(matches!(
            config.cognito.backend,
            CognitoBackend::Embedded { .. }
        ));
        assert!(config.database_url.starts_with("sqlite://./data/"));
        assert!(config.tenancy.strict);
        assert_eq!(config.tenancy.mode, TenantMode::Header);
    }

    #[test]
    fn port_overrides_only_the_port_of_bind_addr() {
        let config = load_pairs(&[("BIND_ADDR", "0.0.0.0:1234"), ("PORT", "9000")]).unwrap();
        assert_eq!(config.bind_addr.to_string(), "0.0.0.0:9000");
    }

    #[test]
    fn every_bad_value_names_its_variable() {
        let cases = [
            ("PORT", "eighty"),
            ("BIND_ADDR", "nowhere"),
            ("DEBUG", "maybe"),
            ("TENANT_MODE", "cookie"),
            ("TENANT_STRICT", "2"),
            ("COGNITO_PREFERRED_TOKEN_USE", "refresh"),
            ("CORS_ALLOWED_ORIGINS", "app.example.com"),
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_URL", "sqlite::memory:"),
            ("DATABASE_URL", "sqlite://file.db?mode=memory"),
            ("COGNITO_ENDPOINT", "not a url"),
            ("LOG_FORMAT", "xml"),
            ("TRUSTED_PROXIES", "10.0.0.0/33"),
            ("REQUEST_TIMEOUT_SECS", "0"),
            ("DATABASE_TIMEOUT_MS", "0"),
            ("HTTP_HEADER_READ_TIMEOUT_SECS", "0"),
            ("HTTP_HEADER_READ_TIMEOUT_SECS", "ten"),
            ("HTTP_IDLE_TIMEOUT_SECS", "-1"),
            ("HTTP_MAX_CONNECTIONS", "0"),
            ("HTTP_MAX_CONNECTIONS", "lots"),
            ("DATABASE_POOL_SIZE", "0"),
            ("DATABASE_POOL_SIZE", "5000"),
            ("DATABASE_POOL_SIZE", "eight"),
            ("COGNITO_MAX_IN_FLIGHT", "0"),
            ("COGNITO_MAX_IN_FLIGHT", "many"),
        ];
        for (name, value) in cases {
            let mut pairs = vec![(name, value)];
            if name == "COGNITO_ENDPOINT" {
                pairs.extend([
                    ("COGNITO_USER_POOL_ID", "eu-west-1_abc"),
                    ("COGNITO_APP_CLIENT_ID", "c"),
                ]);
            }
            let err = load_pairs(&pairs).expect_err(name);
            assert_eq!(err.variable, name, "{err}");
        }
    }

    #[test]
    fn worker_threads_default_to_the_runtime_and_bad_counts_name_the_variable() {
        let threads =
            |value: &str| worker_threads(&EnvSource::from_pairs([("WORKER_THREADS", value)]));
        assert_eq!(worker_threads(&EnvSource::default()).unwrap(), None);
        assert_eq!(threads("").unwrap(), None);
        assert_eq!(threads(" 3 ").unwrap(), Some(3));
        for bad in ["0", "-1", "two", "1025"] {
            let err = threads(bad).expect_err(bad);
            assert_eq!(err.variable, "WORKER_THREADS", "{err}");
        }
    }

    #[test]
    fn a_pool_without_a_client_id_is_refused() {
        let err = load_pairs(&[("COGNITO_USER_POOL_ID", "eu-west-1_abc")]).unwrap_err();
        assert_eq!(err.variable, "COGNITO_APP_CLIENT_ID");
    }

    #[test]
    fn extra_client_ids_are_a_trimmed_comma_list() {
        let config = load_pairs(&[("COGNITO_EXTRA_CLIENT_IDS", " web1, web2 ,,")]).unwrap();
        assert_eq!(config.cognito.extra_client_ids, vec!["web1", "web2"]);
    }

    #[test]
    fn subdomain_mode_requires_a_main_domain() {
        let err = load_pairs(&[("TENANT_MODE", "subdomain")]).unwrap_err();
        assert_eq!(err.variable, "TENANT_MAIN_DOMAIN");
    }

    #[test]
    fn empty_cors_list_means_no_origin_rather_than_an_error() {
        let config = load_pairs(&[("CORS_ALLOWED_ORIGINS", "")]).unwrap();
        assert!(config.cors_allowed_origins.is_empty());
    }
}
