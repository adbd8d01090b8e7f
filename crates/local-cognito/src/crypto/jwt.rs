//! Compact RS256 JWTs: signing claims and verifying a token's signature.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, RsaPublicKeyComponents};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::keys::{SigningKey, SigningKeys};

/// Why a token was not accepted.
#[derive(Debug, thiserror::Error)]
pub(crate) enum JwtError {
    /// Not three base64url JSON parts, or a header we do not issue.
    #[error("malformed token")]
    Malformed,
    /// The kid is not one of ours or the signature does not verify.
    #[error("bad signature")]
    BadSignature,
    /// Signing failed (should not happen with a valid key).
    #[error("signing failed")]
    Signing,
}

/// Signs `claims` with `key`, with the header Cognito uses (`kid`, `alg`).
pub(crate) fn sign(key: &SigningKey, claims: &Map<String, Value>) -> Result<String, JwtError> {
    let header = json!({ "kid": key.jwk.kid, "alg": "RS256" });
    let header = serde_json::to_vec(&header).map_err(|_| JwtError::Signing)?;
    let payload = serde_json::to_vec(claims).map_err(|_| JwtError::Signing)?;
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut signature = vec![0_u8; key.pair.public_modulus_len()];
    key.pair
        .sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signing_input.as_bytes(),
            &mut signature,
        )
        .map_err(|_| JwtError::Signing)?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

fn decode_json(part: &str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

/// Verifies the signature against our keys and returns the claims; expiry is the caller's job.
pub(crate) fn verify(token: &str, keys: &SigningKeys) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header_json = decode_json(header)?;
    if header_json.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::Malformed);
    }
    let kid = header_json
        .get("kid")
        .and_then(Value::as_str)
        .ok_or(JwtError::Malformed)?;
    let key = keys.by_kid(kid).ok_or(JwtError::BadSignature)?;
    let signature = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| JwtError::Malformed)?;
    let n = URL_SAFE_NO_PAD
        .decode(&key.jwk.n)
        .map_err(|_| JwtError::Malformed)?;
    let e = URL_SAFE_NO_PAD
        .decode(&key.jwk.e)
        .map_err(|_| JwtError::Malformed)?;
    let signing_input = &token[..header.len() + 1 + payload.len()];
    RsaPublicKeyComponents { n, e }
        .verify(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &signature,
        )
        .map_err(|_| JwtError::BadSignature)?;
    decode_json(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keys::generate_pkcs8;

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let keys = SigningKeys {
            id: SigningKey::from_pkcs8(&generate_pkcs8().unwrap()).unwrap(),
            access: SigningKey::from_pkcs8(&generate_pkcs8().unwrap()).unwrap(),
        };
        let mut claims = Map::new();
        claims.insert("sub".into(), json!("abc"));
        let token = sign(&keys.access, &claims).unwrap();
        assert_eq!(verify(&token, &keys).unwrap()["sub"], "abc");

        let mut forged = Map::new();
        forged.insert("sub".into(), json!("evil"));
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        let parts: Vec<&str> = token.split('.').collect();
        let tampered = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert!(matches!(
            verify(&tampered, &keys),
            Err(JwtError::BadSignature)
        ));
        assert!(matches!(verify("a.b", &keys), Err(JwtError::Malformed)));
    }
}
