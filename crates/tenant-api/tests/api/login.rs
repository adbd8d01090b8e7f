//! The sign-in flow end to end: temporary password, challenge, tokens, refresh, logout.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, RequestExt, PASSWORD};

#[tokio::test]
async fn first_sign_in_walks_the_new_password_challenge_to_tokens() {
    let app = spawn_app().await;
    app.create_user("alice@example.com", "acme").await;

    let challenge: Value = app
        .post_json(
            "/api/user/login",
            json!({"email": "alice@example.com", "password": "Temp-Passw0rd!"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(challenge["challenge"], "NEW_PASSWORD_REQUIRED");
    assert!(challenge["access_token"].is_null());

    let tokens = app
        .post_json(
            "/api/user/new-password",
            json!({"email": "alice@example.com", "new_password": PASSWORD, "session": challenge["session"]}),
        )
        .await;
    assert_eq!(tokens.status(), StatusCode::OK);
    let tokens: Value = tokens.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["expires_in"].as_i64().unwrap() > 0);

    let me: Value = app
        .authed(
            Method::GET,
            "/api/items/me",
            tokens["access_token"].as_str().unwrap(),
            None,
        )
        .json_value()
        .await;
    assert_eq!(me["token_use"], "access");
    assert!(me["sub"].as_str().is_some_and(|s| !s.is_empty()));

    // The permanent password now signs in straight to tokens.
    let again: Value = app
        .post_json(
            "/api/user/login",
            json!({"email": "alice@example.com", "password": PASSWORD}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(again["access_token"].is_string());
    assert!(again["challenge"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn wrong_password_unknown_user_and_disabled_user_get_the_same_answer() {
    let app = spawn_app().await;
    let session = app.signed_in_user("bob@example.com", "acme").await;
    let wrong = app
        .post_json(
            "/api/user/login",
            json!({"email": session.email, "password": "Wrong-Passw0rd!"}),
        )
        .await;
    let wrong = assert_error(wrong, StatusCode::BAD_REQUEST, "invalid_credentials").await;
    let unknown = app
        .post_json(
            "/api/user/login",
            json!({"email": "nobody@example.com", "password": PASSWORD}),
        )
        .await;
    let unknown = assert_error(unknown, StatusCode::BAD_REQUEST, "invalid_credentials").await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["message"], "Invalid email or password");
    app.stop().await;
}

#[tokio::test]
async fn a_reused_or_forged_session_is_refused() {
    let app = spawn_app().await;
    app.create_user("carol@example.com", "acme").await;
    let forged = app
        .post_json(
            "/api/user/new-password",
            json!({"email": "carol@example.com", "new_password": PASSWORD, "session": "forged"}),
        )
        .await;
    assert_error(forged, StatusCode::BAD_REQUEST, "invalid_session").await;
    app.stop().await;
}

#[tokio::test]
async fn a_weak_new_password_is_refused_naming_the_rule() {
    let app = spawn_app().await;
    app.create_user("dave@example.com", "acme").await;
    let challenge: Value = app
        .post_json(
            "/api/user/login",
            json!({"email": "dave@example.com", "password": "Temp-Passw0rd!"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let weak = app
        .post_json(
            "/api/user/new-password",
            json!({"email": "dave@example.com", "new_password": "alllowercase1!", "session": challenge["session"]}),
        )
        .await;
    let body = assert_error(weak, StatusCode::BAD_REQUEST, "invalid_password").await;
    assert_eq!(body["message"], "Password must contain an uppercase letter");
    app.stop().await;
}

#[tokio::test]
async fn refresh_issues_new_tokens_and_logout_revokes_everything() {
    let app = spawn_app().await;
    let session = app.signed_in_user("erin@example.com", "acme").await;

    let refreshed = app
        .post_json(
            "/api/user/refresh",
            json!({"refresh_token": session.refresh}),
        )
        .await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let refreshed: Value = refreshed.json().await.unwrap();
    let new_access = refreshed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new_access, session.access);
    assert_eq!(refreshed["refresh_token"], session.refresh.as_str());

    let logout = app
        .authed(Method::POST, "/api/user/logout", &session.access, None)
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(logout.json::<Value>().await.unwrap(), json!({"ok": true}));

    // Every token issued before the sign-out is refused at once, and so is the refresh token.
    for token in [&session.access, &new_access] {
        let me = app
            .authed(Method::GET, "/api/items/me", token, None)
            .sent()
            .await;
        assert_error(me, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    let refresh = app
        .post_json(
            "/api/user/refresh",
            json!({"refresh_token": session.refresh}),
        )
        .await;
    assert_error(refresh, StatusCode::BAD_REQUEST, "invalid_refresh_token").await;

    // Logging out again with the revoked token still answers ok.
    let again = app
        .authed(Method::POST, "/api/user/logout", &session.access, None)
        .sent()
        .await;
    assert_eq!(again.status(), StatusCode::OK);

    // A fresh sign-in works.
    let fresh: Value = app
        .post_json(
            "/api/user/login",
            json!({"email": session.email, "password": PASSWORD}),
        )
        .await
        .json()
        .await
        .unwrap();
    let me = app
        .authed(
            Method::GET,
            "/api/items/me",
            fresh["access_token"].as_str().unwrap(),
            None,
        )
        .sent()
        .await;
    assert_eq!(me.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn garbage_refresh_token_is_a_clear_400() {
    let app = spawn_app().await;
    let response = app
        .post_json("/api/user/refresh", json!({"refresh_token": "not-a-token"}))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_refresh_token").await;
    app.stop().await;
}

#[tokio::test]
async fn logout_without_a_token_is_401_with_a_bearer_challenge() {
    let app = spawn_app().await;
    let response = app.request(Method::POST, "/api/user/logout").sent().await;
    assert_eq!(
        response.headers().get("www-authenticate").unwrap(),
        "Bearer"
    );
    assert_error(response, StatusCode::UNAUTHORIZED, "missing_token").await;
    app.stop().await;
}

/// `/api/user/login` costs the same for an unknown email as for a wrong password: many
/// interleaved tries, medians compared with a generous bound (before the identity provider hashed
/// a dummy for unknown users, they were answered in about a tenth of the time). Each try uses
/// its own name, so no lockout shortens any of them.
#[tokio::test]
async fn sign_in_costs_the_same_whether_or_not_the_account_exists() {
    const TRIES: usize = 15;
    let app = spawn_app().await;
    for i in 0..TRIES {
        app.create_user(&format!("known-{i}@example.com"), "acme")
            .await;
    }
    let attempt = |email: String| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let answer = app
                .post_json(
                    "/api/user/login",
                    json!({"email": email, "password": "Wrong-Passw0rd!"}),
                )
                .await;
            let elapsed = started.elapsed();
            assert_error(answer, StatusCode::BAD_REQUEST, "invalid_credentials").await;
            elapsed
        }
    };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..TRIES {
        known.push(attempt(format!("known-{i}@example.com")).await);
        unknown.push(attempt(format!("nobody-{i}@example.com")).await);
    }
    known.sort();
    unknown.sort();
    let (known, unknown) = (known[TRIES / 2], unknown[TRIES / 2]);
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!(
        ratio >= 0.5,
        "an unknown email answers in {unknown:?}, a wrong password in {known:?} (ratio {ratio:.2})"
    );
    app.stop().await;
}
