//! Alerts: owned by one user within a tenant.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, RequestExt};

#[tokio::test]
async fn alerts_are_created_listed_acknowledged_and_deleted_by_their_owner() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let created = app
        .authed(Method::POST, "/api/alerts/", &alice.access, Some("acme"))
        .json(&json!({"title": "disk usage high", "severity": "warning"}))
        .sent()
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["severity"], "warning");
    assert!(created["acknowledged_at"].is_null());
    let id = created["id"].as_i64().unwrap();

    let list: Vec<Value> = app
        .authed(Method::GET, "/api/alerts", &alice.access, Some("acme"))
        .json_value()
        .await;
    assert_eq!(list, vec![created.clone()]);

    let acked: Value = app
        .authed(
            Method::POST,
            &format!("/api/alerts/{id}/ack"),
            &alice.access,
            Some("acme"),
        )
        .json_value()
        .await;
    let first_ack = acked["acknowledged_at"].clone();
    assert!(first_ack.is_string());
    let again: Value = app
        .authed(
            Method::POST,
            &format!("/api/alerts/{id}/ack/"),
            &alice.access,
            Some("acme"),
        )
        .json_value()
        .await;
    assert_eq!(
        again["acknowledged_at"], first_ack,
        "acknowledging twice keeps the first time"
    );

    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/alerts/{id}"),
            &alice.access,
            Some("acme"),
        )
        .sent()
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    app.stop().await;
}

#[tokio::test]
async fn another_user_of_the_same_tenant_cannot_see_or_touch_my_alerts() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let bob = app.signed_in_user("bob@example.com", "acme").await;
    let alert: Value = app
        .authed(Method::POST, "/api/alerts/", &alice.access, Some("acme"))
        .json(&json!({"title": "mine"}))
        .json_value()
        .await;
    assert_eq!(alert["severity"], "info");
    let id = alert["id"].as_i64().unwrap();
    let list: Vec<Value> = app
        .authed(Method::GET, "/api/alerts/", &bob.access, Some("acme"))
        .json_value()
        .await;
    assert!(list.is_empty());
    for (method, path) in [
        (Method::GET, format!("/api/alerts/{id}")),
        (Method::DELETE, format!("/api/alerts/{id}")),
        (Method::POST, format!("/api/alerts/{id}/ack")),
    ] {
        let response = app
            .authed(method, &path, &bob.access, Some("acme"))
            .sent()
            .await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_severity_and_blank_titles_are_refused() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    for body in [
        json!({"title": "x", "severity": "apocalyptic"}),
        json!({"title": " "}),
    ] {
        let response = app
            .authed(Method::POST, "/api/alerts/", &alice.access, Some("acme"))
            .json(&body)
            .sent()
            .await;
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    app.stop().await;
}
