//! The `tenant-api` command line: serve, run the identity provider alone, manage users and
//! tenants, migrate or check the database.

mod outbox;
mod tenants;
mod users;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use local_cognito::ApiAccess;

use crate::config::{CognitoBackend, Config};
use crate::embedded::EmbeddedIdp;
use crate::startup::{shutdown_signal, Application};

/// Multi-tenant API behind Amazon Cognito (or its embedded stand-in).
#[derive(Debug, Parser)]
#[command(name = "tenant-api", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Run only the embedded Cognito-compatible identity provider.
    Idp {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9229")]
        addr: SocketAddr,
        /// State directory (default: DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Answer the JSON API (which accepts any credentials) to every host, not only loopback.
        #[arg(long, conflicts_with = "api_access_key")]
        open_api: bool,
        /// Answer the JSON API to remote callers whose AWS access key id is this value.
        #[arg(long, env = "LOCAL_COGNITO_API_ACCESS_KEY")]
        api_access_key: Option<String>,
        /// A host name, besides loopback names and IP addresses, under which the JSON API
        /// answers (the name other containers reach it by); repeatable, or comma-separated.
        #[arg(
            long = "api-host",
            env = "LOCAL_COGNITO_API_HOSTS",
            value_delimiter = ','
        )]
        api_hosts: Vec<String>,
    },
    /// Manage users of the user pool.
    Users {
        #[command(subcommand)]
        command: users::UsersCommand,
    },
    /// Start tenants and list their members.
    Tenants {
        #[command(subcommand)]
        command: tenants::TenantsCommand,
    },
    /// Show what the embedded identity provider would have sent (invitations with their
    /// temporary password), newest first.
    Outbox {
        /// Only messages to this email address.
        #[arg(long)]
        to: Option<String>,
        /// At most this many messages.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Print JSON instead of one line per message.
        #[arg(long)]
        json: bool,
    },
    /// Apply database migrations and exit.
    Migrate {
        /// Change nothing: check the database instead (SQLite's integrity check, or that
        /// PostgreSQL answers) and that every migration is applied. Prints the result; exits
        /// non-zero when the check fails.
        #[arg(long)]
        check: bool,
    },
}

/// Parses the command line and runs it.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    let command = cli.command.unwrap_or(Command::Serve);
    match command {
        Command::Serve | Command::Idp { .. } => crate::telemetry::init(config.log_format),
        // The check prints its result and nothing else (a slow integrity check would log).
        Command::Migrate { check: true } => {}
        Command::Users { .. }
        | Command::Tenants { .. }
        | Command::Outbox { .. }
        | Command::Migrate { .. } => crate::telemetry::init_for_command(config.log_format),
    }
    match command {
        Command::Serve => serve(config).await,
        Command::Idp {
            addr,
            data_dir,
            open_api,
            api_access_key,
            api_hosts,
        } => {
            let access = match (open_api, api_access_key) {
                (true, _) => ApiAccess::Anyone,
                (false, Some(key)) => ApiAccess::AccessKey(key),
                (false, None) => ApiAccess::LoopbackOnly,
            };
            idp(&config, addr, data_dir, access, api_hosts).await
        }
        Command::Users { command } => users::run(&config, command).await,
        Command::Tenants { command } => tenants::run(&config, command).await,
        Command::Outbox { to, limit, json } => {
            outbox::run(&config, to.as_deref(), limit, json).await
        }
        Command::Migrate { check: false } => {
            crate::store::connect(&config.database_url, true)
                .await
                .context("migration failed (DATABASE_URL)")?;
            println!("migrations applied");
            Ok(())
        }
        Command::Migrate { check: true } => check_database(&config).await,
    }
}

/// `migrate --check`: the result on standard output, a failure as the exit status.
async fn check_database(config: &Config) -> anyhow::Result<()> {
    let checked = crate::store::check(&config.database_url)
        .await
        .context("database check failed (DATABASE_URL)")?;
    if checked.passed() {
        println!(
            "ok: {} ({} passed, {} migrations applied)",
            checked.target, checked.checks, checked.applied
        );
        return Ok(());
    }
    println!("FAILED: {}", checked.target);
    for problem in &checked.problems {
        println!("  {problem}");
    }
    anyhow::bail!(
        "database check failed (DATABASE_URL): {} problem(s) in {}",
        checked.problems.len(),
        checked.target
    )
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let embedded = matches!(config.cognito.backend, CognitoBackend::Embedded { .. });
    let app = Application::build(config).await?;
    let base = format!("http://{}", app.local_addr());
    println!("tenant-api listening on {base}");
    println!("  Console:   {base}/");
    println!("  API docs:  {base}/api/docs");
    if let Some(idp) = &app.cognito().embedded {
        println!(
            "  Embedded Cognito at {} (pool {}, app client {})",
            idp.running.base_url(),
            idp.ids.pool_id,
            idp.ids.client_id
        );
    }
    for line in crate::embedded_web::front_end_lines(&app.cognito().issuer, app.web()) {
        println!("{line}");
    }
    if embedded {
        println!(
            "  Create a user:  tenant-api users create --email alice@example.com --tenant acme"
        );
    }
    app.run_until_stopped().await
}

async fn idp(
    config: &Config,
    addr: SocketAddr,
    data_dir: Option<PathBuf>,
    access: ApiAccess,
    api_hosts: Vec<String>,
) -> anyhow::Result<()> {
    let data_dir = data_dir.unwrap_or_else(|| config.data_dir.clone());
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let idp =
        EmbeddedIdp::start_with(&data_dir, addr, &config.cognito.region, access, api_hosts).await?;
    println!("local-cognito listening on {}", idp.running.base_url());
    println!("  COGNITO_ENDPOINT={}", idp.running.base_url());
    println!("  COGNITO_USER_POOL_ID={}", idp.ids.pool_id);
    println!("  COGNITO_APP_CLIENT_ID={}", idp.ids.client_id);
    println!("  COGNITO_ISSUER={}", idp.issuer());
    println!("  AWS_REGION={}", config.cognito.region);
    println!(
        "  Hosted UI (the user pool domain, for web clients with the code flow): {}",
        idp.running.base_url()
    );
    println!("  {}", idp.running.exposure());
    shutdown_signal().await;
    idp.running.shutdown().await;
    Ok(())
}
