//! The verified-token cache: hits skip the RSA work, expire with the token, and never outlive
//! the key that verified them.

use std::time::Duration;

use cognito_verify::TokenUse;

use crate::support::{jwks, keys, Env};

#[tokio::test]
async fn a_repeated_token_is_served_from_the_cache() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let token = env.access().sign(&keys()[0]);

    let first = verifier.verify(&token).await.unwrap();
    let second = verifier.verify(&token).await.unwrap();

    assert!(std::sync::Arc::ptr_eq(&first, &second));
    assert_eq!(verifier.metrics().cache_hits, 1);
}

#[tokio::test]
async fn a_cached_token_is_refused_once_it_expires() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let token = env.access().sign(&keys()[0]);
    verifier.verify(&token).await.unwrap();

    env.clock.advance(Duration::from_secs(3600));

    assert_eq!(
        verifier.verify(&token).await.unwrap_err().reason(),
        "expired"
    );
}

#[tokio::test]
async fn a_cached_token_is_refused_once_its_key_leaves_the_jwks() {
    let env = Env::start().await;
    env.server.publish(jwks(&[&keys()[0], &keys()[1]]));
    let verifier = env.access_verifier().await;
    let token = env.access().sign(&keys()[0]);
    verifier.verify(&token).await.unwrap();
    env.server.publish(jwks(&[&keys()[1]]));

    verifier.hydrate().await.unwrap();

    assert_eq!(
        verifier.verify(&token).await.unwrap_err().reason(),
        "unknown_kid"
    );
}

#[tokio::test]
async fn a_cached_token_survives_a_refresh_that_keeps_its_key() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let token = env.access().sign(&keys()[0]);
    verifier.verify(&token).await.unwrap();
    env.server.publish(jwks(&[&keys()[0], &keys()[1]]));

    verifier.hydrate().await.unwrap();
    verifier.verify(&token).await.unwrap();

    assert_eq!(verifier.metrics().cache_hits, 1);
}

#[tokio::test]
async fn a_zero_capacity_disables_the_cache() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .token_cache_capacity(0)
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let token = env.access().sign(&keys()[0]);

    verifier.verify(&token).await.unwrap();
    verifier.verify(&token).await.unwrap();

    assert_eq!(verifier.metrics().cache_hits, 0);
    assert_eq!(verifier.metrics().verified, 2);
}

#[tokio::test]
async fn a_refused_token_is_never_cached() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let forged = env.access().sign(&keys()[1]);

    verifier.verify(&forged).await.unwrap_err();
    let again = verifier.verify(&forged).await.unwrap_err();

    assert_eq!(again.reason(), "invalid_signature");
    assert_eq!(verifier.metrics().cache_hits, 0);
}
