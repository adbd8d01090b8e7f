//! One JWKS entry turned into a ready-to-verify RSA key, parsed once when the JWKS is fetched so
//! that no request pays for key conversion.

use std::sync::atomic::{AtomicBool, Ordering};

use aws_lc_rs::signature::{ParsedPublicKey, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde::Deserialize;

/// RSA moduli below 2048 bits are refused outright (aws-lc-rs would refuse them at verify time
/// anyway; refusing at load keeps them out of the cache). 8192 bits is the backend's maximum.
const MIN_MODULUS_BYTES: usize = 256;
const MAX_MODULUS_BYTES: usize = 1024;
/// Real exponents are 3 bytes (65537); anything longer than a u64 is garbage.
const MAX_EXPONENT_BYTES: usize = 8;

/// A signing key from an issuer's JWKS.
pub(crate) struct VerifyingKey {
    key: ParsedPublicKey,
    /// Kept to recognise the same key across refreshes (a cached token stays valid then).
    modulus: Vec<u8>,
    exponent: Vec<u8>,
    /// Set once the key disappears from (or changes in) the JWKS, so that tokens verified with it
    /// earlier stop being served from the token cache.
    retired: AtomicBool,
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("modulus_bits", &(self.modulus.len() * 8))
            .field("retired", &self.is_retired())
            .finish_non_exhaustive()
    }
}

impl VerifyingKey {
    /// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) verification of `signature` over `message`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.key.verify_sig(message, signature).is_ok()
    }

    /// Whether both keys have the same public material.
    pub(crate) fn same_material(&self, other: &Self) -> bool {
        self.modulus == other.modulus && self.exponent == other.exponent
    }

    /// Marks the key as no longer published.
    pub(crate) fn retire(&self) {
        self.retired.store(true, Ordering::Release);
    }

    /// Whether the key has been removed from its JWKS.
    pub(crate) fn is_retired(&self) -> bool {
        self.retired.load(Ordering::Acquire)
    }
}

/// The members of a JWK this crate looks at; all others are ignored.
#[derive(Deserialize)]
struct Jwk {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
}

/// Turns one JWKS entry into `(kid, key)`, or says why it is unusable. Unusable entries are
/// skipped rather than failing the whole set: a JWKS may legitimately hold keys for other uses.
pub(crate) fn parse_jwk(value: &serde_json::Value) -> Result<(String, VerifyingKey), String> {
    let jwk = Jwk::deserialize(value).map_err(|e| format!("not a JWK: {e}"))?;
    if jwk.kty != "RSA" {
        return Err(format!("kty {} is not RSA", jwk.kty));
    }
    if jwk.use_.as_deref().is_some_and(|u| u != "sig") {
        return Err("use is not sig".to_owned());
    }
    if jwk.alg.as_deref().is_some_and(|a| a != "RS256") {
        return Err("alg is not RS256".to_owned());
    }
    let kid = jwk.kid.filter(|k| !k.is_empty()).ok_or("no kid")?;
    let modulus = decode_unsigned(jwk.n.as_deref().ok_or("no n")?, "n")?;
    let exponent = decode_unsigned(jwk.e.as_deref().ok_or("no e")?, "e")?;
    if !(MIN_MODULUS_BYTES..=MAX_MODULUS_BYTES).contains(&modulus.len()) {
        return Err(format!(
            "modulus of {} bits is out of range",
            modulus.len() * 8
        ));
    }
    if exponent.len() > MAX_EXPONENT_BYTES {
        return Err("exponent is too long".to_owned());
    }
    let key = RsaPublicKeyComponents {
        n: &modulus,
        e: &exponent,
    }
    .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
    .map_err(|e| format!("key rejected: {e}"))?;
    Ok((
        kid,
        VerifyingKey {
            key,
            modulus,
            exponent,
            retired: AtomicBool::new(false),
        },
    ))
}

/// Strict base64url of a big-endian unsigned integer; leading zero bytes (which some JWKS
/// producers emit despite RFC 7518) are stripped because the backend refuses them.
fn decode_unsigned(b64: &str, name: &str) -> Result<Vec<u8>, String> {
    let bytes = crate::token::decode(b64).map_err(|_| format!("{name} is not strict base64url"))?;
    let start = bytes
        .iter()
        .position(|&b| b != 0)
        .ok_or(format!("{name} is zero"))?;
    Ok(bytes[start..].to_vec())
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use serde_json::json;

    use super::*;

    #[test]
    fn non_rsa_non_sig_and_non_rs256_keys_are_skipped() {
        let n = URL_SAFE_NO_PAD.encode([0xc1_u8; 256]);
        let cases = [
            json!({"kty": "EC", "kid": "a", "n": n, "e": "AQAB"}),
            json!({"kty": "RSA", "kid": "a", "use": "enc", "n": n, "e": "AQAB"}),
            json!({"kty": "RSA", "kid": "a", "alg": "RS512", "n": n, "e": "AQAB"}),
            json!({"kty": "RSA", "n": n, "e": "AQAB"}),
            json!({"kty": "RSA", "kid": "a", "n": URL_SAFE_NO_PAD.encode([0xc1_u8; 128]), "e": "AQAB"}),
            json!({"kty": "RSA", "kid": "a", "n": format!("{n}="), "e": "AQAB"}),
        ];
        for case in cases {
            assert!(parse_jwk(&case).is_err(), "{case} should be refused");
        }
    }
}
