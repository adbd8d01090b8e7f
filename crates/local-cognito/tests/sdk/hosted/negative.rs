//! What the Hosted UI refuses: unregistered redirects, plain PKCE, wrong verifiers, reused,
//! expired and foreign codes, forms without their CSRF token, scopes the client may not ask.

use std::time::Duration;

use openidconnect::{AuthorizationCode, PkceCodeVerifier};
use serde_json::Value;

use super::{authorize, sign_in, web_client, Hosted, WebClient, CALLBACK};
use crate::helpers::{error_of, NEW_PASSWORD};

/// A Hosted fixture whose user already has a permanent password.
async fn confirmed() -> Hosted {
    let h = Hosted::new(WebClient::default()).await;
    let rp = h.rp().await;
    let request = authorize(&rp, &["openid"]);
    let mut browser = h.browser();
    sign_in(
        &mut browser,
        &request.url,
        "ada@example.com",
        crate::helpers::TEMP_PASSWORD,
        Some(NEW_PASSWORD),
    )
    .await;
    h
}

/// Signs in in a fresh browser and returns the code and the request's PKCE verifier.
async fn fresh_code(h: &Hosted) -> (String, PkceCodeVerifier) {
    let rp = h.rp().await;
    let request = authorize(&rp, &["openid"]);
    let back = sign_in(
        &mut h.browser(),
        &request.url,
        "ada@example.com",
        NEW_PASSWORD,
        None,
    )
    .await;
    (back.location_param("code").unwrap(), request.verifier)
}

