//! `tenant-api tenants ...`: an operator starts a tenant with its first admin and reads its
//! members, straight from the membership store (and Cognito for the new admin).

use std::net::SocketAddr;

use clap::Subcommand;

use super::users::{explain, tenant};
use crate::config::Config;
use crate::domain::membership::MemberFilter;
use crate::domain::page::{PageRequest, MAX_LIMIT};
use crate::startup::CognitoSetup;
use crate::store::Stores;
use crate::tenancy::ScopedTenant;

/// Tenant administration commands.
#[derive(Debug, Subcommand)]
pub(super) enum TenantsCommand {
    /// Start a tenant: a new Cognito user (temporary password printed when generated) whose
    /// home is the tenant, as its first admin.
    Create {
        /// Tenant id.
        name: String,
        /// The first admin's email.
        #[arg(long)]
        admin: String,
        /// Temporary password; generated when omitted.
        #[arg(long)]
        temporary_password: Option<String>,
    },
    /// List a tenant's members.
    Members {
        /// Tenant id.
        name: String,
    },
}

/// Runs one tenants command.
pub(super) async fn run(config: &Config, command: TenantsCommand) -> anyhow::Result<()> {
    let stores = crate::store::connect(&config.database_url, true).await?;
    match command {
        TenantsCommand::Create {
            name,
            admin,
            temporary_password,
        } => create(config, &stores, &name, &admin, temporary_password).await,
        TenantsCommand::Members { name } => members(&stores, &name).await,
    }
}

async fn create(
    config: &Config,
    stores: &Stores,
    name: &str,
    admin: &str,
    temporary_password: Option<String>,
) -> anyhow::Result<()> {
    let scope = ScopedTenant::for_operator(tenant(name)?);
    let first = PageRequest::parse(Some(1), None)?;
    let existing = stores
        .memberships
        .list_members(&scope, &MemberFilter::default(), first)
        .await?;
    anyhow::ensure!(
        existing.rows.is_empty(),
        "tenant {scope} already has members (see `tenant-api tenants members {scope}`)"
    );
    // A private port: the server may hold the configured one.
    let setup = CognitoSetup::connect(config, Some(SocketAddr::from(([127, 0, 0, 1], 0)))).await?;
    let created = setup
        .gateway
        .create_user(
            admin,
            &config.tenancy.claim,
            scope.as_str(),
            temporary_password.as_deref(),
            &[],
        )
        .await
        .map_err(|e| explain(e, admin));
    if let Some(idp) = setup.embedded {
        idp.running.shutdown().await;
    }
    let created = created?;
    // The tenant has no admin, so its first home member is written as its admin.
    stores
        .memberships
        .admit_home(&scope, &created.sub, &admin.trim().to_lowercase())
        .await?;
    println!(
        "created tenant {scope} with admin {admin} (sub {})",
        created.sub
    );
    if let Some(password) = created.generated_password {
        println!("temporary password: {password}");
    }
    Ok(())
}

async fn members(stores: &Stores, name: &str) -> anyhow::Result<()> {
    let scope = ScopedTenant::for_operator(tenant(name)?);
    println!(
        "{:<36}  {:<32}  {:<6}  {:<9}  joined",
        "sub", "email", "role", "state"
    );
    let mut page = PageRequest::parse(Some(MAX_LIMIT), None)?;
    loop {
        let got = stores
            .memberships
            .list_members(&scope, &MemberFilter::default(), page)
            .await?;
        for m in got.rows {
            println!(
                "{:<36}  {:<32}  {:<6}  {:<9}  {}",
                m.sub,
                m.email,
                m.role.as_str(),
                m.state.as_str(),
                m.via.as_str()
            );
        }
        match got.next_cursor {
            Some(cursor) => page = PageRequest::parse(Some(MAX_LIMIT), Some(&cursor))?,
            None => return Ok(()),
        }
    }
}
