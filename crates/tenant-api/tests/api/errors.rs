//! Bad input of every kind gets a clear 4xx JSON error; dependencies down get a 503.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenant_api::config::{AllowedHosts, CognitoBackend};

use crate::helpers::{assert_error, spawn_app, spawn_app_with, RequestExt, PASSWORD};

#[tokio::test]
async fn malformed_and_forged_tokens_are_401_without_a_reason() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let parts: Vec<&str> = alice.access.split('.').collect();
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    let mut elevated = payload.clone();
    elevated["sub"] = json!("someone-else");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(elevated.to_string()),
        parts[2]
    );
    let alg_none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    let huge = "a".repeat(20_000);
    for token in [
        tampered.as_str(),
        alg_none.as_str(),
        "garbage",
        "a.b.c",
        huge.as_str(),
        &alice.refresh,
    ] {
        let response = app
            .authed(Method::GET, "/api/items/me", token, None)
            .sent()
            .await;
        assert_eq!(
            response.headers().get("www-authenticate").unwrap(),
            r#"Bearer error="invalid_token""#
        );
        let body = assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
        assert_eq!(body["message"], "Invalid or expired token");
    }
    for header in [
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "Bearer",
        "Bearer    ",
        "token",
    ] {
        let response = app
            .request(Method::GET, "/api/items/me")
            .header("authorization", header)
            .sent()
            .await;
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    app.stop().await;
}

#[tokio::test]
async fn malformed_bodies_get_json_errors() {
    let app = spawn_app().await;
    let broken = app
        .request(Method::POST, "/api/user/login")
        .header("content-type", "application/json")
        .body("{not json")
        .sent()
        .await;
    assert_error(broken, StatusCode::BAD_REQUEST, "invalid_request").await;

    let missing_field = app
        .post_json("/api/user/login", json!({"email": "a@b.c"}))
        .await;
    assert_error(missing_field, StatusCode::BAD_REQUEST, "invalid_request").await;

    let empty = app
        .post_json("/api/user/login", json!({"email": "", "password": ""}))
        .await;
    assert_error(empty, StatusCode::BAD_REQUEST, "invalid_request").await;

    let no_type = app
        .request(Method::POST, "/api/user/login")
        .body(r#"{"email":"a@b.c","password":"x"}"#)
        .sent()
        .await;
    assert_error(
        no_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let too_big = app
        .request(Method::POST, "/api/user/login")
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"email":"{}","password":"x"}}"#,
            "a".repeat(200_000)
        ))
        .sent()
        .await;
    assert_error(too_big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    app.stop().await;
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_400_on_every_json_endpoint() {
    let app = spawn_app().await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    let item = app.create_item(&alice, "acme", "kept").await;
    let item_path = format!("/api/items/{}", item["id"]);
    let endpoints = [
        (Method::POST, "/api/user/login"),
        (Method::POST, "/api/user/new-password"),
        (Method::POST, "/api/user/refresh"),
        (Method::POST, "/api/items/"),
        (Method::PUT, item_path.as_str()),
        (Method::POST, "/api/alerts/"),
    ];
    // The positional form serde accepts for a struct, and every other non-object JSON value.
    let bodies = [
        r#"["x"]"#,
        r#"["alice@example.com","Corr3ct-Horse!"]"#,
        r#""x""#,
        "42",
        "null",
        "true",
    ];
    for (method, path) in &endpoints {
        for body in bodies {
            let response = app
                .authed(method.clone(), path, &alice.access, Some("acme"))
                .header("content-type", "application/json")
                .body(body)
                .sent()
                .await;
            let error = assert_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
            let message = error["message"].as_str().unwrap();
            assert!(
                message.contains("expected a JSON object"),
                "{method} {path} {body}: {message}"
            );
        }
    }
    // Nothing was created or renamed by the refused bodies.
    let items: Vec<Value> = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("acme"))
        .json_value()
        .await;
    assert_eq!(items, vec![item]);
    let alerts: Vec<Value> = app
        .authed(Method::GET, "/api/alerts/", &alice.access, Some("acme"))
        .json_value()
        .await;
    assert!(alerts.is_empty(), "{alerts:?}");
    app.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let app = spawn_app().await;
    let missing = app.request(Method::GET, "/api/nothing").sent().await;
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let wrong_method = app.request(Method::GET, "/api/user/login").sent().await;
    assert_error(
        wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn hosts_outside_allowed_hosts_are_refused() {
    let app =
        spawn_app_with(|c| c.allowed_hosts = AllowedHosts::Only(vec!["api.example.com".into()]))
            .await;
    let refused = app.request(Method::GET, "/health").sent().await;
    assert_error(refused, StatusCode::BAD_REQUEST, "invalid_host").await;
    let allowed = app
        .request(Method::GET, "/health")
        .header("host", "api.example.com")
        .sent()
        .await;
    assert_eq!(allowed.status(), StatusCode::OK);
    // Refused requests are still counted, by route and status.
    let metrics = app.metrics(Some("api.example.com")).await;
    for needle in [
        r#"tenant_api_http_requests_total{method="GET",route="/health",status="400"} 1"#,
        r#"tenant_api_http_requests_total{method="GET",route="/health",status="200"} 1"#,
    ] {
        assert!(metrics.contains(needle), "missing {needle} in\n{metrics}");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_unreachable_cognito_is_503_and_never_a_500() {
    // Nothing listens on port 9: every Cognito and JWKS call fails to connect.
    let app = spawn_app_with(|c| {
        c.cognito.backend = CognitoBackend::UserPool {
            pool_id: "us-east-1_unreach00".into(),
            client_id: "client".into(),
            endpoint: Some("http://127.0.0.1:9".into()),
        };
        c.cognito.jwks_url = Some("http://127.0.0.1:9/jwks.json".into());
    })
    .await;
    let login = app
        .post_json(
            "/api/user/login",
            json!({"email": "a@example.com", "password": PASSWORD}),
        )
        .await;
    assert!(login.headers().contains_key("retry-after"));
    assert_error(
        login,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    let token = format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k1"}"#),
        URL_SAFE_NO_PAD.encode(
            json!({
                "sub": "x", "token_use": "access", "client_id": "client", "exp": 4_000_000_000u64,
                "iat": 1_700_000_000u64,
                "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_unreach00",
            })
            .to_string()
        )
    );
    let protected = app
        .authed(Method::GET, "/api/items/", &token, Some("acme"))
        .sent()
        .await;
    assert_error(
        protected,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    let ready = app.request(Method::GET, "/health/ready").sent().await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    app.stop().await;
}
