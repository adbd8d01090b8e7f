//! Wire views of stored pools, clients and users (`UserPoolType`, `UserPoolClientType`,
//! `UserType`), shared by the operations that return them.

use serde::Serialize;
use serde_json::{json, Value};

use crate::domain::attributes::{to_wire, AttributeType};
use crate::domain::client::{Client, ClientSettings};
use crate::domain::pool::Pool;
use crate::domain::user::User;

/// `UserPoolType`.
pub(super) fn pool(pool: &Pool, estimated_users: i64) -> Value {
    let settings = &pool.settings;
    let mut view = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pool.arn(),
        "Policies": { "PasswordPolicy": settings.password_policy },
        "SchemaAttributes": settings.schema,
        "AutoVerifiedAttributes": settings.auto_verified_attributes,
        "MfaConfiguration": settings.mfa_configuration,
        "EstimatedNumberOfUsers": estimated_users,
        "CreationDate": pool.created_at,
        "LastModifiedDate": pool.modified_at,
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": settings.allow_admin_create_user_only,
            "UnusedAccountValidityDays": settings.password_policy.temporary_password_validity_days,
        },
        "LambdaConfig": {},
        "DeletionProtection": "INACTIVE",
    });
    if !settings.username_attributes.is_empty() {
        view["UsernameAttributes"] = json!(settings.username_attributes);
    }
    if !settings.alias_attributes.is_empty() {
        view["AliasAttributes"] = json!(settings.alias_attributes);
    }
    view
}

/// `UserPoolClientType`; the secret is included because Cognito returns it to administrators.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ClientView<'a> {
    user_pool_id: &'a str,
    client_name: &'a str,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    creation_date: i64,
    last_modified_date: i64,
    #[serde(flatten)]
    settings: &'a ClientSettings,
}

pub(super) fn client(client: &Client) -> ClientView<'_> {
    ClientView {
        user_pool_id: &client.pool_id,
        client_name: &client.name,
        client_id: &client.id,
        client_secret: client.secret.as_deref(),
        creation_date: client.created_at,
        last_modified_date: client.modified_at,
        settings: &client.settings,
    }
}

/// `UserType` (as in AdminCreateUser and ListUsers).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct UserView {
    username: String,
    attributes: Vec<AttributeType>,
    user_create_date: i64,
    user_last_modified_date: i64,
    enabled: bool,
    user_status: &'static str,
}

pub(super) fn user(user: &User) -> UserView {
    UserView {
        username: user.username.clone(),
        attributes: to_wire(&user.attributes),
        user_create_date: user.created_at,
        user_last_modified_date: user.modified_at,
        enabled: user.enabled,
        user_status: user.status.as_str(),
    }
}
