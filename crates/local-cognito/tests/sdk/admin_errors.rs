//! Errors of the administrative operations and of tokens presented by clients.

use crate::helpers::{attribute, error_of, spawn, ClientSpec, TEMP_PASSWORD};

#[tokio::test]
async fn attributes_outside_the_schema_are_rejected_and_the_schema_is_described() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let (code, message) = error_of(
        t.sdk
            .admin_create_user()
            .user_pool_id(&pool)
            .username("alice")
            .temporary_password(TEMP_PASSWORD)
            .user_attributes(attribute("custom:nope", "x"))
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("custom:nope"), "{message}");

    let described = t
        .sdk
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let schema = described.user_pool.unwrap().schema_attributes.unwrap();
    let tenant = schema
        .iter()
        .find(|a| a.name.as_deref() == Some("custom:tenant_id"))
        .expect("custom attribute in schema");
    assert_eq!(tenant.mutable, Some(true));
    assert!(schema.iter().any(|a| a.name.as_deref() == Some("email")));
}

#[tokio::test]
async fn a_second_user_with_the_same_username_already_exists() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let (code, _) = error_of(
        t.sdk
            .admin_create_user()
            .user_pool_id(&pool)
            .username("alice")
            .temporary_password(TEMP_PASSWORD)
            .send()
            .await,
    );
    assert_eq!(code, "UsernameExistsException");
}

#[tokio::test]
async fn operations_on_unknown_users_and_pools_name_what_is_missing() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let (code, message) = error_of(
        t.sdk
            .admin_get_user()
            .user_pool_id(&pool)
            .username("ghost")
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UserNotFoundException", "User does not exist.")
    );
    let (code, _) = error_of(
        t.sdk
            .admin_delete_user()
            .user_pool_id(&pool)
            .username("ghost")
            .send()
            .await,
    );
    assert_eq!(code, "UserNotFoundException");
    let (code, _) = error_of(
        t.sdk
            .describe_user_pool()
            .user_pool_id("us-east-1_missing00")
            .send()
            .await,
    );
    assert_eq!(code, "ResourceNotFoundException");
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let (code, _) = error_of(
        t.sdk
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username("alice")
            .group_name("no-such-group")
            .send()
            .await,
    );
    assert_eq!(code, "ResourceNotFoundException");
}

#[tokio::test]
async fn a_garbage_refresh_token_is_invalid() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (code, message) = error_of(t.refresh(&client.id, "garbage").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );
}

#[tokio::test]
async fn get_user_rejects_forged_and_malformed_access_tokens() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    let access = tokens.access_token.unwrap();
    let parts: Vec<&str> = access.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        &parts[2][..parts[2].len() - 4]
    );
    for token in ["garbage".to_owned(), forged, tokens.id_token.unwrap()] {
        let (code, message) = error_of(t.sdk.get_user().access_token(token).send().await);
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("NotAuthorizedException", "Invalid Access Token")
        );
    }
}

#[tokio::test]
async fn email_pools_refuse_usernames_that_are_not_emails() {
    let t = spawn().await;
    let pool = t.create_pool(true).await;
    let (code, message) = error_of(
        t.sdk
            .admin_create_user()
            .user_pool_id(&pool)
            .username("not-an-email")
            .temporary_password(TEMP_PASSWORD)
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    assert_eq!(message, "Username should be an email.");
}

#[tokio::test]
async fn updates_to_unknown_attributes_are_rejected_and_change_nothing() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    t.create_user(&pool, "alice", "alice@example.com", "tenant-a")
        .await;
    let (code, _) = error_of(
        t.sdk
            .admin_update_user_attributes()
            .user_pool_id(&pool)
            .username("alice")
            .user_attributes(attribute("custom:tenant_id", "tenant-b"))
            .user_attributes(attribute("custom:nope", "x"))
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    let user = t
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    let tenant = user
        .user_attributes
        .unwrap()
        .into_iter()
        .find(|a| a.name == "custom:tenant_id")
        .and_then(|a| a.value);
    assert_eq!(tenant.as_deref(), Some("tenant-a"));
}
