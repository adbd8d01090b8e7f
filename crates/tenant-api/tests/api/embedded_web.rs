//! The embedded web client: created once per pool, remembered, its URLs kept in step with the
//! configuration.

use std::net::SocketAddr;

use tenant_api::embedded::EmbeddedIdp;
use tenant_api::embedded_web::ensure_web_client;

#[tokio::test]
async fn the_web_client_is_created_once_and_follows_the_configured_urls() {
    let dir = tempfile::tempdir().unwrap();
    let idp = EmbeddedIdp::start(
        dir.path(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        "us-east-1",
    )
    .await
    .unwrap();
    let pool = idp.ids.pool_id.clone();
    let first_urls = vec!["http://localhost:3000/api/auth/callback/cognito".to_owned()];
    let logout = vec!["http://localhost:3000/".to_owned()];
    let first = ensure_web_client(&idp.client, dir.path(), &pool, &first_urls, &logout)
        .await
        .unwrap();
    let moved = vec!["https://app.example.com/callback".to_owned()];
    let again = ensure_web_client(&idp.client, dir.path(), &pool, &moved, &logout)
        .await
        .unwrap();
    assert_eq!(first, again, "remembered, not created again");

    let described = idp
        .client
        .describe_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&first)
        .send()
        .await
        .unwrap();
    let client = described.user_pool_client().unwrap();
    assert_eq!(client.callback_urls(), moved.as_slice());
    assert!(client.client_secret().is_none(), "a public client");
    let mut scopes = client.allowed_o_auth_scopes().to_vec();
    scopes.sort();
    assert_eq!(scopes, ["email", "openid", "profile"]);
    assert!(client.refresh_token_rotation().is_some());
    let domain = idp
        .client
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert!(domain.user_pool().unwrap().domain().is_some());
    idp.running.shutdown().await;
}
