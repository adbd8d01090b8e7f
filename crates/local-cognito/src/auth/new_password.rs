//! The answer to NEW_PASSWORD_REQUIRED: checks the session, sets the permanent password,
//! confirms the user and issues tokens.

use std::collections::BTreeMap;

use super::{disabled, required, secret, tokens, AuthResponse};
use crate::crypto::{password, random};
use crate::domain::attributes::{validate_writes, AttributeType};
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::{User, UserStatus};
use crate::error::CognitoError;
use crate::service::{email_alias, Services};
use crate::store::NewUser;

fn invalid_session() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user.")
}

/// Handles `ChallengeName: NEW_PASSWORD_REQUIRED` with its `Session` and `ChallengeResponses`.
pub(crate) async fn respond_new_password(
    services: &Services,
    pool: &Pool,
    client: &Client,
    challenge_name: &str,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    if challenge_name != "NEW_PASSWORD_REQUIRED" {
        return Err(CognitoError::invalid_parameter(format!(
            "local-cognito supports only the NEW_PASSWORD_REQUIRED challenge, not {challenge_name}"
        )));
    }
    let username = required(responses, "USERNAME")?;
    let new_password = required(responses, "NEW_PASSWORD")?;
    secret::check(client, username, responses.get("SECRET_HASH"))?;
    // The policy is checked before the session is consumed, so a rejected password can be
    // retried with the same session, as in Cognito.
    pool.settings.password_policy.check(new_password)?;
    let updates: Vec<AttributeType> = responses
        .iter()
        .filter_map(|(key, value)| {
            key.strip_prefix("userAttributes.")
                .map(|name| AttributeType {
                    name: name.to_owned(),
                    value: value.clone(),
                })
        })
        .collect();
    validate_writes(pool, &updates, false)?;
    let user = set_new_password(
        services,
        pool,
        client,
        session,
        username,
        new_password,
        updates,
    )
    .await?;
    Ok(AuthResponse {
        authentication_result: Some(
            tokens::issue_new(services, pool, client, &user, tokens::Grant::default()).await?,
        ),
        ..AuthResponse::default()
    })
}

/// Consumes the challenge `session` of `username` and sets their permanent password (already
/// checked against the policy) and attribute updates; returns the confirmed user.
pub(crate) async fn set_new_password(
    services: &Services,
    pool: &Pool,
    client: &Client,
    session: Option<&str>,
    username: &str,
    new_password: &str,
    updates: Vec<AttributeType>,
) -> Result<User, CognitoError> {
    let session = session.ok_or_else(invalid_session)?;
    let now = services.now();
    let taken = services
        .store()
        .take_session(&random::token_hash(session), now)
        .await?
        .ok_or_else(invalid_session)?;
    let mut user = services
        .find_user(pool, username)
        .await?
        .ok_or_else(invalid_session)?;
    if taken.expires_at < now
        || taken.pool_id != pool.id
        || taken.client_id != client.id
        || taken.username != user.username
    {
        return Err(invalid_session());
    }
    if !user.enabled {
        return Err(disabled());
    }

    user.password_hash = Some(password::hash(new_password).await.map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        CognitoError::internal()
    })?);
    user.status = UserStatus::Confirmed;
    user.temp_password_expires_at = None;
    user.modified_at = now;
    for update in updates {
        user.attributes.insert(update.name, update.value);
    }
    if services
        .store()
        .save_user(&user, email_alias(pool, &user).as_deref())
        .await?
        == NewUser::Taken
    {
        return Err(CognitoError::new(
            "AliasExistsException",
            "An account with the given email already exists.",
        ));
    }
    Ok(user)
}
