//! The app-client and domain settings through the real SDK: UpdateUserPoolClient (omitted
//! fields return to their defaults, as in Cognito) and the user pool domain operations.

use aws_sdk_cognitoidentityprovider::types::{FeatureType, OAuthFlowType};

use super::{Hosted, WebClient, CALLBACK};
use crate::helpers::error_of;

#[tokio::test]
async fn update_user_pool_client_replaces_the_oauth_settings() {
    let h = Hosted::new(WebClient::default()).await;
    let updated =
        h.t.sdk
            .update_user_pool_client()
            .user_pool_id(&h.pool)
            .client_id(&h.client_id)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_scopes("openid")
            .callback_urls(CALLBACK)
            .default_redirect_uri(CALLBACK)
            .supported_identity_providers("COGNITO")
            .refresh_token_rotation(
                aws_sdk_cognitoidentityprovider::types::RefreshTokenRotationType::builder()
                    .feature(FeatureType::Enabled)
                    .retry_grace_period_seconds(30)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
    assert_eq!(updated.client_id(), Some(h.client_id.as_str()));
    assert_eq!(updated.allowed_o_auth_scopes(), ["openid"]);
    assert!(
        updated.logout_urls().is_empty(),
        "omitted fields return to their defaults"
    );
    assert_eq!(updated.default_redirect_uri(), Some(CALLBACK));
    let rotation = updated.refresh_token_rotation().unwrap();
    assert_eq!(rotation.feature(), &FeatureType::Enabled);
    assert_eq!(rotation.retry_grace_period_seconds(), Some(30));
    // A grace period beyond 60 seconds is refused.
    let too_long =
        h.t.sdk
            .update_user_pool_client()
            .user_pool_id(&h.pool)
            .client_id(&h.client_id)
            .refresh_token_rotation(
                aws_sdk_cognitoidentityprovider::types::RefreshTokenRotationType::builder()
                    .feature(FeatureType::Enabled)
                    .retry_grace_period_seconds(61)
                    .build()
                    .unwrap(),
            )
            .send()
            .await;
    assert_eq!(error_of(too_long).0, "InvalidParameterException");
}

#[tokio::test]
async fn a_pool_has_one_domain_that_can_be_described_and_deleted() {
    let h = Hosted::new(WebClient::default()).await;
    let sdk = &h.t.sdk;
    sdk.create_user_pool_domain()
        .user_pool_id(&h.pool)
        .domain("tenant-web")
        .send()
        .await
        .unwrap();
    let described = sdk
        .describe_user_pool_domain()
        .domain("tenant-web")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(described.user_pool_id(), Some(h.pool.as_str()));
    let pool = sdk
        .describe_user_pool()
        .user_pool_id(&h.pool)
        .send()
        .await
        .unwrap();
    assert_eq!(pool.user_pool().unwrap().domain(), Some("tenant-web"));
    let second = sdk
        .create_user_pool_domain()
        .user_pool_id(&h.pool)
        .domain("other-web")
        .send()
        .await;
    assert_eq!(error_of(second).0, "InvalidParameterException");
    let reserved = sdk
        .create_user_pool_domain()
        .user_pool_id(&h.pool)
        .domain("my-cognito")
        .send()
        .await;
    assert_eq!(error_of(reserved).0, "InvalidParameterException");
    sdk.delete_user_pool_domain()
        .user_pool_id(&h.pool)
        .domain("tenant-web")
        .send()
        .await
        .unwrap();
    let gone = sdk
        .describe_user_pool_domain()
        .domain("tenant-web")
        .send()
        .await
        .unwrap();
    assert!(gone.domain_description.unwrap().user_pool_id().is_none());
}
