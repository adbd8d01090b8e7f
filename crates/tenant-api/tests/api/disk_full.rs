//! A database that cannot grow (a full disk): writes answer 507 with the error shape, reads and
//! health go on, and writes resume once there is room, with nothing acknowledged lost.
//!
//! `PRAGMA max_page_count` on the service's write connection makes SQLite report a full
//! database (`SQLITE_FULL`) exactly as a full disk does, without filling one.

use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenant_api::store::set_max_page_count_for_tests;

use crate::helpers::{assert_error, spawn_app_with, RequestExt, Session, TestApp};

async fn post_item(app: &TestApp, alice: &Session, name: &str) -> reqwest::Response {
    post(app, alice, "/api/items/", json!({ "name": name })).await
}

async fn post(app: &TestApp, alice: &Session, path: &str, body: Value) -> reqwest::Response {
    app.authed(Method::POST, path, &alice.access, Some("acme"))
        .json(&body)
        .sent()
        .await
}

/// Every row at `path` (a list of at most 100), by id.
async fn listed(app: &TestApp, alice: &Session, path: &str) -> Vec<Value> {
    let rows: Vec<Value> = app
        .authed(
            Method::GET,
            &format!("{path}?limit=100"),
            &alice.access,
            Some("acme"),
        )
        .json_value()
        .await;
    assert!(rows.len() < 100, "{path}: more rows than one page");
    by_id(rows)
}

fn by_id(mut rows: Vec<Value>) -> Vec<Value> {
    rows.sort_by_key(|row| row["id"].as_i64());
    rows
}

/// Creates rows at `path` until one is refused: the rows acknowledged, and the refusal.
async fn fill(
    app: &TestApp,
    alice: &Session,
    path: &str,
    body: impl Fn(usize) -> Value,
) -> (Vec<Value>, reqwest::Response) {
    let mut acknowledged = Vec::new();
    for n in 0..2_000 {
        let response = post(app, alice, path, body(n)).await;
        if response.status() != StatusCode::CREATED {
            return (acknowledged, response);
        }
        acknowledged.push(response.json().await.unwrap());
    }
    panic!("{path}: the database never filled");
}

#[tokio::test]
async fn a_full_database_refuses_writes_with_507_but_keeps_reading_and_loses_nothing() {
    // Arrange: a SQLite service (whatever the suite's backend) with one item written.
    let mut db = PathBuf::new();
    let app = spawn_app_with(|c| {
        db = c.data_dir.join("tenant-api.db");
        c.database_url = format!("sqlite://{}?mode=rwc", db.display());
    })
    .await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let mut acknowledged = vec![app.create_item(&alice, "acme", "before").await];

    // Act: the database may not grow past its current size; write until it is full.
    let pages = set_max_page_count_for_tests(&db, 1).await.unwrap();
    assert!(pages > 0);
    let padding = "x".repeat(150);
    let (items, refused) = fill(
        &app,
        &alice,
        "/api/items/",
        |n| json!({ "name": format!("{n} {padding}") }),
    )
    .await;
    acknowledged.extend(items);

    // Assert: 507 with the error shape, on each table's first write without room…
    assert_error(
        refused,
        StatusCode::INSUFFICIENT_STORAGE,
        "insufficient_storage",
    )
    .await;
    let (alerts, refused) = fill(
        &app,
        &alice,
        "/api/alerts/",
        |n| json!({ "title": format!("{n} {padding}") }),
    )
    .await;
    assert_error(
        refused,
        StatusCode::INSUFFICIENT_STORAGE,
        "insufficient_storage",
    )
    .await;
    let again = post_item(&app, &alice, &padding).await;
    assert_error(
        again,
        StatusCode::INSUFFICIENT_STORAGE,
        "insufficient_storage",
    )
    .await;
    // …while reads, health and readiness go on (the database is not marked down).
    for item in &acknowledged {
        let read: Value = app
            .authed(
                Method::GET,
                &format!("/api/items/{}", item["id"]),
                &alice.access,
                Some("acme"),
            )
            .json_value()
            .await;
        assert_eq!(&read, item);
    }
    for path in ["/health", "/health/ready"] {
        let response = app.request(Method::GET, path).sent().await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }

    // Act: room again.
    set_max_page_count_for_tests(&db, 1 << 30).await.unwrap();

    // Assert: writes succeed, and every write acknowledged before is there.
    let after = post_item(&app, &alice, &padding).await;
    assert_eq!(after.status(), StatusCode::CREATED);
    acknowledged.push(after.json().await.unwrap());
    assert_eq!(
        listed(&app, &alice, "/api/items/").await,
        by_id(acknowledged)
    );
    assert_eq!(listed(&app, &alice, "/api/alerts/").await, by_id(alerts));
    app.stop().await;
}
