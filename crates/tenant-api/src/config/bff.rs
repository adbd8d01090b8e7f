//! The Backend-for-Frontend (`/auth/*`): the confidential app client the server signs browsers
//! in with, where Cognito sends them back, and how long their sessions live.

use std::net::SocketAddr;
use std::time::Duration;

use secrecy::SecretString;

use super::env::{ConfigError, EnvSource};

/// The BFF's callback path, on the service's own address.
pub const BFF_CALLBACK_PATH: &str = "/auth/callback";

/// The BFF's settings.
#[derive(Clone, Debug)]
pub struct BffConfig {
    /// `BFF_CLIENT_ID`: the confidential app client. Made by the embedded identity provider on
    /// its defaults; on a real pool the BFF is off without it.
    pub client_id: Option<String>,
    /// `BFF_CLIENT_SECRET`: its secret (required with `BFF_CLIENT_ID`).
    pub client_secret: Option<SecretString>,
    /// `BFF_CALLBACK_URLS`: where Cognito may send the browser back (`…/auth/callback`); the
    /// one on the browser's own origin is used. Default: the service's served address.
    pub callback_urls: Vec<String>,
    /// `SESSION_KEY`: 32 bytes in base64 sealing tokens at rest. Required on a real pool; on
    /// the embedded defaults a key is made once and kept in `DATA_DIR`.
    pub session_key: Option<SecretString>,
    /// `SESSION_IDLE_TIMEOUT_SECS`: a session unused this long ends (default 1 hour).
    pub idle_timeout: Duration,
    /// `SESSION_MAX_LIFETIME_SECS`: a session ends this long after sign-in whatever happens:
    /// the refresh token's validity (default 30 days, Cognito's default).
    pub max_lifetime: Duration,
}

/// Default idle timeout: an hour.
const DEFAULT_IDLE_SECS: u64 = 3600;
/// Default lifetime: Cognito's default refresh-token validity, 30 days.
const DEFAULT_LIFETIME_SECS: u64 = 30 * 24 * 3600;

impl Default for BffConfig {
    fn default() -> Self {
        Self {
            client_id: None,
            client_secret: None,
            callback_urls: Vec::new(),
            session_key: None,
            idle_timeout: Duration::from_secs(DEFAULT_IDLE_SECS),
            max_lifetime: Duration::from_secs(DEFAULT_LIFETIME_SECS),
        }
    }
}

impl BffConfig {
    /// The callback URLs: `BFF_CALLBACK_URLS`, or the service's own on `served`.
    pub fn callback_urls_for(&self, served: SocketAddr) -> Vec<String> {
        if !self.callback_urls.is_empty() {
            return self.callback_urls.clone();
        }
        super::web::origins(served)
            .into_iter()
            .map(|origin| format!("{origin}{BFF_CALLBACK_PATH}"))
            .collect()
    }
}

pub(super) fn load(env: &EnvSource) -> Result<BffConfig, ConfigError> {
    let client_id = env.get("BFF_CLIENT_ID").map(str::to_owned);
    let client_secret = env
        .get("BFF_CLIENT_SECRET")
        .map(|s| SecretString::from(s.to_owned()));
    match (&client_id, &client_secret) {
        (Some(_), None) => {
            return Err(ConfigError::new(
                "BFF_CLIENT_SECRET",
                "is required when BFF_CLIENT_ID is set (the BFF is a confidential client)",
            ))
        }
        (None, Some(_)) => {
            return Err(ConfigError::new(
                "BFF_CLIENT_ID",
                "is required when BFF_CLIENT_SECRET is set",
            ))
        }
        _ => {}
    }
    let callback_urls = env.list("BFF_CALLBACK_URLS");
    for raw in &callback_urls {
        let ok = url::Url::parse(raw)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.path() == BFF_CALLBACK_PATH);
        if !ok {
            return Err(ConfigError::new(
                "BFF_CALLBACK_URLS",
                format!("contains {raw:?}: expected http(s) URLs ending in {BFF_CALLBACK_PATH}"),
            ));
        }
    }
    let session_key = env
        .get("SESSION_KEY")
        .map(|s| SecretString::from(s.to_owned()));
    if let Some(key) = &session_key {
        use secrecy::ExposeSecret;
        crate::bff::SessionKey::parse(key.expose_secret())
            .map_err(|problem| ConfigError::new("SESSION_KEY", problem))?;
    }
    let seconds = |name: &str, default: u64| -> Result<Duration, ConfigError> {
        match env.parse(name, default)? {
            0 => Err(ConfigError::new(name, "must be greater than 0")),
            n => Ok(Duration::from_secs(n)),
        }
    };
    Ok(BffConfig {
        client_id,
        client_secret,
        callback_urls,
        session_key,
        idle_timeout: seconds("SESSION_IDLE_TIMEOUT_SECS", DEFAULT_IDLE_SECS)?,
        max_lifetime: seconds("SESSION_MAX_LIFETIME_SECS", DEFAULT_LIFETIME_SECS)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_pairs(pairs: &[(&str, &str)]) -> Result<BffConfig, ConfigError> {
        load(&EnvSource::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn half_a_client_bad_urls_and_bad_keys_name_their_variable() {
        let err = load_pairs(&[("BFF_CLIENT_ID", "abc")]).unwrap_err();
        assert_eq!(err.variable, "BFF_CLIENT_SECRET");
        let err = load_pairs(&[("BFF_CLIENT_SECRET", "s")]).unwrap_err();
        assert_eq!(err.variable, "BFF_CLIENT_ID");
        let err = load_pairs(&[("BFF_CALLBACK_URLS", "https://app.example.com/cb")]).unwrap_err();
        assert_eq!(err.variable, "BFF_CALLBACK_URLS");
        let err = load_pairs(&[("SESSION_KEY", "c2hvcnQ=")]).unwrap_err();
        assert_eq!(err.variable, "SESSION_KEY");
        let err = load_pairs(&[("SESSION_IDLE_TIMEOUT_SECS", "0")]).unwrap_err();
        assert_eq!(err.variable, "SESSION_IDLE_TIMEOUT_SECS");
    }

    #[test]
    fn defaults_are_the_served_address_an_hour_idle_and_thirty_days() {
        let bff = load_pairs(&[]).unwrap();
        assert_eq!(bff.idle_timeout, Duration::from_secs(3600));
        assert_eq!(bff.max_lifetime, Duration::from_secs(30 * 24 * 3600));
        assert_eq!(
            bff.callback_urls_for(SocketAddr::from(([127, 0, 0, 1], 8000))),
            [
                "http://127.0.0.1:8000/auth/callback",
                "http://localhost:8000/auth/callback"
            ]
        );
    }
}
