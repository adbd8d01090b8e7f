//! `tenant-api tenants ...`: an operator starts a tenant with its first admin, lists tenants
//! and their members straight from the membership store, and backfills memberships from an
//! existing pool's tenant attributes (Cognito for the new admin and the backfill).

use std::net::SocketAddr;
use std::time::Duration;

use clap::Subcommand;

use super::users::{explain, tenant};
use crate::config::Config;
use crate::domain::membership::{MemberFilter, Standing};
use crate::domain::page::{PageRequest, MAX_LIMIT};
use crate::domain::tenant::TenantId;
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
    /// List tenants (every tenant that has or had members), oldest first, with member counts.
    List,
    /// List a tenant's members.
    Members {
        /// Tenant id.
        name: String,
    },
    /// Backfill memberships from the pool: every user whose tenant attribute names a tenant
    /// becomes its home member (as their first request would make them), unless they have a
    /// row there or were removed from it. For teams moving an existing pool onto tenant-api.
    Sync {
        /// ListUsers calls per second at most (Cognito's default quota for it is 30 a second
        /// for the whole account; stay well under it while the service runs).
        #[arg(long, default_value_t = 5.0)]
        requests_per_second: f64,
        /// Report what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
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
        TenantsCommand::List => list(&stores).await,
        TenantsCommand::Members { name } => members(&stores, &name).await,
        TenantsCommand::Sync {
            requests_per_second,
            dry_run,
        } => sync(config, &stores, requests_per_second, dry_run).await,
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

async fn list(stores: &Stores) -> anyhow::Result<()> {
    println!("{:<32}  {:>7}  created", "tenant", "members");
    let mut page = PageRequest::parse(Some(MAX_LIMIT), None)?;
    loop {
        let got = stores.memberships.tenants(page).await?;
        for t in got.rows {
            let created = t
                .created_at
                .format(&time::format_description::well_known::Rfc3339)?;
            println!("{:<32}  {:>7}  {created}", t.tenant_id, t.members);
        }
        match got.next_cursor {
            Some(cursor) => page = PageRequest::parse(Some(MAX_LIMIT), Some(&cursor))?,
            None => return Ok(()),
        }
    }
}

/// What a backfill did, user by user.
#[derive(Debug, Default)]
struct SyncCounts {
    users: u64,
    written: u64,
    present: u64,
    removed: u64,
    no_tenant: u64,
    unusable: u64,
}

async fn sync(
    config: &Config,
    stores: &Stores,
    requests_per_second: f64,
    dry_run: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        requests_per_second.is_finite() && requests_per_second > 0.0,
        "--requests-per-second must be a positive number"
    );
    let pause = Duration::from_secs_f64(1.0 / requests_per_second);
    // A private port: the server may hold the configured one.
    let setup = CognitoSetup::connect(config, Some(SocketAddr::from(([127, 0, 0, 1], 0)))).await?;
    let counts = backfill(config, stores, &setup, pause, dry_run).await;
    if let Some(idp) = setup.embedded {
        idp.running.shutdown().await;
    }
    let c = counts?;
    let verb = if dry_run { "would write" } else { "wrote" };
    println!(
        "{} users read: {verb} {} memberships; {} already had one; {} were removed from their \
         tenant and stay removed; {} have no tenant attribute; {} have an unusable tenant \
         attribute or no email",
        c.users, c.written, c.present, c.removed, c.no_tenant, c.unusable
    );
    Ok(())
}

/// Pages through ListUsers, one page per `pause` at most, admitting each user to their home
/// tenant.
async fn backfill(
    config: &Config,
    stores: &Stores,
    setup: &CognitoSetup,
    pause: Duration,
    dry_run: bool,
) -> anyhow::Result<SyncCounts> {
    let mut counts = SyncCounts::default();
    let mut token = None;
    loop {
        let started = tokio::time::Instant::now();
        let (users, next) = setup
            .gateway
            .list_users_page(&config.tenancy.claim, token)
            .await
            .map_err(|e| explain(e, ""))?;
        for user in users {
            counts.users += 1;
            let Some(raw) = user.tenant else {
                counts.no_tenant += 1;
                continue;
            };
            let (Ok(tenant), false) = (TenantId::parse(&raw), user.email.is_empty()) else {
                counts.unusable += 1;
                continue;
            };
            let scope = ScopedTenant::for_operator(tenant);
            match stores.memberships.standing(&scope, &user.sub).await? {
                Standing::Member(_) => counts.present += 1,
                Standing::Removed => counts.removed += 1,
                Standing::Unknown => {
                    if !dry_run {
                        let email = user.email.trim().to_lowercase();
                        stores
                            .memberships
                            .admit_home(&scope, &user.sub, &email)
                            .await?;
                    }
                    counts.written += 1;
                }
            }
        }
        match next {
            Some(next) => token = Some(next),
            None => return Ok(counts),
        }
        tokio::time::sleep_until(started + pause).await;
    }
}
