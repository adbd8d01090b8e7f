//! `tenant-api outbox`: the messages the embedded identity provider would have sent (the
//! invitation carrying a temporary password), so the invite flow works without email.

use anyhow::Context;
use local_cognito::{LocalCognito, Options};

use crate::config::{CognitoBackend, Config};

/// Prints the newest `limit` messages (only those to `to`, when given), as text or JSON.
pub(super) async fn run(
    config: &Config,
    to: Option<&str>,
    limit: u32,
    json: bool,
) -> anyhow::Result<()> {
    if !matches!(config.cognito.backend, CognitoBackend::Embedded { .. }) {
        anyhow::bail!(
            "the outbox belongs to the embedded identity provider; COGNITO_USER_POOL_ID names a \
             real pool, which delivers its messages itself"
        );
    }
    let idp = LocalCognito::open(Options::persistent(config.data_dir.join("idp")))
        .await
        .context("cannot open the embedded identity provider's state (DATA_DIR)")?;
    let messages = idp.outbox(to, limit).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&messages)?);
        return Ok(());
    }
    if messages.is_empty() {
        println!("no messages");
    }
    for message in messages {
        println!(
            "#{} {} to {} ({}): {}",
            message.id, message.medium, message.destination, message.subject, message.body
        );
    }
    Ok(())
}
