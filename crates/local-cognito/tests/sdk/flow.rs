//! The whole login flow through the SDK: temporary password → NEW_PASSWORD_REQUIRED → tokens
//! → refresh → GetUser → global sign-out.

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType, UserStatusType};
use serde_json::Value;

use crate::helpers::{error_of, spawn, ClientSpec, NEW_PASSWORD, TEMP_PASSWORD};

const ACCESS_CLAIMS: &[&str] = &[
    "sub",
    "iss",
    "client_id",
    "origin_jti",
    "event_id",
    "token_use",
    "scope",
    "auth_time",
    "exp",
    "iat",
    "jti",
    "username",
    "version",
];
const ID_CLAIMS: &[&str] = &[
    "sub",
    "iss",
    "aud",
    "email",
    "email_verified",
    "cognito:username",
    "custom:tenant_id",
    "origin_jti",
    "event_id",
    "token_use",
    "auth_time",
    "exp",
    "iat",
    "jti",
];

#[tokio::test]
async fn a_new_user_goes_from_temporary_password_to_tokens_refresh_and_global_sign_out() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "tenant-a")
        .await;

    // Sign-in with the temporary password answers the challenge, not tokens.
    let challenge = t
        .admin_sign_in(&pool, &client.id, "alice", TEMP_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
    assert!(challenge.authentication_result.is_none());
    let parameters = challenge.challenge_parameters.clone().unwrap();
    assert_eq!(parameters["USER_ID_FOR_SRP"], "alice");
    let user_attributes: Value = serde_json::from_str(&parameters["userAttributes"]).unwrap();
    assert_eq!(user_attributes["email"], "alice@example.com");
    let required: Vec<String> = serde_json::from_str(&parameters["requiredAttributes"]).unwrap();
    assert!(required.is_empty());

    let answered = t
        .respond_new_password(
            &pool,
            &client.id,
            "alice",
            challenge.session.unwrap(),
            NEW_PASSWORD,
        )
        .await
        .unwrap();
    let tokens = answered.authentication_result.unwrap();
    assert_eq!(tokens.token_type.as_deref(), Some("Bearer"));
    assert_eq!(tokens.expires_in, 3600);
    let refresh_token = tokens.refresh_token.clone().unwrap();
    assert!(refresh_token.len() >= 43, "at least 256 bits, base64url");

    let user = t
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status, Some(UserStatusType::Confirmed));

    // Both tokens verify against the served JWKS and carry Cognito's claims.
    let access = t
        .verified_claims(&pool, tokens.access_token.as_deref().unwrap())
        .await;
    let id = t
        .verified_claims(&pool, tokens.id_token.as_deref().unwrap())
        .await;
    for claim in ACCESS_CLAIMS {
        assert!(access.contains_key(*claim), "access token lacks {claim}");
    }
    for claim in ID_CLAIMS {
        assert!(id.contains_key(*claim), "id token lacks {claim}");
    }
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["client_id"], client.id.as_str());
    assert_eq!(access["username"], "alice");
    assert_eq!(access["version"], 2);
    assert!(
        !access.contains_key("cognito:groups"),
        "no groups, no claim"
    );
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], client.id.as_str());
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["email_verified"], Value::Bool(true));
    assert_eq!(id["custom:tenant_id"], "tenant-a");
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert_eq!(id["event_id"], access["event_id"]);
    assert_eq!(id["sub"], access["sub"]);
    let issuer = format!("{}/{pool}", t.base_url());
    assert_eq!(access["iss"], issuer.as_str());
    assert_ne!(
        crate::helpers::claims_of(tokens.access_token.as_deref().unwrap())["jti"],
        id["jti"]
    );

    // Refresh: new tokens, same origin_jti and auth_time, no new refresh token.
    t.clock.advance(std::time::Duration::from_secs(60));
    let refreshed = t
        .sdk
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client.id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh_token)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    assert!(refreshed.refresh_token.is_none());
    let refreshed_access = t
        .verified_claims(&pool, refreshed.access_token.as_deref().unwrap())
        .await;
    assert_eq!(refreshed_access["origin_jti"], access["origin_jti"]);
    assert_eq!(refreshed_access["auth_time"], access["auth_time"]);
    assert_ne!(refreshed_access["jti"], access["jti"]);
    assert!(refreshed_access["iat"].as_i64() > access["iat"].as_i64());

    // GetUser with the access token.
    let me = t
        .sdk
        .get_user()
        .access_token(tokens.access_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.username, "alice");
    assert!(me
        .user_attributes
        .iter()
        .any(|a| a.name == "custom:tenant_id"));

    // Global sign-out revokes the refresh token and every access token issued before.
    t.sdk
        .global_sign_out()
        .access_token(refreshed.access_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(t.refresh(&client.id, &refresh_token).await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
    for old in [&tokens.access_token, &refreshed.access_token] {
        let (code, message) = error_of(
            t.sdk
                .get_user()
                .access_token(old.clone().unwrap())
                .send()
                .await,
        );
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("NotAuthorizedException", "Access Token has been revoked")
        );
    }
    let (code, _) = error_of(
        t.sdk
            .global_sign_out()
            .access_token(tokens.access_token.clone().unwrap())
            .send()
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");

    // A new sign-in works and its token is accepted.
    let again = t
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .unwrap();
    let fresh = again.authentication_result.unwrap().access_token.unwrap();
    assert_eq!(
        t.sdk
            .get_user()
            .access_token(fresh)
            .send()
            .await
            .unwrap()
            .username,
        "alice"
    );
}

#[tokio::test]
async fn the_public_api_signs_in_with_user_password_auth_and_answers_the_challenge() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "bob", "bob@example.com", "tenant-b")
        .await;

    let challenge = t
        .sdk
        .initiate_auth()
        .client_id(&client.id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", TEMP_PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
    let tokens = t
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client.id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(challenge.session.unwrap())
        .challenge_responses("USERNAME", "bob")
        .challenge_responses("NEW_PASSWORD", NEW_PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let id = t
        .verified_claims(&pool, tokens.id_token.as_deref().unwrap())
        .await;
    assert_eq!(id["cognito:username"], "bob");

    // Once confirmed, the same call answers tokens directly.
    let direct = t
        .sdk
        .initiate_auth()
        .client_id(&client.id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", NEW_PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(direct.challenge_name.is_none());
    assert!(direct
        .authentication_result
        .unwrap()
        .refresh_token
        .is_some());
}

#[tokio::test]
async fn email_pools_accept_the_email_as_username_and_name_users_by_uuid() {
    let t = spawn().await;
    let pool = t.create_pool(true).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (internal, tokens) = t
        .confirmed_user(&pool, &client.id, "carol@example.com", "tenant-c")
        .await;
    assert_ne!(internal, "carol@example.com");
    assert!(
        uuid::Uuid::parse_str(&internal).is_ok(),
        "internal username is a UUID"
    );

    let access = t
        .verified_claims(&pool, tokens.access_token.as_deref().unwrap())
        .await;
    assert_eq!(access["username"], internal.as_str());
    assert_eq!(access["sub"], internal.as_str());

    let by_email = t
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("carol@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(by_email.username, internal);
    let attributes = by_email.user_attributes.unwrap();
    let value = |name: &str| {
        attributes
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.clone())
    };
    assert_eq!(value("sub"), Some(internal.clone()));
    assert_eq!(value("email").as_deref(), Some("carol@example.com"));
    assert_eq!(value("email_verified").as_deref(), Some("true"));
    assert_eq!(value("custom:tenant_id").as_deref(), Some("tenant-c"));
    assert!(by_email.enabled);
    assert!(by_email.user_create_date.is_some());

    let (code, _) = error_of(
        t.sdk
            .admin_create_user()
            .user_pool_id(&pool)
            .username("carol@example.com")
            .temporary_password(TEMP_PASSWORD)
            .send()
            .await,
    );
    assert_eq!(code, "UsernameExistsException");
}
