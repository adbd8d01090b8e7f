//! Expiry driven by the injected clock: sessions, temporary passwords, access and refresh tokens.

use std::time::Duration;

use crate::helpers::{error_of, spawn, ClientSpec, NEW_PASSWORD, TEMP_PASSWORD};

#[tokio::test]
async fn a_challenge_session_expires_after_three_minutes() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let respond =
        |session: String| t.respond_new_password(&pool, &client.id, "alice", session, NEW_PASSWORD);
    let sign_in = || t.admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD);

    let stale = sign_in().await.unwrap().session.unwrap();
    t.clock.advance(Duration::from_secs(181));
    let (code, message) = error_of(respond(stale).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid session for the user.")
    );

    let fresh = sign_in().await.unwrap().session.unwrap();
    t.clock.advance(Duration::from_secs(170));
    assert!(
        respond(fresh).await.is_ok(),
        "a session younger than 3 minutes still works"
    );
}

#[tokio::test]
async fn a_temporary_password_expires_after_seven_days() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    t.clock.advance(Duration::from_secs(6 * 86_400));
    assert!(t
        .admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
        .await
        .is_ok());
    t.clock.advance(Duration::from_secs(2 * 86_400));
    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    assert!(
        message.contains("Temporary password has expired"),
        "{message}"
    );
}

#[tokio::test]
async fn an_access_token_expires_after_its_validity() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    let access = tokens.access_token.unwrap();
    t.clock.advance(Duration::from_secs(3_500));
    assert!(t.sdk.get_user().access_token(&access).send().await.is_ok());
    t.clock.advance(Duration::from_secs(200));
    let (code, message) = error_of(t.sdk.get_user().access_token(&access).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Access Token has expired")
    );
}

#[tokio::test]
async fn a_refresh_token_expires_after_thirty_days() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    let refresh_token = tokens.refresh_token.unwrap();
    let refresh = || t.refresh(&client.id, &refresh_token);
    t.clock.advance(Duration::from_secs(29 * 86_400));
    assert!(refresh().await.is_ok());
    t.clock.advance(Duration::from_secs(2 * 86_400));
    let (code, message) = error_of(refresh().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has expired")
    );
}
