//! Table-driven refusals: every check of the verifier, each with a token that fails exactly it
//! and the stable reason code it must be refused with.

use cognito_verify::{ErrorKind, TokenUse};
use serde_json::json;

use crate::check_cases::{access_cases, key_a};
use crate::support::{keys, Env};

#[tokio::test]
async fn every_access_token_check_refuses_with_its_reason_code() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let mut failures = Vec::new();

    for case in access_cases() {
        let token = (case.token)(&env);
        match verifier.verify(&token).await {
            Ok(_) => failures.push(format!("{}: accepted", case.name)),
            Err(e) if e.reason() != case.reason => {
                failures.push(format!(
                    "{}: {} instead of {}",
                    case.name,
                    e.reason(),
                    case.reason
                ));
            }
            Err(e) => assert_eq!(e.kind(), ErrorKind::Invalid, "{}", case.name),
        }
    }

    assert!(failures.is_empty(), "{failures:#?}");
    // None of these tokens reached anything but the configured JWKS (hydration only: the
    // unknown kids fell in the cool-down window).
    assert_eq!(env.server.fetches(), 1);
}

#[tokio::test]
async fn id_token_checks_use_aud_and_refuse_lists() {
    let env = Env::start().await;
    let verifier = env.builder(TokenUse::Id).build().unwrap();
    verifier.hydrate().await.unwrap();
    let cases = [
        (
            "aud of another client",
            env.id().claim("aud", json!("client-2")),
            "client_mismatch",
        ),
        (
            "aud as a list",
            env.id().claim("aud", json!(["client-1"])),
            "invalid_claim",
        ),
        (
            "aud missing",
            env.id().without_claim("aud"),
            "missing_claim",
        ),
        ("an access token", env.access(), "token_use_mismatch"),
    ];

    for (name, spec, reason) in cases {
        let err = verifier.verify(&spec.sign(key_a())).await.unwrap_err();
        assert_eq!(err.reason(), reason, "{name}");
    }
    assert!(verifier.verify(&env.id().sign(key_a())).await.is_ok());
}

#[tokio::test]
async fn jku_x5u_and_x5c_headers_are_ignored_and_never_fetched() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let elsewhere = format!("{}/attacker/jwks.json", env.server.base);
    let token = env
        .access()
        .header("jku", json!(elsewhere))
        .header("x5u", json!(elsewhere))
        .header("x5c", json!(["MIIB"]))
        .sign(key_a());
    let foreign = env
        .access()
        .header("kid", json!("attacker-key"))
        .header("jku", json!(elsewhere))
        .sign(&keys()[2]);

    assert!(verifier.verify(&token).await.is_ok());
    assert_eq!(
        verifier.verify(&foreign).await.unwrap_err().reason(),
        "unknown_kid"
    );
    assert_eq!(env.server.other_requests(), 0);
}

#[tokio::test]
async fn leeway_accepts_small_clock_skew_and_no_more() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .leeway(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let now = env.clock.secs();
    let ok = [
        env.access().claim("exp", json!(now - 29)),
        env.access().claim("nbf", json!(now + 30)),
        env.access().claim("iat", json!(now + 30)),
    ];
    let refused = [
        (env.access().claim("exp", json!(now - 30)), "expired"),
        (env.access().claim("nbf", json!(now + 31)), "not_yet_valid"),
        (
            env.access().claim("iat", json!(now + 31)),
            "issued_in_future",
        ),
    ];

    for spec in ok {
        assert!(verifier.verify(&spec.sign(key_a())).await.is_ok());
    }
    for (spec, reason) in refused {
        assert_eq!(
            verifier
                .verify(&spec.sign(key_a()))
                .await
                .unwrap_err()
                .reason(),
            reason
        );
    }
}
