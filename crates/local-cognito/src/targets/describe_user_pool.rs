//! `DescribeUserPool`: the pool including its full schema.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::views;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    user_pool: Value,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let users = services.store().count_users(&pool.id).await?;
    let mut user_pool = views::pool(&pool, users);
    if let Some(domain) = services.store().pool_domain(&pool.id).await? {
        user_pool["Domain"] = Value::String(domain);
    }
    Ok(Response { user_pool })
}
