//! RSA-2048 signing keys (one for id tokens, one for access tokens) and their public JWKs.

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// Which tokens a key signs; stored as the key's row name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyPurpose {
    /// Signs id tokens.
    Id,
    /// Signs access tokens.
    Access,
}

impl KeyPurpose {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

/// A public key in JWKS form, with the members Cognito publishes.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Jwk {
    pub(crate) alg: &'static str,
    pub(crate) e: String,
    pub(crate) kid: String,
    pub(crate) kty: &'static str,
    pub(crate) n: String,
    #[serde(rename = "use")]
    pub(crate) use_: &'static str,
}

/// One signing key: the private key and its published public half.
#[derive(Debug)]
pub(crate) struct SigningKey {
    pub(crate) pair: RsaKeyPair,
    pub(crate) jwk: Jwk,
}

/// Why a key could not be made or loaded.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct KeyError(String);

/// Generates a new RSA-2048 key and returns it as PKCS#8 DER, the form it is persisted in.
pub(crate) fn generate_pkcs8() -> Result<Vec<u8>, KeyError> {
    let pair = RsaKeyPair::generate(KeySize::Rsa2048)
        .map_err(|_| KeyError("RSA key generation failed".to_owned()))?;
    let der = pair
        .as_der()
        .map_err(|_| KeyError("PKCS#8 encoding failed".to_owned()))?;
    Ok(der.as_ref().to_vec())
}

impl SigningKey {
    /// Parses a persisted key; the kid is a hash of the public key, so it is stable across
    /// restarts without being stored.
    pub(crate) fn from_pkcs8(der: &[u8]) -> Result<Self, KeyError> {
        let pair = RsaKeyPair::from_pkcs8(der)
            .map_err(|rejected| KeyError(format!("stored key rejected: {rejected}")))?;
        let public = pair.public_key();
        let n = public.modulus().big_endian_without_leading_zero().to_vec();
        let e = public.exponent().big_endian_without_leading_zero().to_vec();
        let mut digest = Sha256::new();
        digest.update(&n);
        digest.update(&e);
        let kid = URL_SAFE_NO_PAD.encode(&digest.finalize()[..24]);
        let jwk = Jwk {
            alg: "RS256",
            e: URL_SAFE_NO_PAD.encode(e),
            kid,
            kty: "RSA",
            n: URL_SAFE_NO_PAD.encode(n),
            use_: "sig",
        };
        Ok(Self { pair, jwk })
    }
}

/// Both signing keys, loaded once at start; they never change afterwards.
#[derive(Debug)]
pub(crate) struct SigningKeys {
    pub(crate) id: SigningKey,
    pub(crate) access: SigningKey,
}

impl SigningKeys {
    /// The key with the given kid, for verifying tokens.
    pub(crate) fn by_kid(&self, kid: &str) -> Option<&SigningKey> {
        [&self.id, &self.access]
            .into_iter()
            .find(|key| key.jwk.kid == kid)
    }

    /// The JWKS document served for every pool.
    pub(crate) fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [self.id.jwk, self.access.jwk] })
    }
}
