//! State in a data directory survives a restart and is shared by two providers at once.

use std::sync::Arc;
use std::time::SystemTime;

use local_cognito::{ManualClock, Options};

use crate::helpers::{error_of, spawn_with, ClientSpec, NEW_PASSWORD};

fn persistent(dir: &std::path::Path, clock: &ManualClock) -> Options {
    Options {
        clock: Arc::new(clock.clone()),
        ..Options::persistent(dir)
    }
}

#[tokio::test]
async fn pools_users_tokens_and_keys_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(SystemTime::now());

    let first = spawn_with(persistent(dir.path(), &clock), clock.clone()).await;
    let pool = first.create_pool(false).await;
    let client = first.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = first
        .confirmed_user(&pool, &client.id, "alice", "tenant-a")
        .await;
    let jwks_before = first
        .get_json(&format!("/{pool}/.well-known/jwks.json"))
        .await;
    first.running.shutdown().await;
    drop(first.idp);

    let second = spawn_with(persistent(dir.path(), &clock), clock.clone()).await;
    let jwks_after = second
        .get_json(&format!("/{pool}/.well-known/jwks.json"))
        .await;
    assert_eq!(
        jwks_before, jwks_after,
        "signing keys are persisted, kids are stable"
    );

    let user = second
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(user.username, "alice");
    let me = second
        .sdk
        .get_user()
        .access_token(tokens.access_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.username, "alice");
    let refreshed = second
        .refresh(&client.id, tokens.refresh_token.unwrap())
        .await
        .unwrap();
    assert!(refreshed.authentication_result.is_some());
    assert!(second
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .is_ok());
}

#[tokio::test]
async fn two_providers_on_one_data_dir_see_each_others_writes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(SystemTime::now());
    let service = spawn_with(persistent(dir.path(), &clock), clock.clone()).await;
    let cli = spawn_with(persistent(dir.path(), &clock), clock.clone()).await;

    let pool = service.create_pool(false).await;
    let client = service.create_client(&pool, ClientSpec::default()).await;
    // The "CLI" creates and confirms a user; the "service" signs them in and signs them out.
    cli.confirmed_user(&pool, &client.id, "bob", "tenant-b")
        .await;
    let tokens = service
        .admin_sign_in(&pool, &client.id, "bob", NEW_PASSWORD)
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    cli.sdk
        .admin_user_global_sign_out()
        .user_pool_id(&pool)
        .username("bob")
        .send()
        .await
        .unwrap();
    let (_, message) = error_of(
        service
            .sdk
            .get_user()
            .access_token(tokens.access_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(
        message, "Access Token has been revoked",
        "one provider sees the other's sign-out"
    );
}
