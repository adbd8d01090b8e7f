//! Refresh-token rotation (Cognito, 2025) through the token endpoint and
//! GetTokensFromRefreshToken, and the admin scope GetUser / GlobalSignOut require.

use std::time::Duration;

use openidconnect::{AuthorizationCode, OAuth2TokenResponse, RefreshToken};

use super::{authorize, sign_in, Hosted, WebClient};
use crate::helpers::{error_of, NEW_PASSWORD, TEMP_PASSWORD};

const ADMIN: &str = "aws.cognito.signin.user.admin";

/// Signs the fixture's user in through the browser for the first time (choosing a password);
/// returns access and refresh tokens.
async fn tokens(h: &Hosted, scopes: &[&str]) -> (String, String) {
    tokens_with(h, scopes, TEMP_PASSWORD, Some(NEW_PASSWORD)).await
}

/// Signs the fixture's user in through the browser with `password` (and the new-password page
/// when `new_password` is given).
async fn tokens_with(
    h: &Hosted,
    scopes: &[&str],
    password: &str,
    new_password: Option<&str>,
) -> (String, String) {
    let rp = h.rp().await;
    let request = authorize(&rp, scopes);
    let back = sign_in(
        &mut h.browser(),
        &request.url,
        "ada@example.com",
        password,
        new_password,
    )
    .await;
    let tokens = rp
        .exchange_code(AuthorizationCode::new(back.location_param("code").unwrap()))
        .unwrap()
        .set_pkce_verifier(request.verifier)
        .request_async(&h.http)
        .await
        .unwrap();
    (
        tokens.access_token().secret().clone(),
        tokens.refresh_token().unwrap().secret().clone(),
    )
}

/// The token endpoint's refresh: the new refresh token if one came back, or the OAuth error.
async fn refresh(h: &Hosted, token: &str) -> Result<Option<String>, String> {
    let rp = h.rp().await;
    match rp
        .exchange_refresh_token(&RefreshToken::new(token.to_owned()))
        .unwrap()
        .request_async(&h.http)
        .await
    {
        Ok(response) => Ok(response.refresh_token().map(|t| t.secret().clone())),
        Err(error) => Err(format!("{error:?}")),
    }
}

#[tokio::test]
async fn a_rotating_client_gets_new_refresh_tokens_and_old_ones_die_after_the_grace_period() {
    let h = Hosted::new(WebClient {
        scopes: &["openid", "email", ADMIN],
        rotation_grace: Some(10),
        ..WebClient::default()
    })
    .await;
    let (_, first) = tokens(&h, &["openid", "email", ADMIN]).await;
    let second = refresh(&h, &first)
        .await
        .unwrap()
        .expect("rotation returns a refresh token");
    assert_ne!(first, second);
    // Within the grace period the old token still works (a retry that replaces the second);
    // after it, it fails, and that reuse revokes every generation.
    h.t.clock.advance(Duration::from_secs(5));
    let retried = refresh(&h, &first).await.unwrap().unwrap();
    h.t.clock.advance(Duration::from_secs(6));
    assert!(refresh(&h, &first)
        .await
        .unwrap_err()
        .contains("invalid_grant"));
    assert!(refresh(&h, &retried)
        .await
        .unwrap_err()
        .contains("invalid_grant"));

    // GetTokensFromRefreshToken rotates too; REFRESH_TOKEN_AUTH is refused on this client.
    let (access, second) = tokens_with(&h, &["openid", "email", ADMIN], NEW_PASSWORD, None).await;
    let rotated =
        h.t.sdk
            .get_tokens_from_refresh_token()
            .client_id(&h.client_id)
            .refresh_token(&second)
            .send()
            .await
            .unwrap()
            .authentication_result
            .unwrap();
    let third = rotated.refresh_token.unwrap();
    assert_ne!(third, second);
    let (code, _) = error_of(h.t.refresh(&h.client_id, &third).await);
    assert_eq!(code, "NotAuthorizedException");

    // The token carries the admin scope: GetUser works, and GlobalSignOut revokes every
    // generation.
    h.t.sdk
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    h.t.sdk
        .global_sign_out()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    for token in [&second, &third] {
        assert!(refresh(&h, token)
            .await
            .unwrap_err()
            .contains("invalid_grant"));
    }
}

#[tokio::test]
async fn without_rotation_there_is_no_new_refresh_token_and_no_admin_scope_means_no_get_user() {
    let h = Hosted::new(WebClient::default()).await;
    let (access, refresh_token) = tokens(&h, &["openid"]).await;
    assert_eq!(refresh(&h, &refresh_token).await, Ok(None));
    let (code, message) = error_of(h.t.sdk.get_user().access_token(&access).send().await);
    assert_eq!(code, "NotAuthorizedException");
    assert!(message.contains("scopes"), "{message}");
    let (code, _) = error_of(h.t.sdk.global_sign_out().access_token(&access).send().await);
    assert_eq!(code, "NotAuthorizedException");
    // Asking for a scope the client was not given is refused at the authorization step.
    let rp = h.rp().await;
    let request = authorize(&rp, &["openid", ADMIN]);
    let page = h.browser().get(&request.url).await;
    assert_eq!(
        page.location_param("error").as_deref(),
        Some("invalid_scope")
    );
}
