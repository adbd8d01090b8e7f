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

/// The `refresh_tokens` table as released before the Hosted UI (no scopes/chain/rotated_at).
const OLD_REFRESH_TOKENS: &str = "CREATE TABLE refresh_tokens (
    origin_jti TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL, username TEXT NOT NULL, auth_time INTEGER NOT NULL,
    event_id TEXT NOT NULL, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)";

#[tokio::test]
async fn a_data_directory_from_before_the_hosted_ui_opens_and_gains_the_new_columns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("local-cognito.sqlite3");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let old = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::raw_sql(OLD_REFRESH_TOKENS)
        .execute(&old)
        .await
        .unwrap();
    old.close().await;

    let clock = ManualClock::new(SystemTime::now());
    let t = spawn_with(persistent(dir.path(), &clock), clock.clone()).await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t
        .confirmed_user(&pool, &client.id, "alice", "tenant-a")
        .await;
    t.refresh(&client.id, tokens.refresh_token.unwrap())
        .await
        .unwrap();
    let db = sqlx::SqlitePool::connect(&url).await.unwrap();
    let columns: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM pragma_table_info('refresh_tokens')")
            .fetch_all(&db)
            .await
            .unwrap();
    for added in ["scopes", "chain", "rotated_at"] {
        assert!(columns.iter().any(|(name,)| name == added), "{added}");
    }
}
