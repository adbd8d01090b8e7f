//! [`VerifierBuilder`]: explicit configuration. Pools, client ids and `token_use` are required;
//! skipping the client check has to be spelled out; every timing knob has a safe default.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::cache::TokenCache;
use crate::claims::CognitoClaims;
use crate::config::{PoolConfig, TokenUse};
use crate::error::ConfigError;
use crate::hooks::{CheckRejection, CustomCheck, RevocationCheck};
use crate::jwks::{Clock, Fetcher, IssuerKeys, JwksContext, Policy};
use crate::metrics::Metrics;
use crate::policy::{ClaimPolicy, GroupRule, ScopeRule};
use crate::verifier::{Inner, Verifier};

/// Largest accepted clock leeway.
const MAX_LEEWAY: Duration = Duration::from_secs(300);

/// Builds a [`Verifier`]; start with [`Verifier::builder`].
pub struct VerifierBuilder {
    pools: Vec<PoolConfig>,
    client_ids: Vec<String>,
    skip_client_id_check: bool,
    token_use: Option<TokenUse>,
    leeway: Duration,
    groups: GroupRule,
    scopes: ScopeRule,
    custom: Option<CustomCheck>,
    revocation: Option<Arc<dyn RevocationCheck>>,
    jwks_ttl: Duration,
    jwks_cooldown: Duration,
    jwks_max_stale: Duration,
    connect_timeout: Duration,
    fetch_timeout: Duration,
    token_cache_capacity: u64,
    clock: Option<Clock>,
    allow_http_jwks: bool,
}

impl std::fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("pools", &self.pools)
            .field("client_ids", &self.client_ids)
            .field("token_use", &self.token_use)
            .finish_non_exhaustive()
    }
}

impl Default for VerifierBuilder {
    fn default() -> Self {
        Self {
            pools: Vec::new(),
            client_ids: Vec::new(),
            skip_client_id_check: false,
            token_use: None,
            leeway: Duration::ZERO,
            groups: GroupRule::Any,
            scopes: ScopeRule::Any,
            custom: None,
            revocation: None,
            jwks_ttl: Duration::from_secs(3600),
            jwks_cooldown: Duration::from_secs(10),
            jwks_max_stale: Duration::from_secs(24 * 3600),
            connect_timeout: Duration::from_secs(2),
            fetch_timeout: Duration::from_secs(5),
            token_cache_capacity: 10_000,
            clock: None,
            allow_http_jwks: false,
        }
    }
}

impl VerifierBuilder {
    /// Trusts one more user pool (at least one is required).
    pub fn pool(mut self, pool: PoolConfig) -> Self {
        self.pools.push(pool);
        self
    }

