//! Clients with a secret: SECRET_HASH over the given username on sign-in and over the internal
//! username on refresh.

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};

use crate::helpers::{error_of, secret_hash, spawn, ClientSpec, NEW_PASSWORD, TEMP_PASSWORD};

fn with_secret() -> ClientSpec {
    ClientSpec {
        secret: true,
        ..ClientSpec::default()
    }
}

#[tokio::test]
async fn client_ids_and_secrets_look_like_cognitos() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let (region, suffix) = pool.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert_eq!(suffix.len(), 9);
    assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
    let client = t.create_client(&pool, with_secret()).await;
    assert_eq!(client.id.len(), 26);
    assert!(client
        .id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    let secret = client.secret.unwrap();
    assert!((50..=52).contains(&secret.len()), "{}", secret.len());

    let described = t
        .sdk
        .describe_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client.id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(described.client_secret, Some(secret));
    assert!(described.explicit_auth_flows.unwrap().len() == 3);
}

#[tokio::test]
async fn sign_in_without_or_with_a_wrong_secret_hash_is_refused() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, with_secret()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;

    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(
        message,
        format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )
    );

    let wrong = secret_hash("not-the-secret", "alice", &client.id);
    let (code, message) = error_of(
        t.sdk
            .admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&client.id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", "alice")
            .auth_parameters("PASSWORD", TEMP_PASSWORD)
            .auth_parameters("SECRET_HASH", wrong)
            .send()
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(
        message,
        format!("Unable to verify secret hash for client {}", client.id)
    );
}

#[tokio::test]
async fn refresh_with_a_secret_hashes_the_internal_username_not_the_email() {
    let t = spawn().await;
    let pool = t.create_pool(true).await;
    let client = t.create_client(&pool, with_secret()).await;
    let secret = client.secret.clone().unwrap();
    let email = "carol@example.com";
    let internal = t.create_user(&pool, email, email, "t").await;

    // Sign-in hashes the username as given (the email).
    let challenge = t
        .sdk
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client.id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", email)
        .auth_parameters("PASSWORD", TEMP_PASSWORD)
        .auth_parameters("SECRET_HASH", secret_hash(&secret, email, &client.id))
        .send()
        .await
        .unwrap();
    let tokens = t
        .sdk
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool)
        .client_id(&client.id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(challenge.session.unwrap())
        .challenge_responses("USERNAME", email)
        .challenge_responses("NEW_PASSWORD", NEW_PASSWORD)
        .challenge_responses("SECRET_HASH", secret_hash(&secret, email, &client.id))
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let refresh_token = tokens.refresh_token.unwrap();

    let refresh = |hash: String| {
        t.sdk
            .admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&client.id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token.clone())
            .auth_parameters("SECRET_HASH", hash)
            .send()
    };
    let (code, message) = error_of(refresh(secret_hash(&secret, email, &client.id)).await);
    assert_eq!(code, "NotAuthorizedException");
    assert!(
        message.starts_with("Unable to verify secret hash"),
        "{message}"
    );
    let refreshed = refresh(secret_hash(&secret, &internal, &client.id))
        .await
        .unwrap();
    assert!(refreshed
        .authentication_result
        .unwrap()
        .access_token
        .is_some());
}
