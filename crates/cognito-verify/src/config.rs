//! What a verifier trusts: the token use it accepts ([`TokenUse`]) and the user pools whose keys
//! it fetches ([`PoolConfig`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kind of Cognito token a verifier accepts, matched against the `token_use` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenUse {
    /// Access tokens (`token_use: "access"`), audience in `client_id`.
    Access,
    /// ID tokens (`token_use: "id"`), audience in `aud`.
    Id,
}

impl TokenUse {
    /// The claim value Cognito writes for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Id => "id",
        }
    }
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string was neither `access` nor `id`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token use must be `access` or `id`, got `{0}`")]
pub struct ParseTokenUseError(String);

impl FromStr for TokenUse {
    type Err = ParseTokenUseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "access" => Ok(Self::Access),
            "id" => Ok(Self::Id),
            other => Err(ParseTokenUseError(other.to_owned())),
        }
    }
}

/// One user pool: the exact issuer to accept and where its JWKS lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolConfig {
    issuer: String,
    /// `None` means "`{issuer}/.well-known/jwks.json`", so overriding the issuer moves it along.
    jwks_uri: Option<String>,
}

impl PoolConfig {
    /// A Cognito user pool: issuer `https://cognito-idp.{region}.amazonaws.com/{pool_id}`, JWKS at
    /// `{issuer}/.well-known/jwks.json`.
    pub fn cognito(region: &str, pool_id: &str) -> Self {
        Self {
            issuer: format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}"),
            jwks_uri: None,
        }
    }

    /// Replaces the issuer (local IdPs and emulators issue under their own URL). Unless
    /// [`Self::with_jwks_uri`] is also used, the JWKS URI follows the new issuer.
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// Fetches the JWKS from `uri` instead of the issuer's well-known location.
    pub fn with_jwks_uri(mut self, uri: impl Into<String>) -> Self {
        self.jwks_uri = Some(uri.into());
        self
    }

    /// The exact `iss` value tokens of this pool must carry.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Where the pool's signing keys are fetched from.
    pub fn jwks_uri(&self) -> String {
        match &self.jwks_uri {
            Some(uri) => uri.clone(),
            None => format!("{}/.well-known/jwks.json", self.issuer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_pool_derives_issuer_and_jwks_uri() {
        let pool = PoolConfig::cognito("eu-west-1", "eu-west-1_AbC");
        assert_eq!(
            pool.issuer(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
        );
        assert_eq!(
            pool.jwks_uri(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json"
        );
    }

    #[test]
    fn jwks_uri_follows_an_overridden_issuer_unless_overridden_itself() {
        let pool = PoolConfig::cognito("r", "p").with_issuer("http://127.0.0.1:9/p");
        assert_eq!(
            pool.jwks_uri(),
            "http://127.0.0.1:9/p/.well-known/jwks.json"
        );
        let pool = pool.with_jwks_uri("http://127.0.0.1:9/keys");
        assert_eq!(pool.jwks_uri(), "http://127.0.0.1:9/keys");
        assert_eq!(pool.issuer(), "http://127.0.0.1:9/p");
    }

    #[test]
    fn token_use_round_trips_through_strings_and_serde() {
        assert_eq!("access".parse::<TokenUse>(), Ok(TokenUse::Access));
        assert_eq!("id".parse::<TokenUse>(), Ok(TokenUse::Id));
        assert!("Access".parse::<TokenUse>().is_err());
        assert_eq!(TokenUse::Id.to_string(), "id");
        assert_eq!(
            serde_json::to_string(&TokenUse::Access).unwrap(),
            "\"access\""
        );
        let parsed: TokenUse = serde_json::from_str("\"id\"").unwrap();
        assert_eq!(parsed, TokenUse::Id);
    }
}