    /// Accepts tokens issued to any of these app clients (`client_id` of access tokens, `aud` of
    /// ID tokens). Calls accumulate.
    pub fn client_ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.client_ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Accepts tokens of any app client of the pools. An explicit opt-out: without it (or
    /// [`Self::client_ids`]), [`Self::build`] refuses.
    pub fn skip_client_id_check(mut self) -> Self {
        self.skip_client_id_check = true;
        self
    }

    /// Which tokens to accept (required).
    pub fn token_use(mut self, t: TokenUse) -> Self {
        self.token_use = Some(t);
        self
    }

    /// Clock skew tolerated for `exp`, `nbf` and `iat` (default 0, at most 300 s). Sub-second
    /// parts are ignored because claims have one-second resolution.
    pub fn leeway(mut self, d: Duration) -> Self {
        self.leeway = d;
        self
    }

    /// Requires membership in at least one of these groups (`cognito:groups`); replaces any
    /// earlier group rule.
    pub fn groups_any_of<I: IntoIterator<Item = S>, S: Into<String>>(mut self, groups: I) -> Self {
        self.groups = GroupRule::AnyOf(groups.into_iter().map(Into::into).collect());
        self
    }

    /// Requires membership in every one of these groups; replaces any earlier group rule.
    pub fn groups_all_of<I: IntoIterator<Item = S>, S: Into<String>>(mut self, groups: I) -> Self {
        self.groups = GroupRule::AllOf(groups.into_iter().map(Into::into).collect());
        self
    }

    /// Requires every one of these OAuth scopes (access tokens only); replaces any earlier scope
    /// rule.
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = ScopeRule::AllOf(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Requires at least one of these OAuth scopes (access tokens only; aws-jwt-verify's `scope`
    /// semantics); replaces any earlier scope rule.
    pub fn scopes_any_of<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = ScopeRule::AnyOf(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a check over the verified claims. It runs once per token (before caching), so it
    /// must depend on the claims alone.
    pub fn custom_check<F>(mut self, check: F) -> Self
    where
        F: Fn(&CognitoClaims) -> Result<(), CheckRejection> + Send + Sync + 'static,
    {
        self.custom = Some(Arc::new(check));
        self
    }

    /// Consults `hook` on every verification, cache hits included.
    pub fn revocation(mut self, hook: Arc<dyn RevocationCheck>) -> Self {
        self.revocation = Some(hook);
        self
    }

    /// Age after which keys are refreshed (default 1 h).
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.jwks_ttl = ttl;
        self
    }

    /// Minimum spacing between two fetches of one pool's JWKS, whatever triggers them (default
    /// 10 s). This is what bounds the JWKS traffic an unknown-`kid` flood can cause.
    pub fn jwks_cooldown(mut self, cooldown: Duration) -> Self {
        self.jwks_cooldown = cooldown;
        self
    }

    /// How long the last good keys are served while the JWKS cannot be fetched (default 24 h);
    /// past it verification fails closed.
    pub fn jwks_max_stale(mut self, max_stale: Duration) -> Self {
        self.jwks_max_stale = max_stale;
        self
    }

    /// JWKS fetch timeouts: connect (default 2 s) and whole request (default 5 s). A failed
    /// fetch is retried once.
    pub fn jwks_fetch_timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.fetch_timeout = total;
        self
    }

    /// Capacity of the verified-token cache in entries (default 10 000; 0 disables it).
    pub fn token_cache_capacity(mut self, entries: u64) -> Self {
        self.token_cache_capacity = entries;
        self
    }

    /// Replaces the wall clock (for tests). Used for every claim-time and key-age decision.
    pub fn clock(mut self, c: Arc<dyn Fn() -> SystemTime + Send + Sync>) -> Self {
        self.clock = Some(c);
        self
    }

    /// Allows plain-http JWKS URIs on non-loopback hosts (a local IdP in another container).
    /// Loopback http is always allowed; everything else needs https by default.
    pub fn allow_http_jwks(mut self) -> Self {
        self.allow_http_jwks = true;
        self
    }

    /// Checks the configuration and creates the verifier (no network traffic; call
    /// [`Verifier::hydrate`] to load keys).
    pub fn build(self) -> Result<Verifier, ConfigError> {
        let policy = self.claim_policy()?;
        for (name, value) in [
            ("jwks_ttl", self.jwks_ttl),
            ("jwks_max_stale", self.jwks_max_stale),
            ("connect timeout", self.connect_timeout),
            ("fetch timeout", self.fetch_timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::ZeroDuration(name));
            }
        }
        let pools = self.issuer_keys()?;
        let fetcher = Fetcher::new(self.connect_timeout, self.fetch_timeout)
            .map_err(ConfigError::HttpClient)?;
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemTime::now));
        let ctx = JwksContext {
            fetcher,
            clock,
            policy: Policy {
                ttl: self.jwks_ttl,
                cooldown: self.jwks_cooldown,
                max_stale: self.jwks_max_stale,
            },
            metrics: Arc::new(Metrics::default()),
        };
        Ok(Verifier::from_inner(Inner {
            pools,
            ctx: Arc::new(ctx),
            policy,
            custom: self.custom,
            revocation: self.revocation,
            cache: (self.token_cache_capacity > 0)
                .then(|| TokenCache::new(self.token_cache_capacity)),
        }))
    }

    fn claim_policy(&self) -> Result<ClaimPolicy, ConfigError> {
        let token_use = self.token_use.ok_or(ConfigError::MissingTokenUse)?;
        let client_ids = match (self.client_ids.is_empty(), self.skip_client_id_check) {
            (true, false) => return Err(ConfigError::MissingClientIds),
            (false, true) => return Err(ConfigError::ConflictingClientIdConfig),
            (true, true) => None,
            (false, false) => Some(self.client_ids.iter().cloned().collect::<HashSet<_>>()),
        };
        if self.leeway > MAX_LEEWAY {
            return Err(ConfigError::LeewayTooLarge(self.leeway));
        }
        if token_use == TokenUse::Id && !matches!(self.scopes, ScopeRule::Any) {
            return Err(ConfigError::ScopesOnIdTokens);
        }
        Ok(ClaimPolicy {
            token_use,
            client_ids,
            leeway_secs: self.leeway.as_secs(),
            groups: self.groups.clone(),
            scopes: self.scopes.clone(),
        })
    }

    fn issuer_keys(&self) -> Result<Vec<Arc<IssuerKeys>>, ConfigError> {
        if self.pools.is_empty() {
            return Err(ConfigError::NoPool);
        }
        let mut seen = HashSet::new();
        let mut keys = Vec::with_capacity(self.pools.len());
        for pool in &self.pools {
            if !seen.insert(pool.issuer()) {
                return Err(ConfigError::DuplicateIssuer(pool.issuer().to_owned()));
            }
            let uri = pool.jwks_uri();
            if !acceptable_jwks_uri(&uri, self.allow_http_jwks) {
                return Err(ConfigError::InsecureJwksUri(uri));
            }
            keys.push(Arc::new(IssuerKeys::new(pool.issuer().to_owned(), uri)));
        }
        Ok(keys)
    }
}

