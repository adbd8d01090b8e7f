//! NEW_PASSWORD_REQUIRED errors: bad, reused and foreign sessions; policy violations.

use crate::helpers::{error_of, spawn, ClientSpec, NEW_PASSWORD, TEMP_PASSWORD};

#[tokio::test]
async fn a_wrong_or_reused_session_is_an_invalid_session() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let respond =
        |session: String| t.respond_new_password(&pool, &client.id, "alice", session, NEW_PASSWORD);
    let (code, message) = error_of(respond("not-a-session".to_owned()).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid session for the user.")
    );

    let session = t
        .admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
        .await
        .unwrap()
        .session
        .unwrap();
    respond(session.clone()).await.unwrap();
    let (code, message) = error_of(respond(session).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid session for the user.")
    );
}

#[tokio::test]
async fn a_session_is_bound_to_its_user() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    t.create_user(&pool, "mallory", "mallory@example.com", "t")
        .await;
    let session = t
        .admin_sign_in(&pool, &client.id, "mallory", TEMP_PASSWORD)
        .await
        .unwrap()
        .session
        .unwrap();
    let (_, message) = error_of(
        t.respond_new_password(&pool, &client.id, "alice", session, NEW_PASSWORD)
            .await,
    );
    assert_eq!(message, "Invalid session for the user.");
}

#[tokio::test]
async fn a_new_password_breaking_the_policy_names_the_rule_and_the_session_stays_usable() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let session = t
        .admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
        .await
        .unwrap()
        .session
        .unwrap();
    let respond = |password: &'static str| {
        t.respond_new_password(&pool, &client.id, "alice", session.clone(), password)
    };
    let (code, message) = error_of(respond("short").await);
    assert_eq!(code, "InvalidPasswordException");
    assert!(message.contains("not long enough"), "{message}");
    let (_, message) = error_of(respond("nouppercase1!").await);
    assert!(message.contains("uppercase"), "{message}");
    assert!(respond(NEW_PASSWORD).await.is_ok());

    let (code, message) = error_of(
        t.sdk
            .admin_set_user_password()
            .user_pool_id(&pool)
            .username("alice")
            .password("NoSymbols123")
            .permanent(true)
            .send()
            .await,
    );
    assert_eq!(code, "InvalidPasswordException");
    assert!(message.contains("symbol"), "{message}");
}
