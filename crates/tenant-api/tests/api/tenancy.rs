//! Tenant resolution and proof, including spoofing attempts, in every mode.

use cognito_verify::TokenUse;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tenant_api::config::TenantMode;

use crate::helpers::{assert_error, spawn_app, spawn_app_with, RequestExt};

#[tokio::test]
async fn an_access_token_proves_its_own_tenant_through_the_user_attribute() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let response = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("acme"))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn an_access_token_without_a_claim_cannot_name_a_foreign_tenant() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    for path in ["/api/items/", "/api/alerts/", "/api/items/tenant"] {
        let response = app
            .authed(Method::GET, path, &alice.access, Some("globex"))
            .sent()
            .await;
        assert_error(response, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    }
    app.stop().await;
}

#[tokio::test]
async fn no_tenant_at_all_is_400_tenant_not_provided() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let response = app
        .authed(Method::GET, "/api/items/", &alice.access, None)
        .sent()
        .await;
    let body = assert_error(response, StatusCode::BAD_REQUEST, "tenant_required").await;
    assert_eq!(body["message"], "Tenant not provided");
    app.stop().await;
}

#[tokio::test]
async fn odd_tenant_values_are_400() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let long = "a".repeat(65);
    for tenant in [
        "a b",
        "../acme",
        "acme;drop",
        "acme%00",
        "*",
        long.as_str(),
        "",
    ] {
        let response = app
            .authed(Method::GET, "/api/items/", &alice.access, Some(tenant))
            .sent()
            .await;
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_tenant").await;
    }
    let response = app
        .authed(Method::GET, "/api/items/", &alice.access, None)
        .header(
            "x-tenant-id",
            reqwest::header::HeaderValue::from_bytes(b"acm\xe9").unwrap(),
        )
        .sent()
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_tenant").await;
    // Two tenant headers are refused rather than guessed between.
    let response = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("acme"))
        .header("x-tenant-id", "globex")
        .sent()
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_tenant").await;
    app.stop().await;
}

#[tokio::test]
async fn tenant_a_cannot_list_read_update_or_delete_tenant_b_rows() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "tenant-a").await;
    let bob = app.signed_in_user("bob@example.com", "tenant-b").await;
    let b_item = app.create_item(&bob, "tenant-b", "b's secret").await;
    let b_path = format!("/api/items/{}", b_item["id"]);

    // Under her own tenant, B's row does not exist.
    let list: Vec<Value> = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("tenant-a"))
        .json_value()
        .await;
    assert!(list.is_empty(), "{list:?}");
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let mut request = app.authed(method.clone(), &b_path, &alice.access, Some("tenant-a"));
        if method == Method::PUT {
            request = request.json(&serde_json::json!({"name": "pwned"}));
        }
        let response = request.sent().await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Naming B's tenant is refused outright.
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let mut request = app.authed(method.clone(), &b_path, &alice.access, Some("tenant-b"));
        if method == Method::PUT {
            request = request.json(&serde_json::json!({"name": "pwned"}));
        }
        let response = request.sent().await;
        assert_error(response, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    }
    // B's row is untouched.
    let still: Value = app
        .authed(Method::GET, &b_path, &bob.access, Some("tenant-b"))
        .json_value()
        .await;
    assert_eq!(still["name"], "b's secret");
    app.stop().await;
}

#[tokio::test]
async fn id_tokens_carry_the_tenant_claim_and_a_mismatching_header_is_403() {
    let app = spawn_app_with(|c| c.cognito.token_use = TokenUse::Id).await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    // No header: the claim decides.
    let body: Value = app
        .authed(Method::GET, "/api/items/tenant", &alice.id, None)
        .json_value()
        .await;
    assert_eq!(body["tenant_id"], "acme");
    assert_eq!(body["token_use"], "id");
    let response = app
        .authed(Method::GET, "/api/items/", &alice.id, Some("globex"))
        .sent()
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    // An access token is not accepted where id tokens are required...
    let response = app
        .authed(Method::GET, "/api/items/me", &alice.access, None)
        .sent()
        .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    // ...but sign-out takes it (GlobalSignOut needs it), and then the id token is refused too.
    let logout = app
        .authed(Method::POST, "/api/user/logout", &alice.access, None)
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);
    let response = app
        .authed(Method::GET, "/api/items/me", &alice.id, None)
        .sent()
        .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    app.stop().await;
}

