//! The `tenant-api` command line: serve, run the identity provider alone, manage users, migrate.

mod users;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

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
    },
    /// Manage users of the user pool.
    Users {
        #[command(subcommand)]
        command: users::UsersCommand,
    },
    /// Apply database migrations and exit.
    Migrate,
}

/// Parses the command line and runs it.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    crate::telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Idp { addr, data_dir } => idp(&config, addr, data_dir).await,
        Command::Users { command } => users::run(&config, command).await,
        Command::Migrate => {
            crate::store::connect(&config.database_url, true)
                .await
                .context("migration failed (DATABASE_URL)")?;
            println!("migrations applied");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let embedded = matches!(config.cognito.backend, CognitoBackend::Embedded { .. });
    let app = Application::build(config).await?;
    let base = format!("http://{}", app.local_addr());
    println!("tenant-api listening on {base}");
    println!("  API docs:  {base}/api/docs");
    if let Some(idp) = &app.cognito().embedded {
        println!(
            "  Embedded Cognito at {} (pool {}, app client {})",
            idp.running.base_url(),
            idp.ids.pool_id,
            idp.ids.client_id
        );
    }
    if embedded {
        println!(
            "  Create a user:  tenant-api users create --email alice@example.com --tenant acme"
        );
    }
    app.run_until_stopped().await
}

async fn idp(config: &Config, addr: SocketAddr, data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let data_dir = data_dir.unwrap_or_else(|| config.data_dir.clone());
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let idp = EmbeddedIdp::start(&data_dir, addr, &config.cognito.region).await?;
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
    shutdown_signal().await;
    idp.running.shutdown().await;
    Ok(())
}
