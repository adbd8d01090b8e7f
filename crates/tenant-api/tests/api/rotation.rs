//! `/api/user/refresh` with a server app client that rotates refresh tokens.

use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, FeatureType, RefreshTokenRotationType,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenant_api::cognito::{Cognito, CognitoTarget};

use crate::helpers::{spawn_app, RequestExt};

#[tokio::test]
async fn refresh_with_a_rotating_server_client_returns_the_next_refresh_token() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let sdk = Cognito::sdk_client(&CognitoTarget {
        region: "us-east-1".into(),
        endpoint: app.web.hosted_ui.clone(),
        static_credentials: true,
    })
    .await;
    sdk.update_user_pool_client()
        .user_pool_id(app.cognito.pool_id())
        .client_id(app.cognito.client_id())
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let mut refresh = alice.refresh.clone();
    for _ in 0..2 {
        let response = app
            .post_json("/api/user/refresh", json!({ "refresh_token": refresh }))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let tokens: Value = response.json().await.unwrap();
        let next = tokens["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(next, refresh, "rotation hands out a new refresh token");
        let access = tokens["access_token"].as_str().unwrap();
        let items = app
            .authed(Method::GET, "/api/items/", access, Some("acme"))
            .sent()
            .await;
        assert_eq!(items.status(), StatusCode::OK);
        refresh = next;
    }
    // The first one was rotated away (no grace period; the provider counts whole seconds):
    // refused like any invalid token.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let stale = app
        .post_json(
            "/api/user/refresh",
            json!({ "refresh_token": alice.refresh }),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}
