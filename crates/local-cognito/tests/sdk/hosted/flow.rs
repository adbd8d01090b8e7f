//! The browser flow end to end, as an OIDC relying party sees it.

use openidconnect::core::{CoreIdTokenClaims, CoreUserInfoClaims};
use openidconnect::{AccessTokenHash, AuthorizationCode, OAuth2TokenResponse, TokenResponse as _};
use serde_json::Value;

use super::{authorize, sign_in, Hosted, WebClient, CALLBACK, SIGNED_OUT};
use crate::helpers::{claims_of, NEW_PASSWORD, TEMP_PASSWORD};

#[tokio::test]
async fn discovery_publishes_every_endpoint_under_the_tokens_issuer() {
    let h = Hosted::new(WebClient::default()).await;
    let doc =
        h.t.get_json(&format!("/{}/.well-known/openid-configuration", h.pool))
            .await;
    let base = h.t.base_url();
    assert_eq!(doc["issuer"], h.issuer());
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{base}/oauth2/authorize")
    );
    assert_eq!(doc["token_endpoint"], format!("{base}/oauth2/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{base}/oauth2/userInfo"));
    assert_eq!(doc["revocation_endpoint"], format!("{base}/oauth2/revoke"));
    assert_eq!(doc["end_session_endpoint"], format!("{base}/logout"));
    assert_eq!(
        doc["jwks_uri"],
        format!("{}/.well-known/jwks.json", h.issuer())
    );
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
}

