//! The JWKS cache against a fake endpoint that counts fetches: rotation, the unknown-kid penalty
//! box, stale-if-error, fail-closed past the maximum age, hanging endpoints, background refresh.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_verify::{ErrorKind, TokenUse};
use serde_json::json;
use tokio::task::JoinSet;

use crate::support::{jwks, keys, Env, JwksServer, Mode};

const PAST_COOLDOWN: Duration = Duration::from_secs(11);

/// Polls `condition` for up to two seconds (background fetches run on their own schedule).
async fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    condition()
}

#[tokio::test]
async fn a_rotated_key_is_accepted_after_one_refetch() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    env.server.publish(jwks(&[&keys()[0], &keys()[1]]));
    env.clock.advance(PAST_COOLDOWN);
    let rotated = env
        .access()
        .header("kid", json!(keys()[1].kid))
        .sign(&keys()[1]);

    let claims = verifier.verify(&rotated).await;

    assert!(claims.is_ok(), "{claims:?}");
    assert_eq!(env.server.fetches(), 2);
    assert!(verifier
        .verify(&env.access().sign(&keys()[0]))
        .await
        .is_ok());
    assert_eq!(env.server.fetches(), 2);
}

#[tokio::test]
async fn a_rotated_key_within_the_cooldown_waits_for_the_window() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    env.server.publish(jwks(&[&keys()[1]]));
    let rotated = env
        .access()
        .header("kid", json!(keys()[1].kid))
        .sign(&keys()[1]);

    assert_eq!(
        verifier.verify(&rotated).await.unwrap_err().reason(),
        "unknown_kid"
    );
    assert_eq!(env.server.fetches(), 1);
    env.clock.advance(PAST_COOLDOWN);

    assert!(verifier.verify(&rotated).await.is_ok());
    assert_eq!(env.server.fetches(), 2);
}

#[tokio::test]
async fn a_flood_of_unknown_kids_reaches_the_jwks_endpoint_at_most_twice() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    env.clock.advance(PAST_COOLDOWN);
    let mut requests = JoinSet::new();

    for i in 0..200 {
        let token = env
            .access()
            .header("kid", json!(format!("bogus-{i}")))
            .sign(&keys()[0]);
        let verifier = verifier.clone();
        requests.spawn(async move { verifier.verify(&token).await });
    }
    let outcomes = requests.join_all().await;

    assert!(outcomes
        .iter()
        .all(|o| o.as_ref().unwrap_err().reason() == "unknown_kid"));
    assert!(
        env.server.fetches() <= 2,
        "{} fetches",
        env.server.fetches()
    );
    assert_eq!(verifier.metrics().rejected_for("unknown_kid"), 200);
    // Valid tokens were never disturbed by the flood.
    assert!(verifier
        .verify(&env.access().sign(&keys()[0]))
        .await
        .is_ok());
}

#[tokio::test]
async fn during_an_outage_a_warm_cache_keeps_verifying_valid_tokens() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    env.server.set_mode(Mode::Fail);
    env.clock.advance(Duration::from_secs(2 * 3600));

    let outcome = verifier.verify(&env.access().sign(&keys()[0])).await;

    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(verifier.is_ready());
    // The TTL had passed, so a background refresh was tried (and failed, retried once).
    assert!(eventually(|| verifier.metrics().jwks_fetch_failed == 1).await);
    assert_eq!(env.server.fetches(), 3);
    assert_eq!(verifier.metrics().pools[0].key_age_secs, Some(2 * 3600));
}

#[tokio::test]
async fn past_the_maximum_stale_age_verification_fails_closed_then_recovers() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .jwks_max_stale(Duration::from_secs(3 * 3600))
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let token = || env.access().sign(&keys()[0]);
    assert!(verifier.verify(&token()).await.is_ok());
    env.server.set_mode(Mode::Fail);
    env.clock.advance(Duration::from_secs(3 * 3600 + 1));

    let err = verifier.verify(&token()).await.unwrap_err();

    assert_eq!(
        (err.reason(), err.kind()),
        ("keys_unavailable", ErrorKind::Unavailable)
    );
    assert!(!verifier.is_ready());
    env.server.set_mode(Mode::Serve);
    env.clock.advance(PAST_COOLDOWN);
    assert!(verifier.verify(&token()).await.is_ok());
    assert!(verifier.is_ready());
}

#[tokio::test]
async fn a_token_cached_before_the_keys_went_stale_is_not_served_after() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .jwks_max_stale(Duration::from_secs(600))
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let token = env.access().sign(&keys()[0]);
    assert!(verifier.verify(&token).await.is_ok());
    env.server.set_mode(Mode::Fail);
    env.clock.advance(Duration::from_secs(601));

    assert_eq!(
        verifier.verify(&token).await.unwrap_err().reason(),
        "keys_unavailable"
    );
}

