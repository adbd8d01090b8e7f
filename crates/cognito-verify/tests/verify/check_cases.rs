//! The refusal table of `checks.rs`: for every check of the verifier, a token that fails exactly
//! it and the stable reason code it must be refused with.

use aws_lc_rs::hmac;
use serde_json::{json, Value};

use crate::support::{b64, keys, Env, TokenSpec};

/// One refusal case: a name, how to make the token, and the expected reason code.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) token: Box<dyn Fn(&Env) -> String>,
    pub(crate) reason: &'static str,
}

fn case(
    name: &'static str,
    reason: &'static str,
    token: impl Fn(&Env) -> String + 'static,
) -> Case {
    Case {
        name,
        token: Box::new(token),
        reason,
    }
}

pub(crate) fn key_a() -> &'static crate::support::TestKey {
    &keys()[0]
}

/// A token whose header says `alg` and whose signature is `HMAC-SHA256(secret, input)`.
fn hmac_token(spec: TokenSpec, alg: &str, secret: &[u8]) -> String {
    let spec = spec.header("alg", json!(alg));
    let input = spec.signing_input();
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), input.as_bytes());
    spec.with_signature(&b64(tag.as_ref()))
}

/// A JSON value nested `depth` arrays deep.
fn nested(depth: usize) -> Value {
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    // Built as raw JSON text inside the token, not through serde (which would refuse it too).
    Value::String(text)
}

