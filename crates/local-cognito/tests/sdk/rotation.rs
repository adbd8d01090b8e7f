//! Refresh-token rotation through GetTokensFromRefreshToken: one redemption wins a race, a
//! retry inside the grace period moves the family on instead of forking it, and reuse after
//! the grace period revokes the whole family.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use local_cognito::{ManualClock, Options};

use crate::helpers::{error_of, spawn, spawn_with, ClientSpec, TestIdp};

/// A pool, a client rotating with `grace`, and a confirmed user's first refresh and access
/// tokens.
async fn signed_in(t: &TestIdp, grace: i32) -> (String, String, String) {
    let pool = t.create_pool(false).await;
    let spec = ClientSpec {
        rotation_grace: Some(grace),
        ..ClientSpec::default()
    };
    let client = t.create_client(&pool, spec).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    (
        client.id,
        tokens.refresh_token.unwrap(),
        tokens.access_token.unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_redemptions_of_one_token_without_grace_yield_exactly_one_new_token() {
    // Arrange: a data directory, so the redemptions run on several SQLite connections at once.
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(SystemTime::now());
    let options = Options {
        clock: Arc::new(clock.clone()),
        ..Options::persistent(dir.path())
    };
    let t = spawn_with(options, clock).await;
    let (client, first, _) = signed_in(&t, 0).await;

    // Act: eight redemptions of the same token at once.
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (sdk, client, first) = (t.sdk.clone(), client.clone(), first.clone());
        attempts.spawn(async move {
            let call = sdk.get_tokens_from_refresh_token().client_id(client);
            call.refresh_token(first).send().await
        });
    }
    let results = attempts.join_all().await;

    // Assert: one winner; the others are refused without harming the family.
    let winners: Vec<String> = results
        .iter()
        .filter_map(|result| result.as_ref().ok())
        .map(|output| output.authentication_result.clone().unwrap())
        .map(|tokens| tokens.refresh_token.unwrap())
        .collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for result in results.into_iter().filter(Result::is_err) {
        let (code, message) = error_of(result);
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("NotAuthorizedException", "Invalid Refresh Token")
        );
    }
    // Grace 0: the old token is dead at once (same second), and the one new token lives.
    let (code, _) = error_of(t.tokens_from_refresh(&client, &first).await);
    assert_eq!(code, "NotAuthorizedException");
    let next = t.tokens_from_refresh(&client, &winners[0]).await.unwrap();
    assert!(next.refresh_token.is_some());
}

#[tokio::test]
async fn a_retry_inside_the_grace_period_moves_the_family_on_instead_of_forking_it() {
    let t = spawn().await;
    let (client, first, _) = signed_in(&t, 10).await;
    let second = t.tokens_from_refresh(&client, &first).await.unwrap();
    let second = second.refresh_token.unwrap();

    // A retry with the first token inside its grace period succeeds: a new generation...
    t.clock.advance(Duration::from_secs(5));
    let retried = t.tokens_from_refresh(&client, &first).await.unwrap();
    let retried = retried.refresh_token.unwrap();
    assert_ne!(retried, second);

    // ...that replaced the second as the family's current token: once the grace periods are
    // over, the retried token refreshes and the second one is a reuse that ends the family.
    t.clock.advance(Duration::from_secs(11));
    let third = t.tokens_from_refresh(&client, &retried).await.unwrap();
    let third = third.refresh_token.unwrap();
    let (code, message) = error_of(t.tokens_from_refresh(&client, &second).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );
    let (code, message) = error_of(t.tokens_from_refresh(&client, &third).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
}

#[tokio::test]
async fn reuse_after_the_grace_period_revokes_the_newest_token_and_its_access_tokens() {
    let t = spawn().await;
    let (client, first, _) = signed_in(&t, 10).await;
    let newest = t.tokens_from_refresh(&client, &first).await.unwrap();

    t.clock.advance(Duration::from_secs(10));
    let (code, message) = error_of(t.tokens_from_refresh(&client, &first).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );

    let (code, message) = error_of(
        t.tokens_from_refresh(&client, newest.refresh_token.unwrap())
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
    let (code, message) = error_of(
        t.sdk
            .get_user()
            .access_token(newest.access_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Access Token has been revoked")
    );
}
