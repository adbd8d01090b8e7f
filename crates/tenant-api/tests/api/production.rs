//! Production guards: throttling, metrics, request ids, CORS and graceful shutdown.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{assert_error, spawn_app, spawn_app_with, RequestExt, PASSWORD};

#[tokio::test]
async fn sign_in_is_throttled_per_account_alike_for_unknown_accounts() {
    let app = spawn_app_with(|c| c.throttle.per_account_per_minute = 2).await;
    app.signed_in_user("alice@example.com", "acme").await; // two attempts: login + new-password
    let known = app
        .post_json(
            "/api/user/login",
            json!({"email": "alice@example.com", "password": "wrong"}),
        )
        .await;
    let known_retry = known.headers().get("retry-after").cloned().unwrap();
    let known = assert_error(known, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;

    for _ in 0..2 {
        let allowed = app
            .post_json(
                "/api/user/login",
                json!({"email": "ghost@example.com", "password": PASSWORD}),
            )
            .await;
        assert_error(allowed, StatusCode::BAD_REQUEST, "invalid_credentials").await;
    }
    let unknown = app
        .post_json(
            "/api/user/login",
            json!({"email": "ghost@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(unknown.headers().get("retry-after").unwrap(), &known_retry);
    let unknown = assert_error(unknown, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert_eq!(known, unknown);
    app.stop().await;
}

#[tokio::test]
async fn sign_in_is_throttled_per_client_ip() {
    let app = spawn_app_with(|c| c.throttle.per_ip_per_minute = 3).await;
    for n in 0..3 {
        let response = app
            .post_json(
                "/api/user/login",
                json!({"email": format!("u{n}@example.com"), "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
    let refused = app
        .post_json(
            "/api/user/login",
            json!({"email": "u9@example.com", "password": PASSWORD}),
        )
        .await;
    assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    app.stop().await;
}

#[tokio::test]
async fn metrics_expose_requests_verifications_jwks_and_logins() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    app.authed(Method::GET, "/api/items/", &alice.access, Some("acme"))
        .sent()
        .await;
    app.authed(Method::GET, "/api/items/", "garbage", Some("acme"))
        .sent()
        .await;
    let text = app.metrics(None).await;
    for needle in [
        r#"tenant_api_http_requests_total{method="GET",route="/api/items/",status="200"} 1"#,
        r#"tenant_api_http_requests_total{method="GET",route="/api/items/",status="401"} 1"#,
        "tenant_api_http_request_duration_seconds_bucket",
        r#"tenant_api_logins_total{outcome="success"}"#,
        r#"tenant_api_token_verifications_total{outcome="verified"} 1"#,
        r#"tenant_api_token_verifications_total{outcome="malformed_token"} 1"#,
        r#"tenant_api_jwks_fetches_total{result="ok"}"#,
        "tenant_api_jwks_key_age_seconds",
        "tenant_api_throttled_requests_total 0",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    assert!(text.trim_end().ends_with("# EOF"));
    app.stop().await;
}

#[tokio::test]
async fn request_ids_are_honoured_or_generated() {
    let app = spawn_app().await;
    let given = app
        .request(Method::GET, "/health")
        .header("x-request-id", "trace-me-42")
        .sent()
        .await;
    assert_eq!(given.headers().get("x-request-id").unwrap(), "trace-me-42");
    let generated = app.request(Method::GET, "/health").sent().await;
    let id = generated
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    app.stop().await;
}

#[tokio::test]
async fn cors_allows_exactly_the_configured_origins() {
    let app =
        spawn_app_with(|c| c.cors_allowed_origins = vec!["https://app.example.com".into()]).await;
    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/api/items/")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header(
                "access-control-request-headers",
                "authorization,x-tenant-id",
            )
            .send()
    };
    let allowed = preflight("https://app.example.com").await.unwrap();
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "https://app.example.com"
    );
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    app.stop().await;
}

#[tokio::test]
async fn an_in_flight_request_completes_after_shutdown_begins() {
    let app = spawn_app().await;
    let body = r#"{"email":"slow@example.com","password":"Whatever-1!"}"#;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // Send the headers now and the body only after shutdown has begun.
    let head = format!(
        "POST /api/user/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = tokio::spawn(app.stop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        stream.read_to_string(&mut response),
    )
    .await
    .expect("response before the timeout")
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    assert!(response.contains("invalid_credentials"), "{response}");
    stopping.await.unwrap();
}
