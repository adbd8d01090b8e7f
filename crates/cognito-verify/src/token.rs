//! Untrusted token parsing: the size bound, strict base64url, the protected header and the raw
//! claims object. Nothing here decides whether a token is trusted; it only refuses what cannot be
//! a Cognito RS256 token before any key lookup or RSA work happens.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use crate::claims::Claims;
use crate::error::VerifyError;

/// Tokens longer than this are refused before any parsing. Cognito tokens are 1–2 KiB; the bound
/// caps the work an unauthenticated caller can cause.
pub(crate) const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Longest accepted `kid`. Cognito's are 44 characters (base64 of a SHA-256); the bound keeps
/// path/SQL/garbage kids from being stored or logged at length.
const MAX_KID_BYTES: usize = 128;

/// A token split and decoded, not yet verified.
#[derive(Debug)]
pub(crate) struct UnverifiedToken<'a> {
    /// The bytes the signature covers: `header.payload`, as sent.
    pub(crate) signing_input: &'a str,
    /// The decoded signature.
    pub(crate) signature: Vec<u8>,
    /// The `kid` header, already bounded and checked for printable ASCII.
    pub(crate) kid: String,
    /// The decoded claims object.
    pub(crate) claims: Claims,
}

/// The protected header. Unknown members (`typ`, `jku`, `x5u`, `jwk`, `x5c`, …) are ignored on
/// purpose: keys come only from the configured JWKS, never from the token.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    alg: Cow<'a, str>,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    crit: Present,
}

/// Records whether a member was present at all, whatever its value (`"crit": null` included).
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer)?;
        Ok(Self(true))
    }
}

/// Splits, bounds and decodes a compact JWS, checking the header policy (RS256, `kid`, no
/// `crit`) before the payload is even decoded.
pub(crate) fn parse(token: &str) -> Result<UnverifiedToken<'_>, VerifyError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(VerifyError::TokenTooLarge {
            max: MAX_TOKEN_BYTES,
        });
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::Malformed);
    };

    let header_bytes = decode(header_b64)?;
    let header: Header =
        serde_json::from_slice(&header_bytes).map_err(|_| VerifyError::MalformedHeader)?;
    if header.crit.0 {
        return Err(VerifyError::CriticalHeader);
    }
    // Exact, case-sensitive match (RFC 7515 §4.1.1): "none", "None", "HS256", "RS384", "PS256",
    // "ES256", "rs256" and anything else are all refused here.
    if header.alg != "RS256" {
        return Err(VerifyError::UnsupportedAlgorithm);
    }
    let kid = header.kid.ok_or(VerifyError::MissingKid)?;
    if kid.is_empty() || kid.len() > MAX_KID_BYTES || !kid.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(VerifyError::MissingKid);
    }

    let signature = decode(signature_b64)?;
    let payload = decode(payload_b64)?;
    let mut claims: Claims =
        serde_json::from_slice(&payload).map_err(|_| VerifyError::MalformedClaims)?;
    claims.payload = payload;

    let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];
    Ok(UnverifiedToken {
        signing_input,
        signature,
        kid,
        claims,
    })
}

/// Strict base64url: URL alphabet only (no `+`/`/`), no padding, no non-canonical trailing bits,
/// no empty segment. SIMD-accelerated: a token is about 1 KiB of base64, decoded on every
/// verification that misses the token cache.
pub(crate) fn decode(segment: &str) -> Result<Vec<u8>, VerifyError> {
    if segment.is_empty() {
        return Err(VerifyError::Malformed);
    }
    base64_simd::URL_SAFE_NO_PAD
        .decode_to_vec(segment)
        .map_err(|_| VerifyError::Malformed)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", b64(header), b64(payload), b64("sig"))
    }

    #[test]
    fn a_well_formed_token_yields_kid_claims_and_signing_input() {
        let t = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"sub":"u"}"#);
        let parsed = parse(&t).unwrap();
        assert_eq!(parsed.kid, "k1");
        assert_eq!(parsed.signature, b"sig");
        assert_eq!(parsed.claims.get("sub"), Some(&serde_json::json!("u")));
        assert_eq!(parsed.signing_input, t.rsplit_once('.').unwrap().0);
    }

    #[test]
    fn padding_and_standard_alphabet_are_refused() {
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode("+/8").unwrap_err(), VerifyError::Malformed);
        assert_eq!(decode("-_8=").unwrap_err(), VerifyError::Malformed);
        // "-_9" differs from "-_8" only in bits that do not fit a byte: non-canonical.
        assert_eq!(decode("-_9").unwrap_err(), VerifyError::Malformed);
        let good = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"sub":"u"}"#);
        assert!(parse(&good).is_ok());
        assert_eq!(
            parse(&format!("{good}=")).unwrap_err(),
            VerifyError::Malformed
        );
        assert_eq!(parse("a.b").unwrap_err(), VerifyError::Malformed);
        assert_eq!(parse("a.b.c.d").unwrap_err(), VerifyError::Malformed);
    }

    #[test]
    fn a_crit_header_is_refused_even_when_null() {
        let t = token(r#"{"alg":"RS256","kid":"k","crit":null}"#, "{}");
        assert_eq!(parse(&t).unwrap_err(), VerifyError::CriticalHeader);
    }

    #[test]
    fn duplicate_header_members_are_refused() {
        let t = token(r#"{"alg":"RS256","alg":"none","kid":"k"}"#, "{}");
        assert_eq!(parse(&t).unwrap_err(), VerifyError::MalformedHeader);
    }
}
