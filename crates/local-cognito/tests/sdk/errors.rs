//! Every error case of the sign-in flow, with Cognito's exception names and messages.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
};

use crate::helpers::{attribute, error_of, spawn, ClientSpec, NEW_PASSWORD, TEMP_PASSWORD};

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
async fn a_wrong_or_reused_session_is_an_invalid_session() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let respond = |session: String| {
        t.sdk
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool)
            .client_id(&client.id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("NEW_PASSWORD", NEW_PASSWORD)
            .send()
    };
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
        t.sdk
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool)
            .client_id(&client.id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("NEW_PASSWORD", NEW_PASSWORD)
            .send()
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
        t.sdk
            .admin_respond_to_auth_challenge()
            .user_pool_id(&pool)
            .client_id(&client.id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session.clone())
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("NEW_PASSWORD", password)
            .send()
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

#[tokio::test]
async fn a_garbage_refresh_token_is_invalid() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (code, message) = error_of(
        t.sdk
            .initiate_auth()
            .client_id(&client.id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", "garbage")
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );
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
