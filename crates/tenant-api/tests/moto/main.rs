//! The sign-in scenario against moto's Cognito emulator, a third-party implementation, proving the
//! AWS SDK path speaks real Cognito's protocol. Needs `MOTO_ENDPOINT` (`.ci/moto.sh`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub,
    dead_code
)]

#[path = "../api/helpers.rs"]
mod helpers;
#[path = "../store_suite/mod.rs"]
mod store_suite;

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, ExplicitAuthFlowsType, SchemaAttributeType, UsernameAttributeType,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenant_api::cognito::{Cognito, CognitoTarget};
use tenant_api::config::CognitoBackend;

use helpers::{assert_error, spawn_app_with, RequestExt, PASSWORD};

fn moto_endpoint() -> String {
    std::env::var("MOTO_ENDPOINT")
        .expect("MOTO_ENDPOINT must point at a moto server (see .ci/moto.sh)")
}

/// Creates a pool with custom:tenant_id and a server app client on moto.
async fn moto_pool() -> (String, String) {
    let client = Cognito::sdk_client(&CognitoTarget {
        region: "us-east-1".into(),
        endpoint: Some(moto_endpoint()),
        static_credentials: true,
    })
    .await;
    let pool = client
        .create_user_pool()
        .pool_name(format!("tenant-api-{}", uuid::Uuid::new_v4().simple()))
        .username_attributes(UsernameAttributeType::Email)
        .schema(
            SchemaAttributeType::builder()
                .name("tenant_id")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_owned();
    let app_client = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("server")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let client_id = app_client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    (pool_id, client_id)
}

#[tokio::test]
async fn login_challenge_tenant_proof_refresh_and_logout_work_against_moto() {
    let (pool_id, client_id) = moto_pool().await;
    let endpoint = moto_endpoint();
    let app = spawn_app_with(|c| {
        c.cognito.jwks_url = Some(format!("{endpoint}/{pool_id}/.well-known/jwks.json"));
        c.cognito.backend = CognitoBackend::UserPool {
            pool_id: pool_id.clone(),
            client_id: client_id.clone(),
            endpoint: Some(endpoint.clone()),
        };
    })
    .await;

    // Temporary password → NEW_PASSWORD_REQUIRED → tokens.
    let alice = app.signed_in_user("alice@example.com", "acme").await;

    // Moto's access tokens verify, and the tenant is proven through moto's GetUser.
    let me: Value = app
        .authed(Method::GET, "/api/items/me", &alice.access, None)
        .json_value()
        .await;
    assert_eq!(me["token_use"], "access");
    let item = app.create_item(&alice, "acme", "from moto").await;
    assert_eq!(item["tenant_id"], "acme");
    let foreign = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("globex"))
        .sent()
        .await;
    assert_error(foreign, StatusCode::FORBIDDEN, "tenant_mismatch").await;

    // Wrong password and unknown user look the same.
    let wrong = app
        .post_json(
            "/api/user/login",
            json!({"email": "alice@example.com", "password": "Wrong-Passw0rd!"}),
        )
        .await;
    let wrong = assert_error(wrong, StatusCode::BAD_REQUEST, "invalid_credentials").await;
    let unknown = app
        .post_json(
            "/api/user/login",
            json!({"email": "ghost@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        assert_error(unknown, StatusCode::BAD_REQUEST, "invalid_credentials").await,
        wrong
    );

    // Refresh.
    let refreshed = app
        .post_json("/api/user/refresh", json!({"refresh_token": alice.refresh}))
        .await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let refreshed: Value = refreshed.json().await.unwrap();
    assert!(refreshed["access_token"].is_string());

    // Logout: the token stops working here, and moto revokes the refresh token.
    let logout = app
        .authed(Method::POST, "/api/user/logout", &alice.access, None)
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);
    let after = app
        .authed(Method::GET, "/api/items/me", &alice.access, None)
        .sent()
        .await;
    assert_error(after, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let refresh = app
        .post_json("/api/user/refresh", json!({"refresh_token": alice.refresh}))
        .await;
    assert_error(refresh, StatusCode::BAD_REQUEST, "invalid_refresh_token").await;

    // Signing in again works.
    let again = app
        .post_json(
            "/api/user/login",
            json!({"email": "alice@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    app.stop().await;
}
