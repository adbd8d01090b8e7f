//! `CreateGroup`: a named group in a pool; its members get `cognito:groups` claims.

use serde::{Deserialize, Serialize};

use crate::error::CognitoError;
use crate::service::Services;
use crate::store::Group;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    group_name: String,
    description: Option<String>,
    precedence: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GroupView {
    group_name: String,
    user_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precedence: Option<i64>,
    creation_date: i64,
    last_modified_date: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    group: GroupView,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    if request.group_name.is_empty() {
        return Err(CognitoError::invalid_parameter("GroupName must not be empty."));
    }
    let now = services.now();
    let group = Group {
        pool_id: pool.id,
        name: request.group_name,
        description: request.description,
        precedence: request.precedence,
        created_at: now,
        modified_at: now,
    };
    if !services.store().insert_group(&group).await? {
        return Err(CognitoError::new(
            "GroupExistsException",
            "A group with the name already exists.",
        ));
    }
    Ok(Response {
        group: GroupView::from(group),
    })
}

impl From<Group> for GroupView {
    fn from(group: Group) -> Self {
        GroupView {
            group_name: group.name,
            user_pool_id: group.pool_id,
            description: group.description,
            precedence: group.precedence,
            creation_date: group.created_at,
            last_modified_date: group.modified_at,
        }
    }
}