#[tokio::test]
async fn with_no_keys_at_all_verification_is_unavailable_not_invalid() {
    let server = JwksServer::start(jwks(&[&keys()[0]])).await;
    server.set_mode(Mode::Fail);
    let env = Env {
        server,
        clock: crate::support::FakeClock::new(),
    };
    let verifier = env.builder(TokenUse::Access).build().unwrap();

    assert!(verifier.hydrate().await.is_err());
    let err = verifier
        .verify(&env.access().sign(&keys()[0]))
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(!verifier.is_ready());
    // Hydration bypasses the cool-down but the request does not: only hydration fetched (twice,
    // with the retry).
    assert_eq!(env.server.fetches(), 2);
}

#[tokio::test]
async fn a_jwks_with_no_usable_key_keeps_the_last_good_keys() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    env.server
        .publish(json!({"keys": [{"kty": "EC", "kid": "ec", "crv": "P-256"}]}));

    assert!(verifier.hydrate().await.is_err());

    assert!(verifier
        .verify(&env.access().sign(&keys()[0]))
        .await
        .is_ok());
}

#[tokio::test]
async fn a_hanging_jwks_rejects_unknown_kids_within_the_timeout_while_valid_tokens_work() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .jwks_fetch_timeouts(Duration::from_millis(200), Duration::from_millis(300))
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    env.server.set_mode(Mode::Hang);
    env.clock.advance(PAST_COOLDOWN);
    let unknown = env
        .access()
        .header("kid", json!("rotated-away"))
        .sign(&keys()[0]);
    let valid = env.access().sign(&keys()[0]);

    let started = Instant::now();
    let pending = tokio::spawn({
        let verifier = verifier.clone();
        async move { verifier.verify(&unknown).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let valid_started = Instant::now();
    let valid_outcome = verifier.verify(&valid).await;
    let valid_elapsed = valid_started.elapsed();
    let unknown_outcome = pending.await.unwrap();
    let unknown_elapsed = started.elapsed();

    assert!(valid_outcome.is_ok());
    assert!(
        valid_elapsed < Duration::from_millis(100),
        "{valid_elapsed:?}"
    );
    assert_eq!(unknown_outcome.unwrap_err().reason(), "unknown_kid");
    // Two attempts of 300 ms plus the 100 ms retry pause, with slack for a loaded machine.
    assert!(
        unknown_elapsed < Duration::from_millis(1500),
        "{unknown_elapsed:?}"
    );
    assert_eq!(env.server.fetches(), 3);
}

#[tokio::test]
async fn the_background_refresh_drops_keys_removed_from_the_jwks() {
    let env = Env::start().await;
    env.server.publish(jwks(&[&keys()[0], &keys()[1]]));
    let verifier = Arc::new(
        env.builder(TokenUse::Access)
            .jwks_cooldown(Duration::from_millis(100))
            .build()
            .unwrap(),
    );
    verifier.hydrate().await.unwrap();
    let token_b = env
        .access()
        .header("kid", json!(keys()[1].kid))
        .sign(&keys()[1]);
    assert!(verifier.verify(&token_b).await.is_ok());
    let refresh = verifier.spawn_refresh();
    env.server.publish(jwks(&[&keys()[0]]));

    env.clock.advance(Duration::from_secs(3601));
    assert!(eventually(|| env.server.fetches() == 2).await);
    assert!(eventually(|| verifier.metrics().pools[0].keys == 1).await);
    let err = verifier.verify(&token_b).await.unwrap_err();

    assert_eq!(err.reason(), "unknown_kid");
    assert!(verifier
        .verify(&env.access().sign(&keys()[0]))
        .await
        .is_ok());
    refresh.abort();
}

#[tokio::test]
async fn metrics_count_fetches_outcomes_and_key_age() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let token = env.access().sign(&keys()[0]);
    verifier.verify(&token).await.unwrap();
    verifier.verify(&token).await.unwrap();
    verifier.verify("garbage").await.unwrap_err();
    env.clock.advance(Duration::from_secs(42));

    let m = verifier.metrics();

    assert_eq!((m.verified, m.cache_hits), (2, 1));
    assert_eq!(m.rejected_for("malformed_token"), 1);
    assert_eq!((m.jwks_fetch_ok, m.jwks_fetch_failed), (1, 0));
    assert_eq!(m.pools[0].key_age_secs, Some(42));
    assert_eq!(m.pools[0].keys, 1);
}
