//! The wire protocol as any SDK sees it: error headers and bodies, unknown operations,
//! malformed input, and the `.well-known` documents.

use serde_json::{json, Value};

use crate::helpers::{spawn, ClientSpec};

async fn call(base_url: &str, target: &str, content_type: &str, body: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base_url}/"))
        .header("content-type", content_type)
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{target}"),
        )
        // A SigV4 header that could never verify: it is accepted and ignored.
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=x/y, Signature=zzz",
        )
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unimplemented_operation_is_a_400_that_names_it() {
    let t = spawn().await;
    let response = call(
        &t.base_url(),
        "ForgotPassword",
        "application/x-amz-json-1.1",
        "{}",
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "UnknownOperationException"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["__type"], "UnknownOperationException");
    assert!(body["message"].as_str().unwrap().contains("ForgotPassword"));
}

#[tokio::test]
async fn malformed_json_and_missing_fields_are_invalid_parameters() {
    let t = spawn().await;
    for (content_type, body) in [
        ("application/x-amz-json-1.1", "{not json"),
        ("application/x-amz-json-1.0", r#"{"PoolNameTypo":"x"}"#),
    ] {
        let response = call(&t.base_url(), "CreateUserPool", content_type, body).await;
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "InvalidParameterException"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["__type"], "InvalidParameterException");
    }
}

#[tokio::test]
async fn errors_carry_the_type_header_and_json_body() {
    let t = spawn().await;
    let body = json!({ "UserPoolId": "us-east-1_missing00" }).to_string();
    let response = call(
        &t.base_url(),
        "DescribeUserPool",
        "application/x-amz-json-1.1",
        &body,
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "ResourceNotFoundException"
    );
    assert!(response.headers().contains_key("x-amzn-requestid"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["__type"], "ResourceNotFoundException");
    assert_eq!(
        body["message"],
        "User pool us-east-1_missing00 does not exist."
    );
}

#[tokio::test]
async fn the_openid_issuer_equals_the_tokens_iss_and_points_at_the_jwks() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    let config = t
        .get_json(&format!("/{pool}/.well-known/openid-configuration"))
        .await;
    let claims = t
        .verified_claims(&pool, tokens.id_token.as_deref().unwrap())
        .await;
    assert_eq!(config["issuer"], claims["iss"]);
    assert_eq!(
        config["jwks_uri"],
        format!("{}/{pool}/.well-known/jwks.json", t.base_url()).as_str()
    );
    let jwks = t.get_json(&format!("/{pool}/.well-known/jwks.json")).await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(
        keys.len(),
        2,
        "one key for id tokens, one for access tokens"
    );
    assert_ne!(keys[0]["kid"], keys[1]["kid"]);

    let missing = reqwest::get(format!(
        "{}/us-east-1_missing00/.well-known/jwks.json",
        t.base_url()
    ))
    .await
    .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_token_signed_by_another_provider_does_not_verify_against_this_jwks() {
    let a = spawn().await;
    let b = spawn().await;
    let pool_a = a.create_pool(false).await;
    let client_a = a.create_client(&pool_a, ClientSpec::default()).await;
    let (_, tokens) = a.confirmed_user(&pool_a, &client_a.id, "alice", "t").await;
    let pool_b = b.create_pool(false).await;
    let jwks_b = b
        .get_json(&format!("/{pool_b}/.well-known/jwks.json"))
        .await;
    assert!(
        crate::helpers::verify_with_jwks(&jwks_b, tokens.access_token.as_deref().unwrap())
            .is_none()
    );
    let (code, _) = crate::helpers::error_of(
        b.sdk
            .get_user()
            .access_token(tokens.access_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
}

#[tokio::test]
async fn answers_use_the_protocol_version_the_caller_spoke() {
    let t = spawn().await;
    for version in ["1.0", "1.1"] {
        let content_type = format!("application/x-amz-json-{version}");
        let response = call(
            &t.base_url(),
            "ListUserPools",
            &content_type,
            r#"{"MaxResults":5}"#,
        )
        .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], content_type.as_str());
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["UserPools"], json!([]));
    }
    let wrong = call(
        &t.base_url(),
        "ListUserPools",
        "text/plain",
        r#"{"MaxResults":5}"#,
    )
    .await;
    assert_eq!(wrong.status(), 400);
}