#[tokio::test]
async fn a_browser_signs_in_with_a_temporary_password_then_again_and_the_rp_validates_everything() {
    let h = Hosted::new(WebClient::default()).await;
    let rp = h.rp().await;
    let mut browser = h.browser();

    // First visit: the sign-in page, then the new-password page (which names a broken rule).
    let request = authorize(&rp, &["openid", "email", "profile"]);
    let login = browser.visit(&request.url).await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("Tenant web") && login.body.contains("test-pool"));
    assert!(login.body.contains("<label for=\"username\">Email</label>"));
    let csp = login.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert!(
        csp.contains("form-action 'self' http://localhost:3000"),
        "{csp}"
    );
    let csrf = login.field("_csrf").unwrap();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("username", "ada@example.com"),
        ("password", TEMP_PASSWORD),
    ];
    let change = browser.post(&login.form_action(), &fields).await;
    assert_eq!(change.status, 200, "{}", change.body);
    assert!(change.body.contains("Change password"));
    let weak = [
        ("_csrf", change.field("_csrf").unwrap()),
        ("session", change.field("session").unwrap()),
        ("username", change.field("username").unwrap()),
        ("new_password", "alllowercase1!".to_owned()),
        ("confirm_password", "alllowercase1!".to_owned()),
    ];
    let weak: Vec<(&str, &str)> = weak.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = browser.post(&change.form_action(), &weak).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.error_text().unwrap().contains("uppercase"),
        "{}",
        refused.body
    );
    let strong = [
        ("_csrf", refused.field("_csrf").unwrap()),
        ("session", refused.field("session").unwrap()),
        ("username", refused.field("username").unwrap()),
        ("new_password", NEW_PASSWORD.to_owned()),
        ("confirm_password", NEW_PASSWORD.to_owned()),
    ];
    let strong: Vec<(&str, &str)> = strong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let back = browser.post(&refused.form_action(), &strong).await;
    assert_eq!(back.status, 302, "{}", back.body);
    assert!(back.location.as_deref().unwrap().starts_with(CALLBACK));
    assert_eq!(
        back.location_param("state").unwrap(),
        *request.state.secret()
    );
    let session_cookie = format!("cognito-{}", h.pool);
    assert!(browser.cookies.contains_key(&session_cookie));

    // The code exchange; the library validates the id token (issuer, audience, signature, nonce).
    let code = back.location_param("code").unwrap();
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(request.verifier)
        .request_async(&h.http)
        .await
        .unwrap();
    let id_token = tokens.id_token().expect("openid was granted");
    let verifier = rp.id_token_verifier();
    let claims: &CoreIdTokenClaims = id_token.claims(&verifier, &request.nonce).unwrap();
    assert_eq!(claims.email().unwrap().as_str(), "ada@example.com");
    let at_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&at_hash));
    let id = claims_of(&id_token.to_string());
    assert_eq!(id["aud"], h.client_id.as_str());
    assert_eq!(id["custom:tenant_id"], "tenant-a");
    let access = claims_of(tokens.access_token().secret());
    assert_eq!(access["scope"], "openid email profile");
    assert_eq!(access["client_id"], h.client_id.as_str());
    assert!(access["auth_time"].is_i64());
    assert!(access.get("aud").is_none());

    // userInfo through the library, and Cognito's string booleans on the wire.
    let info: CoreUserInfoClaims = rp
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&h.http)
        .await
        .unwrap();
    assert_eq!(info.email().unwrap().as_str(), "ada@example.com");
    let raw: Value = h
        .http
        .get(format!("{}/oauth2/userInfo", h.t.base_url()))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["email_verified"], "true");
    assert_eq!(raw["custom:tenant_id"], "tenant-a");

    // A refresh on a client without rotation: new access and id tokens, no refresh token.
    let refresh_token = tokens.refresh_token().unwrap().clone();
    let refreshed = rp
        .exchange_refresh_token(&refresh_token)
        .unwrap()
        .request_async(&h.http)
        .await
        .unwrap();
    assert!(refreshed.refresh_token().is_none());
    assert_eq!(
        claims_of(refreshed.access_token().secret())["scope"],
        "openid email profile"
    );

    // With the session cookie, a new authorization goes straight back with a code.
    let again = authorize(&rp, &["openid"]);
    let straight = browser.get(&again.url).await;
    let straight = browser.get(straight.location.as_deref().unwrap()).await;
    assert_eq!(straight.status, 302);
    assert!(straight.location_param("code").is_some());

    // Sign-out ends the session: the next authorization shows the form; a normal sign-in works.
    let logout = format!(
        "{}/logout?client_id={}&logout_uri={}",
        h.t.base_url(),
        h.client_id,
        url::form_urlencoded::byte_serialize(SIGNED_OUT.as_bytes()).collect::<String>()
    );
    let out = browser.get(&logout).await;
    assert_eq!(out.status, 302);
    assert_eq!(out.location.as_deref(), Some(SIGNED_OUT));
    assert!(!browser.cookies.contains_key(&session_cookie));
    let third = authorize(&rp, &["openid", "email"]);
    let back = sign_in(
        &mut browser,
        &third.url,
        "ada@example.com",
        NEW_PASSWORD,
        None,
    )
    .await;
    let tokens = rp
        .exchange_code(AuthorizationCode::new(back.location_param("code").unwrap()))
        .unwrap()
        .set_pkce_verifier(third.verifier)
        .request_async(&h.http)
        .await
        .unwrap();
    tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &third.nonce)
        .unwrap();

    // Revocation: the refresh token stops working, and so do its access tokens at userInfo.
    let revocable = tokens.refresh_token().unwrap().secret().clone();
    let revoked = h
        .http
        .post(format!("{}/oauth2/revoke", h.t.base_url()))
        .form(&[
            ("token", revocable.as_str()),
            ("client_id", h.client_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let denied = h
        .http
        .get(format!("{}/oauth2/userInfo", h.t.base_url()))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);
    assert!(denied.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
    let refused = rp
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&h.http)
        .await;
    assert!(
        format!("{refused:?}").contains("invalid_grant"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_confidential_client_authenticates_with_basic_or_in_the_body_and_no_nonce_means_none() {
    let h = Hosted::new(WebClient {
        secret: true,
        ..WebClient::default()
    })
    .await;
    let secret = h.client_secret.clone().unwrap();
    // The library's default is client_secret_basic (form-url-encoded credentials).
    let rp = h.rp().await;
    let request = authorize(&rp, &["openid"]);
    let mut browser = h.browser();
    let back = sign_in(
        &mut browser,
        &request.url,
        "ada@example.com",
        TEMP_PASSWORD,
        Some(NEW_PASSWORD),
    )
    .await;
    let tokens = rp
        .exchange_code(AuthorizationCode::new(back.location_param("code").unwrap()))
        .unwrap()
        .set_pkce_verifier(request.verifier)
        .request_async(&h.http)
        .await
        .unwrap();
    tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &request.nonce)
        .unwrap();

    // client_secret_post, and an authorization request without nonce or PKCE: the id token
    // then carries no nonce (Auth.js fails on one it did not send).
    let url = format!(
        "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=s1",
        h.t.base_url(),
        h.client_id,
        url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>()
    );
    let straight = browser.visit(&url).await;
    assert_eq!(straight.location_param("state").as_deref(), Some("s1"));
    let code = straight.location_param("code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("client_id", h.client_id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    let body: Value = h
        .http
        .post(format!("{}/oauth2/token", h.t.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = claims_of(body["id_token"].as_str().unwrap());
    assert!(id.get("nonce").is_none());
    assert!(id["at_hash"].is_string());
}
