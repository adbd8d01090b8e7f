//! Groups, scopes, the custom check and the revocation hook: 403-class refusals and the
//! service's extension points.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use cognito_verify::{CheckRejection, CognitoClaims, ErrorKind, RevocationCheck, TokenUse};
use serde_json::json;

use crate::support::{keys, Env};

#[tokio::test]
async fn group_rules_accept_members_and_forbid_others() {
    let env = Env::start().await;
    let any = env
        .builder(TokenUse::Access)
        .groups_any_of(["ops", "admins"])
        .build()
        .unwrap();
    let all = env
        .builder(TokenUse::Access)
        .groups_all_of(["admins", "ops"])
        .build()
        .unwrap();
    any.hydrate().await.unwrap();
    all.hydrate().await.unwrap();
    let admin = env.access().sign(&keys()[0]);
    let nobody = env
        .access()
        .without_claim("cognito:groups")
        .sign(&keys()[0]);

    assert!(any.verify(&admin).await.is_ok());
    let err = all.verify(&admin).await.unwrap_err();
    assert_eq!(
        (err.reason(), err.kind()),
        ("insufficient_groups", ErrorKind::Forbidden)
    );
    assert_eq!(
        any.verify(&nobody).await.unwrap_err().reason(),
        "insufficient_groups"
    );
}

#[tokio::test]
async fn scope_rules_match_whole_space_separated_scopes() {
    let env = Env::start().await;
    let read = env
        .builder(TokenUse::Access)
        .scopes(["items/read"])
        .build()
        .unwrap();
    let both = env
        .builder(TokenUse::Access)
        .scopes(["items/read", "items/write"])
        .build()
        .unwrap();
    let either = env
        .builder(TokenUse::Access)
        .scopes_any_of(["items/write", "items/read"])
        .build()
        .unwrap();
    for v in [&read, &both, &either] {
        v.hydrate().await.unwrap();
    }
    let token = env.access().sign(&keys()[0]);
    let prefix_only = env
        .access()
        .claim("scope", json!("items/reader"))
        .sign(&keys()[0]);

    assert!(read.verify(&token).await.is_ok());
    assert!(either.verify(&token).await.is_ok());
    let err = both.verify(&token).await.unwrap_err();
    assert_eq!(
        (err.reason(), err.kind()),
        ("insufficient_scope", ErrorKind::Forbidden)
    );
    assert_eq!(
        read.verify(&prefix_only).await.unwrap_err().reason(),
        "insufficient_scope"
    );
}

#[tokio::test]
async fn scopes_cannot_be_required_of_id_tokens() {
    let env = Env::start().await;
    assert!(env.builder(TokenUse::Id).scopes(["x"]).build().is_err());
}

#[tokio::test]
async fn the_custom_check_can_refuse_as_invalid_or_forbidden() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .custom_check(
            |claims: &CognitoClaims| match claims.claim_str("custom:tier") {
                Some("banned") => Err(CheckRejection::invalid("banned tier")),
                Some("free") => Err(CheckRejection::forbidden("paid feature")),
                _ => Ok(()),
            },
        )
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let token = |tier: &str| {
        env.access()
            .claim("custom:tier", json!(tier))
            .sign(&keys()[0])
    };

    assert!(verifier.verify(&token("gold")).await.is_ok());
    let banned = verifier.verify(&token("banned")).await.unwrap_err();
    assert_eq!(
        (banned.reason(), banned.kind()),
        ("custom_check", ErrorKind::Invalid)
    );
    let free = verifier.verify(&token("free")).await.unwrap_err();
    assert_eq!(free.kind(), ErrorKind::Forbidden);
}

/// Revocation by `origin_jti`, switchable from the test, counting calls.
#[derive(Default)]
struct Revoked {
    on: AtomicBool,
    calls: AtomicUsize,
}

impl RevocationCheck for Revoked {
    fn is_revoked(&self, claims: &CognitoClaims) -> bool {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.on.load(Ordering::SeqCst) && claims.origin_jti() == Some("origin-1")
    }
}

#[tokio::test]
async fn revocation_is_consulted_on_every_request_including_cache_hits() {
    let env = Env::start().await;
    let hook = Arc::new(Revoked::default());
    let verifier = env
        .builder(TokenUse::Access)
        .revocation(hook.clone())
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let token = env.access().sign(&keys()[0]);

    assert!(verifier.verify(&token).await.is_ok());
    assert!(verifier.verify(&token).await.is_ok());
    assert_eq!(verifier.metrics().cache_hits, 1);
    hook.on.store(true, Ordering::SeqCst);
    let err = verifier.verify(&token).await.unwrap_err();

    assert_eq!(err.reason(), "revoked");
    assert_eq!(hook.calls.load(Ordering::SeqCst), 3);
    hook.on.store(false, Ordering::SeqCst);
    assert!(verifier.verify(&token).await.is_ok());
}
