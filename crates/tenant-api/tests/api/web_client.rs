//! Tokens of the embedded web client (Hosted UI, code + PKCE): accepted with no further
//! configuration, their tenant proven through AdminGetUser.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_verify::TokenUse;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tenant_api::cognito::{Cognito, CognitoTarget};

use crate::helpers::{assert_error, spawn_app, spawn_app_with, RequestExt, TestApp, PASSWORD};
use crate::hosted_ui::{hosted_refresh, hosted_sign_in};

const TEMPORARY: &str = "Temp-Passw0rd!";

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

async fn status_for(app: &TestApp, token: &str, tenant: Option<&str>) -> StatusCode {
    app.authed(Method::GET, "/api/items/", token, tenant)
        .sent()
        .await
        .status()
}

async fn admin_sdk(app: &TestApp) -> aws_sdk_cognitoidentityprovider::Client {
    Cognito::sdk_client(&CognitoTarget {
        region: "us-east-1".into(),
        endpoint: app.web.hosted_ui.clone(),
        static_credentials: true,
    })
    .await
}

#[tokio::test]
async fn a_hosted_ui_access_token_proves_its_own_tenant_without_claim_or_admin_scope() {
    let app = spawn_app().await;
    app.create_user("web@example.com", "acme").await;
    let tokens = hosted_sign_in(&app, "web@example.com", TEMPORARY, Some(PASSWORD)).await;
    let claims = payload(&tokens.access);
    assert_eq!(claims["client_id"].as_str(), app.web.client_id.as_deref());
    assert!(!claims["scope"]
        .as_str()
        .unwrap()
        .contains("aws.cognito.signin.user.admin"));
    assert!(claims.get("custom:tenant_id").is_none());

    assert_eq!(
        status_for(&app, &tokens.access, Some("acme")).await,
        StatusCode::OK
    );
    let foreign = app
        .authed(Method::GET, "/api/items/", &tokens.access, Some("globex"))
        .sent()
        .await;
    assert_error(foreign, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    let none = app
        .authed(Method::GET, "/api/items/", &tokens.access, None)
        .sent()
        .await;
    assert_error(none, StatusCode::BAD_REQUEST, "tenant_required").await;
    app.stop().await;
}

#[tokio::test]
async fn a_disabled_or_moved_user_is_refused_once_the_proof_of_a_token_ends() {
    let app = spawn_app().await;
    app.create_user("web@example.com", "acme").await;
    let first = hosted_sign_in(&app, "web@example.com", TEMPORARY, Some(PASSWORD)).await;
    let second = hosted_refresh(&app, &first.refresh).await;
    let second = second["access_token"].as_str().unwrap().to_owned();
    assert_ne!(first.access, second);
    assert_eq!(
        status_for(&app, &first.access, Some("acme")).await,
        StatusCode::OK
    );

    let sdk = admin_sdk(&app).await;
    let pool = app.cognito.pool_id().to_owned();
    sdk.admin_disable_user()
        .user_pool_id(&pool)
        .username("web@example.com")
        .send()
        .await
        .unwrap();
    // The first token's proof holds until it expires; a token not yet proven is refused.
    assert_eq!(
        status_for(&app, &first.access, Some("acme")).await,
        StatusCode::OK
    );
    let refused = app
        .authed(Method::GET, "/api/items/", &second, Some("acme"))
        .sent()
        .await;
    assert_error(refused, StatusCode::FORBIDDEN, "tenant_not_proven").await;

    // A refusal is not remembered: enabled again, the same token works.
    sdk.admin_enable_user()
        .user_pool_id(&pool)
        .username("web@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_for(&app, &second, Some("acme")).await,
        StatusCode::OK
    );

    // Moved to another tenant: the next token proves the new one only.
    app.cognito
        .set_tenant("web@example.com", "custom:tenant_id", "globex")
        .await
        .unwrap();
    let third = hosted_sign_in(&app, "web@example.com", PASSWORD, None).await;
    let moved = app
        .authed(Method::GET, "/api/items/", &third.access, Some("acme"))
        .sent()
        .await;
    assert_error(moved, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    assert_eq!(
        status_for(&app, &third.access, Some("globex")).await,
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn a_web_client_id_token_carries_the_tenant_claim_in_id_mode() {
    let app = spawn_app_with(|c| c.cognito.token_use = TokenUse::Id).await;
    app.create_user("web@example.com", "acme").await;
    let tokens = hosted_sign_in(&app, "web@example.com", TEMPORARY, Some(PASSWORD)).await;
    assert_eq!(payload(&tokens.id)["custom:tenant_id"], "acme");
    assert_eq!(
        status_for(&app, &tokens.id, Some("acme")).await,
        StatusCode::OK
    );
    let foreign = app
        .authed(Method::GET, "/api/items/", &tokens.id, Some("globex"))
        .sent()
        .await;
    assert_error(foreign, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    // The access token is not what protects the API in id mode.
    let access = app
        .authed(Method::GET, "/api/items/", &tokens.access, Some("acme"))
        .sent()
        .await;
    assert_eq!(access.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn logout_with_a_web_client_access_token_signs_the_user_out_everywhere() {
    let app = spawn_app().await;
    app.create_user("web@example.com", "acme").await;
    let tokens = hosted_sign_in(&app, "web@example.com", TEMPORARY, Some(PASSWORD)).await;
    assert_eq!(
        status_for(&app, &tokens.access, Some("acme")).await,
        StatusCode::OK
    );
    let logout = app
        .authed(Method::POST, "/api/user/logout", &tokens.access, None)
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(
        status_for(&app, &tokens.access, Some("acme")).await,
        StatusCode::UNAUTHORIZED
    );
    // The Hosted UI's refresh token died with the sign-out too.
    let refreshed = hosted_refresh(&app, &tokens.refresh).await;
    assert!(refreshed.get("access_token").is_none(), "{refreshed}");
    assert_eq!(refreshed["error"], "invalid_grant");
    app.stop().await;
}
