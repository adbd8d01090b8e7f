//! `DescribeUserPoolDomain`: the pool a domain belongs to; an unknown domain answers an empty
//! `DomainDescription`, as Cognito does.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    domain: String,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Value, CognitoError> {
    let Some(pool_id) = services.store().domain_pool(&request.domain).await? else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    Ok(json!({
        "DomainDescription": {
            "UserPoolId": pool_id,
            "AWSAccountId": "000000000000",
            "Domain": request.domain,
            "Status": "ACTIVE",
            "Version": "1",
            "ManagedLoginVersion": 1,
            "CloudFrontDistribution": "local-cognito.invalid",
        }
    }))
}
