//! The embedded identity provider: `local-cognito` in-process, with a user pool and server app
//! client created once and remembered in the data directory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, ExplicitAuthFlowsType, PasswordPolicyType, PreventUserExistenceErrorTypes,
    SchemaAttributeType, StringAttributeConstraintsType, UserPoolPolicyType, UsernameAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client;
use local_cognito::{ApiAccess, LocalCognito, Options, RunningIdp};
use serde::{Deserialize, Serialize};

use crate::cognito::{Cognito, CognitoTarget};

/// Name of the pool tenant-api creates for itself.
pub const POOL_NAME: &str = "tenant-api-local";
const IDS_FILE: &str = "embedded-pool.json";

/// The running embedded identity provider and the pool the service uses on it.
pub struct EmbeddedIdp {
    /// The HTTP server.
    pub running: RunningIdp,
    /// SDK client pointed at it.
    pub client: Client,
    /// Pool and app client ids.
    pub ids: PoolIds,
}

/// Ids of the embedded pool and its server app client.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PoolIds {
    /// User pool id.
    pub pool_id: String,
    /// App client id.
    pub client_id: String,
}

impl EmbeddedIdp {
    /// Opens the identity provider's state under `data_dir/idp`, serves it on `addr` and makes
    /// sure the pool exists.
    pub async fn start(data_dir: &Path, addr: SocketAddr, region: &str) -> anyhow::Result<Self> {
        Self::start_with(data_dir, addr, region, ApiAccess::default(), Vec::new()).await
    }

    /// As [`Self::start`], with who may call the JSON API from beyond loopback, and the host
    /// names besides loopback names and IP addresses it answers under (`api_hosts`).
    pub async fn start_with(
        data_dir: &Path,
        addr: SocketAddr,
        region: &str,
        api_access: ApiAccess,
        api_hosts: Vec<String>,
    ) -> anyhow::Result<Self> {
        let mut options = Options::persistent(data_dir.join("idp"));
        options.region = region.to_owned();
        options.api_access = api_access;
        options.api_hosts = api_hosts;
        let idp = LocalCognito::open(options)
            .await
            .context("cannot open the embedded identity provider (its state or its options)")?;
        let running = idp.start(addr).await.with_context(|| {
            format!("cannot start the embedded identity provider on {addr} (LOCAL_COGNITO_ADDR)")
        })?;
        let client = Cognito::sdk_client(&CognitoTarget {
            region: region.to_owned(),
            endpoint: Some(running.base_url()),
            static_credentials: true,
        })
        .await;
        let ids = ensure_pool(&client, data_dir).await?;
        Ok(Self {
            running,
            client,
            ids,
        })
    }

    /// The issuer of the pool's tokens.
    pub fn issuer(&self) -> String {
        format!("{}/{}", self.running.base_url(), self.ids.pool_id)
    }

    /// A gateway for the pool's server app client.
    pub fn gateway(&self) -> Cognito {
        Cognito::new(
            self.client.clone(),
            &self.ids.pool_id,
            &self.ids.client_id,
            None,
        )
    }
}

fn ids_path(data_dir: &Path) -> PathBuf {
    data_dir.join(IDS_FILE)
}

/// Reuses the remembered pool when it still exists; creates and remembers one otherwise.
async fn ensure_pool(client: &Client, data_dir: &Path) -> anyhow::Result<PoolIds> {
    let path = ids_path(data_dir);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let ids: PoolIds = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not valid JSON; delete it to start afresh",
                path.display()
            )
        })?;
        let exists = client
            .describe_user_pool_client()
            .user_pool_id(&ids.pool_id)
            .client_id(&ids.client_id)
            .send()
            .await
            .is_ok();
        if exists {
            return Ok(ids);
        }
        tracing::warn!(path = %path.display(), "remembered pool is gone; creating a new one");
    }
    let ids = create_pool(client).await?;
    std::fs::write(&path, serde_json::to_string_pretty(&ids)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(ids)
}

async fn create_pool(client: &Client) -> anyhow::Result<PoolIds> {
    let tenant_attribute = SchemaAttributeType::builder()
        .name("tenant_id")
        .attribute_data_type(AttributeDataType::String)
        .mutable(true)
        .required(false)
        .string_attribute_constraints(
            StringAttributeConstraintsType::builder()
                .min_length("1")
                .max_length("64")
                .build(),
        )
        .build();
    let policy = PasswordPolicyType::builder()
        .minimum_length(8)
        .require_uppercase(true)
        .require_lowercase(true)
        .require_numbers(true)
        .require_symbols(true)
        .temporary_password_validity_days(7)
        .build();
    let pool = client
        .create_user_pool()
        .pool_name(POOL_NAME)
        .username_attributes(UsernameAttributeType::Email)
        .schema(tenant_attribute)
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(policy)
                .build(),
        )
        .send()
        .await
        .context("cannot create the embedded user pool")?;
    let pool_id = pool
        .user_pool()
        .and_then(|p| p.id())
        .context("CreateUserPool returned no id")?
        .to_owned();
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("tenant-api-server")
        .generate_secret(false)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .context("cannot create the embedded app client")?;
    let client_id = app
        .user_pool_client()
        .and_then(|c| c.client_id())
        .context("CreateUserPoolClient returned no id")?
        .to_owned();
    Ok(PoolIds { pool_id, client_id })
}
