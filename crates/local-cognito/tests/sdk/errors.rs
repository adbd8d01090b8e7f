//! Sign-in errors, with Cognito's exception names and messages.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
};

use crate::helpers::{error_of, spawn, ClientSpec, NEW_PASSWORD, TEMP_PASSWORD};

#[tokio::test]
async fn a_wrong_password_is_not_authorized() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.confirmed_user(&pool, &client.id, "alice", "t").await;
    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "alice", "Wrong-Passw0rd!")
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(message, "Incorrect username or password.");
}

#[tokio::test]
async fn an_unknown_user_looks_like_a_wrong_password_when_existence_errors_are_prevented() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "nobody", NEW_PASSWORD)
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
}

#[tokio::test]
async fn an_unknown_user_is_reported_as_such_by_legacy_clients() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let spec = ClientSpec {
        prevent_user_existence_errors: PreventUserExistenceErrorTypes::Legacy,
        ..ClientSpec::default()
    };
    let client = t.create_client(&pool, spec).await;
    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "nobody", NEW_PASSWORD)
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UserNotFoundException", "User does not exist.")
    );
}

#[tokio::test]
async fn clients_created_without_the_setting_use_cognitos_legacy_default() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let created = t
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("defaults")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        created.prevent_user_existence_errors,
        Some(PreventUserExistenceErrorTypes::Legacy)
    );
    let (code, _) = error_of(
        t.admin_sign_in(
            &pool,
            created.client_id.as_deref().unwrap(),
            "nobody",
            NEW_PASSWORD,
        )
        .await,
    );
    assert_eq!(code, "UserNotFoundException");
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_until_enabled_again() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    t.sdk
        .admin_disable_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();

    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "User is disabled.")
    );
    let (code, _) = error_of(
        t.sdk
            .admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&client.id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", tokens.refresh_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    let user = t
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert!(!user.enabled);

    t.sdk
        .admin_enable_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert!(t
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .is_ok());
}

#[tokio::test]
async fn an_unknown_client_id_is_a_missing_resource() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let (code, message) = error_of(
        t.admin_sign_in(&pool, "0123456789abcdefghijklmnop", "a", "b")
            .await,
    );
    assert_eq!(code, "ResourceNotFoundException");
    assert!(message.contains("0123456789abcdefghijklmnop"));
    let (code, _) = error_of(
        t.sdk
            .initiate_auth()
            .client_id("0123456789abcdefghijklmnop")
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "a")
            .auth_parameters("PASSWORD", "b")
            .send()
            .await,
    );
    assert_eq!(code, "ResourceNotFoundException");
}

#[tokio::test]
async fn a_client_without_admin_password_auth_refuses_that_flow() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let spec = ClientSpec {
        flows: vec![
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
        ..ClientSpec::default()
    };
    let client = t.create_client(&pool, spec).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let (code, message) = error_of(
        t.admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    assert_eq!(message, "Auth flow not enabled for this client");
}

#[tokio::test]
async fn the_legacy_admin_no_srp_name_enables_admin_sign_in() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let spec = ClientSpec {
        flows: vec![ExplicitAuthFlowsType::AdminNoSrpAuth],
        ..ClientSpec::default()
    };
    let client = t.create_client(&pool, spec).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let answer = t
        .sdk
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client.id)
        .auth_flow(AuthFlowType::AdminNoSrpAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", TEMP_PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
}
