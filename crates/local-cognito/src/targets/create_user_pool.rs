//! `CreateUserPool`: a pool with its schema, password policy and username attributes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::views;
use crate::crypto::random;
use crate::domain::password_policy::PasswordPolicy;
use crate::domain::pool::{build_schema, Pool, PoolSettings, SchemaAttribute};
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Policies {
    password_policy: Option<PasswordPolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AdminCreateUserConfig {
    #[serde(default)]
    allow_admin_create_user_only: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    pool_name: String,
    policies: Option<Policies>,
    #[serde(default)]
    schema: Vec<SchemaAttribute>,
    #[serde(default)]
    username_attributes: Vec<String>,
    #[serde(default)]
    alias_attributes: Vec<String>,
    #[serde(default)]
    auto_verified_attributes: Vec<String>,
    admin_create_user_config: Option<AdminCreateUserConfig>,
    mfa_configuration: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    user_pool: Value,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    request.validate()?;
    let now = services.now();
    let pool = Pool {
        id: random::pool_id(&services.core.region),
        name: request.pool_name.clone(),
        created_at: now,
        modified_at: now,
        settings: request.into_settings(),
    };
    services.store().insert_pool(&pool).await?;
    Ok(Response {
        user_pool: views::pool(&pool, 0),
    })
}

impl Request {
    /// Refuses what Cognito refuses: a name out of bounds, an unknown username attribute.
    fn validate(&self) -> Result<(), CognitoError> {
        if self.pool_name.is_empty() || self.pool_name.len() > 128 {
            return Err(CognitoError::invalid_parameter("PoolName must be 1 to 128 characters long."));
        }
        match self
            .username_attributes
            .iter()
            .find(|a| !matches!(a.as_str(), "email" | "phone_number"))
        {
            Some(bad) => Err(CognitoError::invalid_parameter(format!(
                "Invalid UsernameAttributes value: {bad}"
            ))),
            None => Ok(()),
        }
    }

    /// The pool's settings, with Cognito's defaults for what the request leaves out.
    fn into_settings(self) -> PoolSettings {
        let password_policy = match self.policies {
            Some(Policies { password_policy: Some(policy) }) => policy,
            _ => PasswordPolicy::default(),
        };
        PoolSettings {
            password_policy,
            schema: build_schema(self.schema),
            username_attributes: self.username_attributes,
            alias_attributes: self.alias_attributes,
            auto_verified_attributes: self.auto_verified_attributes,
            allow_admin_create_user_only: self
                .admin_create_user_config
                .is_some_and(|config| config.allow_admin_create_user_only),
            mfa_configuration: self.mfa_configuration.unwrap_or_else(|| "OFF".to_owned()),
            access_token_attributes: Vec::new(),
        }
    }
}
