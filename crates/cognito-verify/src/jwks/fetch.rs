//! Downloading and parsing one JWKS: bounded time (connect and total timeouts, one retry) and
//! bounded size, so a slow or hostile endpoint can neither hang nor flood the verifier.

use std::collections::HashMap;
use std::time::Duration;

use serde::Deserialize;

use super::key::{parse_jwk, VerifyingKey};

/// A JWKS larger than this is refused (Cognito's is well under 2 KiB).
const MAX_JWKS_BYTES: usize = 256 * 1024;

/// Pause before the single retry, so a momentary failure is not hit twice in the same instant.
const RETRY_DELAY: Duration = Duration::from_millis(100);

/// The HTTP side of the JWKS cache.
#[derive(Debug, Clone)]
pub(crate) struct Fetcher {
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct JwksDocument {
    keys: Vec<serde_json::Value>,
}

impl Fetcher {
    /// Builds the client with the given timeouts; redirects are not followed so the configured
    /// URI is the only place keys come from.
    pub(crate) fn new(connect_timeout: Duration, total_timeout: Duration) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(total_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("cognito-verify/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { client })
    }

    /// Fetches and parses the JWKS at `uri`, retrying once on failure.
    pub(crate) async fn fetch(&self, uri: &str) -> Result<HashMap<String, VerifyingKey>, String> {
        match self.fetch_once(uri).await {
            Ok(keys) => Ok(keys),
            Err(first) => {
                tracing::debug!(uri, error = %first, "JWKS fetch failed, retrying once");
                tokio::time::sleep(RETRY_DELAY).await;
                self.fetch_once(uri)
                    .await
                    .map_err(|second| format!("{second} (first attempt: {first})"))
            }
        }
    }

    async fn fetch_once(&self, uri: &str) -> Result<HashMap<String, VerifyingKey>, String> {
        let mut response = self
            .client
            .get(uri)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        if response
            .content_length()
            .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
        {
            return Err("JWKS is too large".to_owned());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("reading body failed: {e}"))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err("JWKS is too large".to_owned());
            }
            body.extend_from_slice(&chunk);
        }
        parse_jwks(&body)
    }
}

/// Parses a JWKS document into usable keys. A set with no usable key at all is an error, not an
/// empty trust store: Cognito always publishes keys, so an empty answer is a broken endpoint and
/// the last good keys are kept (stale-if-error) rather than wiped.
pub(crate) fn parse_jwks(body: &[u8]) -> Result<HashMap<String, VerifyingKey>, String> {
    let document: JwksDocument =
        serde_json::from_slice(body).map_err(|e| format!("not a JWKS: {e}"))?;
    let mut keys = HashMap::with_capacity(document.keys.len());
    for value in &document.keys {
        match parse_jwk(value) {
            // A duplicated kid is ambiguous; the first one wins and the rest are ignored.
            Ok((kid, key)) => {
                keys.entry(kid).or_insert(key);
            }
            Err(why) => tracing::debug!(%why, "skipping unusable JWK"),
        }
    }
    if keys.is_empty() {
        return Err("JWKS holds no usable RS256 signing key".to_owned());
    }
    Ok(keys)
}