/// https anywhere; http only on loopback (or when explicitly allowed), because keys fetched in
/// clear text over a network are only as trustworthy as that network.
fn acceptable_jwks_uri(uri: &str, allow_http: bool) -> bool {
    let Ok(url) = reqwest::Url::parse(uri) else {
        return false;
    };
    match url.scheme() {
        "https" => url.host().is_some(),
        "http" => {
            allow_http
                || match url.host() {
                    Some(url::Host::Domain(d)) => d == "localhost",
                    Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                    Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                    None => false,
                }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> VerifierBuilder {
        crate::Verifier::builder()
            .pool(PoolConfig::cognito("eu-west-1", "eu-west-1_x"))
            .client_ids(["c"])
            .token_use(TokenUse::Access)
    }

    #[test]
    fn a_complete_configuration_builds() {
        assert!(base().build().is_ok());
    }

    #[test]
    fn required_settings_cannot_be_left_out() {
        let no_use = crate::Verifier::builder()
            .pool(PoolConfig::cognito("r", "p"))
            .client_ids(["c"]);
        assert!(matches!(no_use.build(), Err(ConfigError::MissingTokenUse)));
        let no_client = crate::Verifier::builder()
            .pool(PoolConfig::cognito("r", "p"))
            .token_use(TokenUse::Id);
        assert!(matches!(
            no_client.build(),
            Err(ConfigError::MissingClientIds)
        ));
        let no_pool = crate::Verifier::builder()
            .client_ids(["c"])
            .token_use(TokenUse::Id);
        assert!(matches!(no_pool.build(), Err(ConfigError::NoPool)));
        assert!(matches!(
            base().skip_client_id_check().build(),
            Err(ConfigError::ConflictingClientIdConfig)
        ));
    }

    #[test]
    fn leeway_above_five_minutes_is_refused() {
        assert!(base().leeway(Duration::from_secs(300)).build().is_ok());
        assert!(matches!(
            base().leeway(Duration::from_secs(301)).build(),
            Err(ConfigError::LeewayTooLarge(_))
        ));
    }

    #[test]
    fn plain_http_jwks_is_only_accepted_on_loopback_unless_allowed() {
        assert!(acceptable_jwks_uri("http://127.0.0.1:9/jwks", false));
        assert!(acceptable_jwks_uri("http://[::1]:9/jwks", false));
        assert!(acceptable_jwks_uri("http://localhost/jwks", false));
        assert!(!acceptable_jwks_uri("http://idp.internal/jwks", false));
        assert!(acceptable_jwks_uri("http://idp.internal/jwks", true));
        assert!(!acceptable_jwks_uri("file:///etc/jwks", true));
        let insecure = base().pool(PoolConfig::cognito("r", "p").with_jwks_uri("http://idp/k"));
        assert!(matches!(
            insecure.build(),
            Err(ConfigError::InsecureJwksUri(_))
        ));
    }

    #[test]
    fn the_same_issuer_twice_is_refused() {
        let twice = base().pool(PoolConfig::cognito("eu-west-1", "eu-west-1_x"));
        assert!(matches!(
            twice.build(),
            Err(ConfigError::DuplicateIssuer(_))
        ));
    }
}
