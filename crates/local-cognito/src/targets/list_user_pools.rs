//! `ListUserPools`: pools in id order, `MaxResults` (required, 1–60) at a time.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::pool::Pool;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    max_results: i64,
    next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    user_pools: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    if !(1..=60).contains(&request.max_results) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: \
             Member must have value between 1 and 60",
        ));
    }
    let pools = services
        .store()
        .list_pools(request.next_token.as_deref(), request.max_results)
        .await?;
    let full = usize::try_from(request.max_results).is_ok_and(|max| pools.len() == max);
    let next_token = if full { pools.last().map(|p| p.id.clone()) } else { None };
    Ok(Response {
        user_pools: pools.iter().map(description).collect(),
        next_token,
    })
}

/// A pool as `ListUserPools` describes it (less than `DescribeUserPool` does).
fn description(pool: &Pool) -> Value {
    json!({
        "Id": pool.id,
        "Name": pool.name,
        "LambdaConfig": {},
        "Status": "Enabled",
        "CreationDate": pool.created_at,
        "LastModifiedDate": pool.modified_at,
    })
}
