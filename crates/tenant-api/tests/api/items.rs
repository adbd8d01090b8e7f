//! Items: CRUD within a tenant, validation and pagination.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, RequestExt};

#[tokio::test]
async fn items_can_be_created_listed_read_renamed_and_deleted() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;

    let created = app.create_item(&alice, "acme", "  first  ").await;
    assert_eq!(created["name"], "first");
    assert_eq!(created["tenant_id"], "acme");
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/items/{id}");

    let list: Vec<Value> = app
        .authed(Method::GET, "/api/items", &alice.access, Some("acme"))
        .json_value()
        .await;
    assert_eq!(list, vec![created.clone()]);

    let read: Value = app
        .authed(Method::GET, &path, &alice.access, Some("acme"))
        .json_value()
        .await;
    assert_eq!(read, created);

    let renamed = app
        .authed(Method::PUT, &path, &alice.access, Some("acme"))
        .json(&json!({"name": "renamed"}))
        .sent()
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["name"], "renamed");
    assert_eq!(renamed["created_at"], created["created_at"]);

    let deleted = app
        .authed(Method::DELETE, &path, &alice.access, Some("acme"))
        .sent()
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app
        .authed(Method::GET, &path, &alice.access, Some("acme"))
        .sent()
        .await;
    assert_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

#[tokio::test]
async fn items_are_shared_by_every_user_of_the_tenant() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let bob = app.signed_in_user("bob@example.com", "acme").await;
    let item = app.create_item(&alice, "acme", "shared").await;
    let seen = app
        .authed(
            Method::GET,
            &format!("/api/items/{}", item["id"]),
            &bob.access,
            Some("acme"),
        )
        .sent()
        .await;
    assert_eq!(seen.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn lists_page_through_every_item_once_in_id_order() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(
            app.create_item(&alice, "acme", &format!("item {n}")).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/items/?limit=3".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let response = app
            .authed(Method::GET, &path, &alice.access, Some("acme"))
            .sent()
            .await;
        cursor = response
            .headers()
            .get("x-next-cursor")
            .map(|v| v.to_str().unwrap().to_owned());
        let page: Vec<Value> = response.json().await.unwrap();
        assert!(page.len() <= 3);
        seen.extend(page.iter().map(|item| item["id"].as_i64().unwrap()));
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, ids);
    app.stop().await;
}

#[tokio::test]
async fn bad_names_limits_cursors_and_ids_are_400s() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    for body in [
        json!({"name": ""}),
        json!({"name": "   "}),
        json!({"name": "x".repeat(201)}),
        json!({"name": 5}),
        json!({}),
    ] {
        let response = app
            .authed(Method::POST, "/api/items/", &alice.access, Some("acme"))
            .json(&body)
            .sent()
            .await;
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    for query in [
        "limit=0",
        "limit=101",
        "limit=abc",
        "cursor=%%%",
        "cursor=bm9wZQ",
    ] {
        let response = app
            .authed(
                Method::GET,
                &format!("/api/items/?{query}"),
                &alice.access,
                Some("acme"),
            )
            .sent()
            .await;
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let response = app
        .authed(
            Method::GET,
            "/api/items/not-a-number",
            &alice.access,
            Some("acme"),
        )
        .sent()
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    app.stop().await;
}

#[tokio::test]
async fn tenant_endpoint_reports_the_resolved_tenant_and_mode() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let body: Value = app
        .authed(
            Method::GET,
            "/api/items/tenant",
            &alice.access,
            Some("acme"),
        )
        .json_value()
        .await;
    assert_eq!(
        body,
        json!({"tenant_id": "acme", "token_use": "access", "mode": "header"})
    );
    app.stop().await;
}
