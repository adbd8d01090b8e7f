//! `tenant-api users ...`: user administration through the Cognito admin API.
//!
//! With the embedded identity provider these commands open its state directly (on a private
//! port), so they work whether or not the server is running.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;

use crate::clock::SystemClock;
use crate::cognito::CognitoError;
use crate::config::Config;
use crate::domain::tenant::TenantId;
use crate::sign_out::SignOutRegistry;
use crate::startup::CognitoSetup;
use crate::tenancy::ScopedTenant;

/// User administration commands.
#[derive(Debug, Subcommand)]
pub(super) enum UsersCommand {
    /// Create a user with a temporary password (printed when generated), and their membership
    /// of the tenant (its admin when it has none yet).
    Create {
        /// Email address (the sign-in name).
        #[arg(long)]
        email: String,
        /// Tenant the user belongs to (custom:tenant_id).
        #[arg(long)]
        tenant: String,
        /// Temporary password; generated when omitted.
        #[arg(long)]
        temporary_password: Option<String>,
        /// Group to add the user to (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
    },
    /// Move a user to another tenant.
    SetTenant {
        /// Email address.
        #[arg(long)]
        email: String,
        /// New tenant.
        #[arg(long)]
        tenant: String,
    },
    /// List users with their tenant and status.
    List,
    /// Sign a user out everywhere: refresh tokens revoked, issued tokens refused.
    SignOut {
        /// Email address.
        #[arg(long)]
        email: String,
    },
}

pub(super) fn tenant(raw: &str) -> anyhow::Result<TenantId> {
    TenantId::parse(raw).with_context(|| format!("--tenant {raw:?}"))
}

pub(super) fn explain(err: CognitoError, email: &str) -> anyhow::Error {
    match err {
        CognitoError::UserExists => anyhow::anyhow!("a user with email {email} already exists"),
        CognitoError::UserNotFound => anyhow::anyhow!("no user with email {email}"),
        CognitoError::PasswordPolicy(rule) => {
            anyhow::anyhow!("temporary password rejected: {rule}")
        }
        other => anyhow::anyhow!("Cognito refused: {other}"),
    }
}

/// Runs one users command.
pub(super) async fn run(config: &Config, command: UsersCommand) -> anyhow::Result<()> {
    // A private port: the server may hold the configured one.
    let setup = CognitoSetup::connect(config, Some(SocketAddr::from(([127, 0, 0, 1], 0)))).await?;
    let cognito = &setup.gateway;
    let claim = &config.tenancy.claim;
    let result = match command {
        UsersCommand::Create {
            email,
            tenant: raw,
            temporary_password,
            groups,
        } => {
            let tenant = tenant(&raw)?;
            let created = cognito
                .create_user(
                    &email,
                    claim,
                    tenant.as_str(),
                    temporary_password.as_deref(),
                    &groups,
                )
                .await
                .map_err(|e| explain(e, &email))?;
            // Their membership of their home tenant, as their first request would write it.
            let written = async {
                let stores = crate::store::connect(&config.database_url, true).await?;
                let scope = ScopedTenant::for_operator(tenant.clone());
                stores
                    .memberships
                    .admit_home(&scope, &created.sub, &email.trim().to_lowercase())
                    .await
            };
            written.await.with_context(|| {
                format!(
                    "created {email} in Cognito, but not their membership (DATABASE_URL); \
                     it is written on their first request"
                )
            })?;
            println!("created {email} in tenant {tenant} (sub {})", created.sub);
            if let Some(password) = created.generated_password {
                println!("temporary password: {password}");
            }
            println!("first sign-in answers NEW_PASSWORD_REQUIRED; set a new password with /api/user/new-password");
            Ok(())
        }
        UsersCommand::SetTenant { email, tenant: raw } => {
            let tenant = tenant(&raw)?;
            cognito
                .set_tenant(&email, claim, tenant.as_str())
                .await
                .map_err(|e| explain(e, &email))?;
            println!("{email} now belongs to tenant {tenant}");
            Ok(())
        }
        UsersCommand::List => {
            let users = cognito
                .list_users(claim)
                .await
                .map_err(|e| explain(e, ""))?;
            println!(
                "{:<36}  {:<32}  {:<16}  {:<22}  enabled",
                "sub", "email", "tenant", "status"
            );
            for user in users {
                println!(
                    "{:<36}  {:<32}  {:<16}  {:<22}  {}",
                    user.sub,
                    user.email,
                    user.tenant.unwrap_or_else(|| "-".into()),
                    user.status,
                    user.enabled
                );
            }
            Ok(())
        }
        UsersCommand::SignOut { email } => {
            let (_, sub) = cognito
                .lookup(&email)
                .await
                .map_err(|e| explain(e, &email))?;
            cognito
                .admin_sign_out(&email)
                .await
                .map_err(|e| explain(e, &email))?;
            let stores = crate::store::connect(&config.database_url, true).await?;
            SignOutRegistry::load(stores.sign_outs, Arc::new(SystemClock))
                .await?
                .sign_out(&sub)
                .await?;
            println!("{email} signed out everywhere");
            Ok(())
        }
    };
    if let Some(idp) = setup.embedded {
        idp.running.shutdown().await;
    }
    result
}
