//! Conformance: one scenario against `local-cognito` and against a moto server
//! (`MOTO_ENDPOINT`), compared step by step. Known moto deviations are asserted, so the list
//! stays honest: when moto is fixed, the test says so.
//! Run through `.ci/moto.sh`, or with
//! `MOTO_ENDPOINT=http://127.0.0.1:PORT cargo test -p local-cognito --features moto-conformance --test moto_conformance`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod scenario;

use local_cognito::{LocalCognito, Options};

/// A step where moto is known to differ from Cognito (and local-cognito): the step, the
/// outcome moto shows, and why it is wrong.
struct Deviation {
    step: &'static str,
    moto_outcome: &'static str,
    reason: &'static str,
}

const KNOWN_MOTO_DEVIATIONS: &[Deviation] = &[
    Deviation {
        step: "admin sign-in without SECRET_HASH",
        moto_outcome: "ok",
        reason: "moto does not check SECRET_HASH on admin sign-in; Cognito answers \
                 NotAuthorizedException for a client with a secret",
    },
    Deviation {
        step: "respond with a bad session",
        moto_outcome: "error ResourceNotFoundException",
        reason: "Cognito answers NotAuthorizedException \"Invalid session for the user.\"",
    },
    Deviation {
        step: "access token claim names",
        moto_outcome: r#"claims {"auth_time", "client_id", "exp", "iat", "iss", "jti", "origin_jti", "scope", "sub", "token_use", "username"}"#,
        reason: "moto's access tokens lack event_id and version (Cognito sends both)",
    },
    Deviation {
        step: "id token claim names",
        moto_outcome: r#"claims {"aud", "auth_time", "cognito:username", "custom:tenant_id", "exp", "iat", "iss", "jti", "origin_jti", "sub", "token_use"}"#,
        reason: "moto's id tokens lack event_id and the standard attributes such as email",
    },
    Deviation {
        step: "garbage refresh token",
        moto_outcome: "error <no code>",
        reason: "moto crashes with an HTML 500 page; Cognito answers NotAuthorizedException \
                 \"Invalid Refresh Token\"",
    },
];

#[tokio::test]
async fn local_cognito_and_moto_agree_step_by_step_except_for_known_moto_deviations() {
    let moto = std::env::var("MOTO_ENDPOINT").unwrap_or_else(|_| {
        panic!(
            "MOTO_ENDPOINT is not set: start `python3 -m moto.server -H 127.0.0.1 -p PORT` and \
             set MOTO_ENDPOINT=http://127.0.0.1:PORT (or run .ci/moto.sh)"
        )
    });
    let idp = LocalCognito::open(Options::in_memory()).await.unwrap();
    let running = idp.start("127.0.0.1:0".parse().unwrap()).await.unwrap();

    let local = scenario::run(&running.base_url()).await;
    let theirs = scenario::run(&moto).await;
    running.shutdown().await;

    assert_eq!(local.len(), theirs.len());
    let mut problems = Vec::new();
    for (ours, moto) in local.iter().zip(&theirs) {
        assert_eq!(ours.name, moto.name);
        match KNOWN_MOTO_DEVIATIONS.iter().find(|d| d.step == ours.name) {
            Some(deviation) => {
                if moto.outcome != deviation.moto_outcome {
                    problems.push(format!(
                        "{}: listed as a moto deviation ({}) showing {:?}, but moto now shows {:?} \
                         (local-cognito: {:?}); update KNOWN_MOTO_DEVIATIONS",
                        ours.name, deviation.reason, deviation.moto_outcome, moto.outcome, ours.outcome
                    ));
                }
                if moto.outcome == ours.outcome {
                    problems.push(format!(
                        "{}: moto no longer deviates; remove it from the list",
                        ours.name
                    ));
                }
            }
            None if ours.outcome != moto.outcome => problems.push(format!(
                "{}: local-cognito {:?} but moto {:?}",
                ours.name, ours.outcome, moto.outcome
            )),
            None => {}
        }
    }
    for step in &local {
        println!("{:<45} {}", step.name, step.outcome);
    }
    assert!(
        problems.is_empty(),
        "conformance problems:\n{}",
        problems.join("\n")
    );
}