#[tokio::test]
async fn claim_mode_ignores_the_header_and_uses_the_users_own_tenant() {
    let app = spawn_app_with(|c| c.tenancy.mode = TenantMode::Claim).await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let body: Value = app
        .authed(
            Method::GET,
            "/api/items/tenant",
            &alice.access,
            Some("globex"),
        )
        .json_value()
        .await;
    assert_eq!(body["tenant_id"], "acme");
    assert_eq!(body["mode"], "claim");
    app.stop().await;
}

#[tokio::test]
async fn subdomain_mode_matches_whole_labels_of_the_main_domain() {
    let app = spawn_app_with(|c| {
        c.tenancy.mode = TenantMode::Subdomain;
        c.tenancy.main_domain = Some("example.com".into());
    })
    .await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let get = |host: &'static str| {
        app.authed(Method::GET, "/api/items/tenant", &alice.access, None)
            .header("host", host)
            .send()
    };
    let ok: Value = get("acme.example.com").await.unwrap().json().await.unwrap();
    assert_eq!(ok["tenant_id"], "acme");
    assert_error(
        get("globex.example.com").await.unwrap(),
        StatusCode::FORBIDDEN,
        "tenant_mismatch",
    )
    .await;
    assert_error(
        get("acme.notexample.com").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "tenant_required",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_subdomain_is_400_like_a_malformed_header() {
    let app = spawn_app_with(|c| {
        c.tenancy.mode = TenantMode::Subdomain;
        c.tenancy.main_domain = Some("example.com".into());
    })
    .await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let hosts: [&[u8]; 5] = [
        b".example.com",
        b"...example.com",
        b"a.acme.example.com",
        b"\xc3\xa1cme.example.com",
        b"acm\xe9.example.com",
    ];
    for host in hosts {
        for path in ["/api/items/", "/api/items/me"] {
            let response = app
                .authed(Method::GET, path, &alice.access, None)
                .header(
                    "host",
                    reqwest::header::HeaderValue::from_bytes(host).unwrap(),
                )
                .sent()
                .await;
            assert_error(response, StatusCode::BAD_REQUEST, "invalid_tenant").await;
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn me_needs_no_tenant_but_refuses_one_the_caller_cannot_prove() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    for tenant in [None, Some("acme")] {
        let me: Value = app
            .authed(Method::GET, "/api/items/me", &alice.access, tenant)
            .json_value()
            .await;
        assert_eq!(me["token_use"], "access");
        assert!(me["sub"].as_str().is_some_and(|sub| !sub.is_empty()));
    }
    let response = app
        .authed(Method::GET, "/api/items/me", &alice.access, Some("globex"))
        .sent()
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    let response = app
        .authed(Method::GET, "/api/items/me", &alice.access, Some("a b"))
        .sent()
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_tenant").await;
    app.stop().await;
}

#[tokio::test]
async fn me_in_subdomain_mode_refuses_a_foreign_subdomain() {
    let app = spawn_app_with(|c| {
        c.tenancy.mode = TenantMode::Subdomain;
        c.tenancy.main_domain = Some("example.com".into());
    })
    .await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let get = |host: &'static str| {
        app.authed(Method::GET, "/api/items/me", &alice.access, None)
            .header("host", host)
            .send()
    };
    assert_eq!(
        get("acme.example.com").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(get("example.com").await.unwrap().status(), StatusCode::OK);
    assert_error(
        get("globex.example.com").await.unwrap(),
        StatusCode::FORBIDDEN,
        "tenant_mismatch",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn non_strict_mode_trusts_the_header_as_the_original_design_did() {
    let app = spawn_app_with(|c| c.tenancy.strict = false).await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let body: Value = app
        .authed(
            Method::GET,
            "/api/items/tenant",
            &alice.access,
            Some("globex"),
        )
        .json_value()
        .await;
    assert_eq!(body["tenant_id"], "globex");
    app.stop().await;
}

#[tokio::test]
async fn with_multi_tenancy_off_everyone_shares_tenant_public() {
    let app = spawn_app_with(|c| c.tenancy.enabled = false).await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let item = app.create_item(&alice, "ignored", "x").await;
    assert_eq!(item["tenant_id"], "public");
    app.stop().await;
}

#[tokio::test]
async fn the_proof_follows_the_users_current_attribute_not_the_one_at_sign_in() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    // Moved to another tenant after signing in: the token proves what Cognito says now.
    app.cognito
        .set_tenant("alice@example.com", "custom:tenant_id", "globex")
        .await
        .unwrap();
    let response = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("acme"))
        .sent()
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    app.stop().await;
}
