//! The JSON API answers only under a `Host` that names the listener (no DNS rebinding), the
//! browser endpoints answer under any, and an empty access key is refused at start-up.

use std::time::SystemTime;

use local_cognito::{ApiAccess, LocalCognito, ManualClock, Options};
use serde_json::Value;

use crate::helpers::{spawn, spawn_with, TestIdp};

/// ListUserPools over raw HTTP with this `Host` (and `Authorization`, if given): the status
/// and the error type, if any.
async fn list_pools(t: &TestIdp, host: &str, authorization: Option<&str>) -> (u16, Option<String>) {
    let mut request = reqwest::Client::new()
        .post(t.base_url())
        .header("host", host)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUserPools",
        )
        .body(r#"{"MaxResults": 10}"#);
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["__type"].as_str().map(str::to_owned))
}

async fn get_status(t: &TestIdp, path: &str, host: &str) -> u16 {
    let url = format!("{}{path}", t.base_url());
    let response = reqwest::Client::new().get(url).header("host", host);
    response.send().await.unwrap().status().as_u16()
}

fn options(clock: &ManualClock) -> Options {
    Options {
        clock: std::sync::Arc::new(clock.clone()),
        ..Options::in_memory()
    }
}

#[tokio::test]
async fn a_rebound_name_cannot_reach_the_json_api_but_the_browser_endpoints_still_answer() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let port = t.running.local_addr().port();

    let (status, kind) = list_pools(&t, &format!("evil.example:{port}"), None).await;
    assert_eq!(
        (status, kind.as_deref()),
        (403, Some("AccessDeniedException"))
    );
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_owned(),
    ] {
        assert_eq!(list_pools(&t, &host, None).await, (200, None), "{host}");
    }
    // The listener's name with another port is not the listener.
    let (status, _) = list_pools(&t, "localhost:1", None).await;
    assert_eq!(status, 403);

    // JWKS, discovery and the Hosted UI are meant for any name (issuers, proxies, browsers).
    let evil = format!("evil.example:{port}");
    for path in [
        format!("/{pool}/.well-known/jwks.json"),
        format!("/{pool}/.well-known/openid-configuration"),
        "/hosted-ui.css".to_owned(),
    ] {
        assert_eq!(get_status(&t, &path, &evil).await, 200, "{path}");
    }
}

#[tokio::test]
async fn the_public_urls_host_and_configured_names_are_the_listeners_too() {
    let clock = ManualClock::new(SystemTime::now());
    let options = Options {
        public_url: Some("http://idp.test:8080".to_owned()),
        api_hosts: vec!["idp".to_owned()],
        ..options(&clock)
    };
    let t = spawn_with(options, clock).await;
    let port = t.running.local_addr().port();
    for host in [
        "idp.test:8080".to_owned(),
        format!("idp:{port}"),
        "IDP".to_owned(),
    ] {
        assert_eq!(list_pools(&t, &host, None).await, (200, None), "{host}");
    }
    let (status, _) = list_pools(&t, "idp.test.evil.example:8080", None).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_caller_signing_with_the_access_key_may_use_any_host() {
    let clock = ManualClock::new(SystemTime::now());
    let options = Options {
        api_access: ApiAccess::AccessKey("shared-key".to_owned()),
        ..options(&clock)
    };
    let t = spawn_with(options, clock).await;
    // A rebinding page cannot know the key: without it, the Host rule applies.
    let signed = "AWS4-HMAC-SHA256 Credential=shared-key/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00";
    let answer = list_pools(&t, "idp.internal:9229", Some(signed)).await;
    assert_eq!(answer, (200, None));
    let (status, _) = list_pools(&t, "idp.internal:9229", None).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn an_empty_access_key_is_refused_at_start_up_naming_the_option() {
    for key in ["", "  "] {
        let options = Options {
            api_access: ApiAccess::AccessKey(key.to_owned()),
            ..Options::in_memory()
        };
        let error = LocalCognito::open(options).await.unwrap_err().to_string();
        assert!(error.contains("--api-access-key"), "{error}");
        assert!(error.contains("LOCAL_COGNITO_API_ACCESS_KEY"), "{error}");
    }
}