pub(crate) fn access_cases() -> Vec<Case> {
    let mut cases = vec![
        // --- algorithm ---------------------------------------------------------------------
        case("alg none with empty signature", "unsupported_alg", |e| {
            e.access().header("alg", json!("none")).with_signature("")
        }),
        case("alg RS384 signed with RS256", "unsupported_alg", |e| {
            e.access().header("alg", json!("RS384")).sign(key_a())
        }),
        case("alg RS512", "unsupported_alg", |e| {
            e.access().header("alg", json!("RS512")).sign(key_a())
        }),
        case("alg PS256", "unsupported_alg", |e| {
            e.access().header("alg", json!("PS256")).sign(key_a())
        }),
        case("alg ES256", "unsupported_alg", |e| {
            e.access().header("alg", json!("ES256")).sign(key_a())
        }),
        case("alg lower-case rs256", "unsupported_alg", |e| {
            e.access().header("alg", json!("rs256")).sign(key_a())
        }),
        case("alg missing", "malformed_header", |e| {
            e.access().without_header("alg").sign(key_a())
        }),
        case("alg not a string", "malformed_header", |e| {
            e.access().header("alg", json!(["RS256"])).sign(key_a())
        }),
        case(
            "HS256 keyed with the public modulus",
            "unsupported_alg",
            |e| hmac_token(e.access(), "HS256", &key_a().modulus()),
        ),
        case("HS256 keyed with the JWK JSON", "unsupported_alg", |e| {
            hmac_token(e.access(), "HS256", key_a().jwk().to_string().as_bytes())
        }),
        // --- keys --------------------------------------------------------------------------
        case(
            "known kid, signed by another key",
            "invalid_signature",
            |e| e.access().sign(&keys()[1]),
        ),
        case("kid not in the JWKS", "unknown_kid", |e| {
            e.access().header("kid", json!("no-such-key")).sign(key_a())
        }),
        case("kid missing", "missing_kid", |e| {
            e.access().without_header("kid").sign(key_a())
        }),
        case("kid empty", "missing_kid", |e| {
            e.access().header("kid", json!("")).sign(key_a())
        }),
        case("kid not a string", "malformed_header", |e| {
            e.access().header("kid", json!(7)).sign(key_a())
        }),
        case("kid path traversal", "unknown_kid", |e| {
            e.access()
                .header("kid", json!("../../../../etc/passwd"))
                .sign(key_a())
        }),
        case("kid SQL injection", "missing_kid", |e| {
            e.access()
                .header("kid", json!("' OR '1'='1' --"))
                .sign(key_a())
        }),
        case("kid with NUL", "missing_kid", |e| {
            e.access()
                .header("kid", json!(format!("{}\u{0}", key_a().kid)))
                .sign(key_a())
        }),
        case("kid of 8 KB", "token_too_large", |e| {
            e.access()
                .header("kid", json!("k".repeat(8 * 1024)))
                .sign(key_a())
        }),
        case("kid of 4 KB", "missing_kid", |e| {
            e.access()
                .header("kid", json!("k".repeat(4 * 1024)))
                .sign(key_a())
        }),
        case("embedded jwk of a foreign key", "unknown_kid", |e| {
            e.access()
                .header("kid", json!(keys()[2].kid))
                .header("jwk", keys()[2].jwk())
                .sign(&keys()[2])
        }),
        case("crit header", "crit_header", |e| {
            e.access()
                .header("crit", json!(["exp"]))
                .header("exp", json!(1))
                .sign(key_a())
        }),
        case("crit header, empty", "crit_header", |e| {
            e.access().header("crit", json!([])).sign(key_a())
        }),
        // --- encoding ----------------------------------------------------------------------
        case("empty string", "malformed_token", |_| String::new()),
        case("two segments", "malformed_token", |e| {
            e.access().signing_input()
        }),
        case("four segments", "malformed_token", |e| {
            format!("{}.x", e.access().sign(key_a()))
        }),
        case("padded signature", "malformed_token", |e| {
            format!("{}=", e.access().sign(key_a()))
        }),
        case("standard-alphabet signature", "malformed_token", |e| {
            let token = e.access().sign(key_a());
            let (input, sig) = token.rsplit_once('.').unwrap();
            format!("{input}.{}", sig.replace('-', "+").replace('_', "/") + "+/")
        }),
        case("header not JSON", "malformed_header", |e| {
            let token = e.access().sign(key_a());
            format!("{}.{}", b64("alg=RS256"), token.split_once('.').unwrap().1)
        }),
        case("payload not an object", "malformed_claims", |e| {
            let input = format!(
                "{}.{}",
                b64(r#"{"alg":"RS256","kid":"key-a"}"#),
                b64("[1,2]")
            );
            let _ = e;
            format!("{input}.{}", b64(key_a().sign(input.as_bytes())))
        }),
        case("1 MiB token", "token_too_large", |e| {
            e.access()
                .claim("pad", json!("x".repeat(1 << 20)))
                .sign(key_a())
        }),
        case("deeply nested claims", "malformed_claims", |_| {
            let payload = format!(r#"{{"deep":{}}}"#, nested(2000).as_str().unwrap());
            let input = format!(
                "{}.{}",
                b64(r#"{"alg":"RS256","kid":"key-a"}"#),
                b64(payload)
            );
            format!("{input}.{}", b64(key_a().sign(input.as_bytes())))
        }),
        // --- signature ---------------------------------------------------------------------
        case("payload changed after signing", "invalid_signature", |e| {
            let good = e.access().sign(key_a());
            let sig = good.rsplit_once('.').unwrap().1.to_owned();
            e.access()
                .claim("sub", json!("mallory"))
                .with_signature(&sig)
        }),
        case("signature truncated", "invalid_signature", |e| {
            let good = e.access().sign(key_a());
            let (input, _) = good.rsplit_once('.').unwrap();
            let signature = key_a().sign(input.as_bytes());
            format!("{input}.{}", b64(&signature[..signature.len() - 3]))
        }),
        case("signature empty", "malformed_token", |e| {
            e.access().with_signature("")
        }),
        // --- issuer ------------------------------------------------------------------------
        case("iss of another pool", "issuer_mismatch", |e| {
            e.access()
                .claim(
                    "iss",
                    json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other"),
                )
                .sign(key_a())
        }),
        case("iss with trailing slash", "issuer_mismatch", |e| {
            e.access()
                .claim("iss", json!(format!("{}/", e.issuer())))
                .sign(key_a())
        }),
        case("iss in upper case", "issuer_mismatch", |e| {
            e.access()
                .claim("iss", json!(e.issuer().to_uppercase()))
                .sign(key_a())
        }),
        case("iss missing", "missing_claim", |e| {
            e.access().without_claim("iss").sign(key_a())
        }),
        case("iss not a string", "invalid_claim", |e| {
            e.access().claim("iss", json!([e.issuer()])).sign(key_a())
        }),
        // --- token use and client ------------------------------------------------------------
        case("an ID token", "token_use_mismatch", |e| {
            e.id().sign(key_a())
        }),
        case("token_use missing", "missing_claim", |e| {
            e.access().without_claim("token_use").sign(key_a())
        }),
        case("token_use not a string", "invalid_claim", |e| {
            e.access().claim("token_use", json!(1)).sign(key_a())
        }),
        case("client_id of another client", "client_mismatch", |e| {
            e.access()
                .claim("client_id", json!("client-2"))
                .sign(key_a())
        }),
        case("client_id missing", "missing_claim", |e| {
            e.access().without_claim("client_id").sign(key_a())
        }),
        // --- time --------------------------------------------------------------------------
        case("exp missing", "missing_claim", |e| {
            e.access().without_claim("exp").sign(key_a())
        }),
        case("exp as a string", "invalid_claim", |e| {
            e.access()
                .claim("exp", json!((e.clock.secs() + 60).to_string()))
                .sign(key_a())
        }),
        case("exp as a float", "invalid_claim", |e| {
            e.access()
                .claim("exp", json!(e.clock.secs() as f64 + 60.5))
                .sign(key_a())
        }),
        case("exp null", "invalid_claim", |e| {
            e.access().claim("exp", Value::Null).sign(key_a())
        }),
        case("exp negative", "invalid_claim", |e| {
            e.access().claim("exp", json!(-1)).sign(key_a())
        }),
        case("exp in the past", "expired", |e| {
            e.access()
                .claim("exp", json!(e.clock.secs() - 1))
                .sign(key_a())
        }),
        case("exp exactly now", "expired", |e| {
            e.access().claim("exp", json!(e.clock.secs())).sign(key_a())
        }),
        case("nbf in the future", "not_yet_valid", |e| {
            e.access()
                .claim("nbf", json!(e.clock.secs() + 60))
                .sign(key_a())
        }),
        case("nbf as a string", "invalid_claim", |e| {
            e.access().claim("nbf", json!("0")).sign(key_a())
        }),
        case("iat in the future", "issued_in_future", |e| {
            e.access()
                .claim("iat", json!(e.clock.secs() + 60))
                .sign(key_a())
        }),
        case("iat missing", "missing_claim", |e| {
            e.access().without_claim("iat").sign(key_a())
        }),
        // --- other claim types ---------------------------------------------------------------
        case("sub as a number", "invalid_claim", |e| {
            e.access().claim("sub", json!(42)).sign(key_a())
        }),
        case("sub missing", "missing_claim", |e| {
            e.access().without_claim("sub").sign(key_a())
        }),
        case("groups as a string", "invalid_claim", |e| {
            e.access()
                .claim("cognito:groups", json!("admins"))
                .sign(key_a())
        }),
        case("groups with a number", "invalid_claim", |e| {
            e.access()
                .claim("cognito:groups", json!(["admins", 1]))
                .sign(key_a())
        }),
        case("scope as a list", "invalid_claim", |e| {
            e.access()
                .claim("scope", json!(["items/read"]))
                .sign(key_a())
        }),
    ];
    for alg in ["none", "None", "NONE", "nOnE", "", " none", "none\u{0}"] {
        cases.push(case(
            "alg none spelling, RSA-signed",
            "unsupported_alg",
            move |e| e.access().header("alg", json!(alg)).sign(key_a()),
        ));
        cases.push(case(
            "alg none spelling, unsigned",
            "unsupported_alg",
            move |e| e.access().header("alg", json!(alg)).with_signature(""),
        ));
    }
    cases
}