async fn token_request(h: &Hosted, form: &[(&str, &str)]) -> (u16, Value) {
    let response = h
        .http
        .post(format!("{}/oauth2/token", h.t.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn redeem(h: &Hosted, code: &str, verifier: &str) -> (u16, Value) {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", verifier),
        ("client_id", h.client_id.as_str()),
    ];
    token_request(h, &form).await
}

fn replace_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

#[tokio::test]
async fn an_unregistered_or_edited_redirect_uri_is_an_error_page_never_a_redirect() {
    let h = Hosted::new(WebClient::default()).await;
    let request = authorize(&h.rp().await, &["openid"]);
    for redirect in [
        "https://evil.example/cb",
        "http://localhost:3000/api/auth/callback/cognito/",
        "http://localhost:3001/api/auth/callback/cognito",
    ] {
        let page = h
            .browser()
            .get(&replace_param(&request.url, "redirect_uri", redirect))
            .await;
        assert_eq!(page.status, 400, "{redirect}");
        assert!(page.location.is_none());
        assert!(page.body.contains("redirect_mismatch"));
    }
    let unknown = h
        .browser()
        .get(&replace_param(&request.url, "client_id", "nosuchclient"))
        .await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.location.is_none());
}

#[tokio::test]
async fn plain_pkce_and_disallowed_scopes_go_back_with_an_error_and_the_state() {
    let h = Hosted::new(WebClient::default()).await;
    let request = authorize(&h.rp().await, &["openid"]);
    let state = request.state.secret().clone();
    let plain = h
        .browser()
        .get(&replace_param(
            &request.url,
            "code_challenge_method",
            "plain",
        ))
        .await;
    assert_eq!(plain.status, 302);
    assert!(plain.location.as_deref().unwrap().starts_with(CALLBACK));
    assert_eq!(
        plain.location_param("error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(plain.location_param("state"), Some(state.clone()));
    let scope = h
        .browser()
        .get(&replace_param(&request.url, "scope", "openid phone"))
        .await;
    assert_eq!(
        scope.location_param("error").as_deref(),
        Some("invalid_scope")
    );
    assert_eq!(scope.location_param("state"), Some(state));
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let h = Hosted::new(WebClient::default()).await;
    let request = authorize(&h.rp().await, &["openid"]);
    let mut browser = h.browser();
    let form = browser.visit(&request.url).await;
    let fields = [
        ("username", "ada@example.com"),
        ("password", crate::helpers::TEMP_PASSWORD),
    ];
    let refused = browser.post(&form.form_action(), &fields).await;
    assert_eq!(refused.status, 403);
    assert!(refused.location.is_none());
    // A token that is not the cookie's is refused too.
    let forged = [("_csrf", "forged"), fields[0], fields[1]];
    assert_eq!(browser.post(&form.form_action(), &forged).await.status, 403);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_get_the_same_message() {
    let h = confirmed().await;
    let request = authorize(&h.rp().await, &["openid"]);
    let mut messages = Vec::new();
    for (user, password) in [
        ("ada@example.com", "Wrong-Passw0rd!"),
        ("nobody@example.com", NEW_PASSWORD),
    ] {
        let mut browser = h.browser();
        let form = browser.visit(&request.url).await;
        let csrf = form.field("_csrf").unwrap();
        let page = browser
            .post(
                &form.form_action(),
                &[
                    ("_csrf", csrf.as_str()),
                    ("username", user),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(page.status, 400);
        messages.push(page.error_text().unwrap());
    }
    assert_eq!(messages[0], "Incorrect username or password.");
    assert_eq!(messages[0], messages[1]);
    // A disabled user with the right password reads the same.
    h.t.sdk
        .admin_disable_user()
        .user_pool_id(&h.pool)
        .username("ada@example.com")
        .send()
        .await
        .unwrap();
    let mut browser = h.browser();
    let form = browser.visit(&request.url).await;
    let csrf = form.field("_csrf").unwrap();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("username", "ada@example.com"),
        ("password", NEW_PASSWORD),
    ];
    let page = browser.post(&form.form_action(), &fields).await;
    assert_eq!(page.error_text().unwrap(), messages[0]);
}

#[tokio::test]
async fn codes_are_single_use_bound_to_the_verifier_and_expire_after_five_minutes() {
    let h = confirmed().await;
    // Wrong verifier: refused, and the code is burnt.
    let (code, verifier) = fresh_code(&h).await;
    let wrong = "x".repeat(50);
    assert_eq!(
        redeem(&h, &code, &wrong).await,
        (400, serde_json::json!({"error": "invalid_grant"}))
    );
    assert_eq!(
        redeem(&h, &code, verifier.secret()).await.1["error"],
        "invalid_grant"
    );
    // Reused code.
    let (code, verifier) = fresh_code(&h).await;
    let (status, body) = redeem(&h, &code, verifier.secret()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["id_token"].is_string() && body["refresh_token"].is_string());
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(
        redeem(&h, &code, verifier.secret()).await.1["error"],
        "invalid_grant"
    );
    // Expired code (the manual clock moves past five minutes).
    let (code, verifier) = fresh_code(&h).await;
    h.t.clock.advance(Duration::from_secs(301));
    assert_eq!(
        redeem(&h, &code, verifier.secret()).await.1["error"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn a_code_of_client_a_cannot_be_redeemed_by_client_b() {
    let h = confirmed().await;
    let (b_id, b_secret) = web_client(
        &h.t,
        &h.pool,
        &WebClient {
            secret: true,
            ..WebClient::default()
        },
    )
    .await;
    let b_secret = b_secret.unwrap();
    let (code, verifier) = fresh_code(&h).await;
    let rp_b = h.rp_for(&b_id, Some(&b_secret)).await;
    let result = rp_b
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&h.http)
        .await;
    assert!(
        format!("{result:?}").contains("invalid_grant"),
        "{result:?}"
    );
    // A confidential client with a wrong secret is invalid_client, 401.
    let (status, body) = token_request(
        &h,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", &b_id),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn client_settings_are_validated_as_cognito_does() {
    let h = Hosted::new(WebClient::default()).await;
    let base = || {
        h.t.sdk
            .create_user_pool_client()
            .user_pool_id(&h.pool)
            .client_name("bad")
            .allowed_o_auth_flows(aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .supported_identity_providers("COGNITO")
    };
    let http = base()
        .allowed_o_auth_scopes("openid")
        .callback_urls("http://app.example.com/cb");
    assert_eq!(error_of(http.send().await).0, "InvalidParameterException");
    let fragment = base()
        .allowed_o_auth_scopes("openid")
        .callback_urls("https://app.example.com/cb#x");
    assert_eq!(
        error_of(fragment.send().await).0,
        "InvalidParameterException"
    );
    let email_only = base()
        .allowed_o_auth_scopes("email")
        .callback_urls(CALLBACK);
    assert_eq!(
        error_of(email_only.send().await).0,
        "InvalidParameterException"
    );
    let described =
        h.t.sdk
            .describe_user_pool_client()
            .user_pool_id(&h.pool)
            .client_id(&h.client_id)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
    assert_eq!(described.callback_urls(), [CALLBACK]);
    assert!(described
        .allowed_o_auth_flows_user_pool_client()
        .unwrap_or_default());
    assert_eq!(
        described.allowed_o_auth_scopes(),
        ["openid", "email", "profile"]
    );
}

#[tokio::test]
async fn the_token_endpoint_answers_cors_preflights() {
    let h = Hosted::new(WebClient::default()).await;
    let response = h
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/oauth2/token", h.t.base_url()),
        )
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let (status, body) = token_request(
        &h,
        &[("grant_type", "password"), ("client_id", &h.client_id)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
}

#[tokio::test]
async fn logout_redirects_only_to_registered_places() {
    let h = confirmed().await;
    let base = h.t.base_url();
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut browser = h.browser();
    let evil = format!(
        "{base}/logout?client_id={}&logout_uri={}",
        h.client_id,
        encode("https://evil.example/")
    );
    let refused = browser.get(&evil).await;
    assert_eq!(refused.status, 400);
    assert!(refused.location.is_none());
    // The re-sign-in form: /logout with the authorization parameters shows /login again.
    let again = format!(
        "{base}/logout?client_id={}&response_type=code&redirect_uri={}&state=s2&scope=openid",
        h.client_id,
        encode(CALLBACK)
    );
    let page = browser.visit(&again).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Sign in</h1>"));
    let unregistered = again.replace(&encode(CALLBACK), &encode("https://evil.example/cb"));
    assert!(browser.get(&unregistered).await.location.is_none());
}
