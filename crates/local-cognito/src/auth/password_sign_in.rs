//! Username/password sign-in (ADMIN_USER_PASSWORD_AUTH and USER_PASSWORD_AUTH): tokens, or
//! the NEW_PASSWORD_REQUIRED challenge for users holding a temporary password.

use std::collections::BTreeMap;

use super::{disabled, incorrect_credentials, required, secret, tokens, AuthResponse};
use crate::crypto::{password, random};
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::{User, UserStatus};
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::Session;

/// Signs in with `USERNAME`/`PASSWORD` (and `SECRET_HASH` for clients with a secret).
pub(crate) async fn sign_in(
    services: &Services,
    pool: &Pool,
    client: &Client,
    parameters: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    let username = required(parameters, "USERNAME")?;
    let given_password = required(parameters, "PASSWORD")?;
    // Cognito checks the secret hash over the username exactly as the caller gave it.
    secret::check(client, username, parameters.get("SECRET_HASH"))?;

    let user = verify_password(services, pool, client, username, given_password).await?;
    match user.status {
        UserStatus::Confirmed => Ok(AuthResponse {
            authentication_result: Some(
                tokens::issue_new(services, pool, client, &user, tokens::Grant::default()).await?,
            ),
            ..AuthResponse::default()
        }),
        UserStatus::ForceChangePassword => challenge(services, pool, client, &user).await,
    }
}

/// The user `username` names, if enabled and `given_password` is theirs. Unknown users fail
/// as wrong passwords when the client hides user existence. Every outcome costs one password
/// verification (against a dummy hash when there is no account), so timing does not tell
/// unknown, disabled and existing accounts apart. A name locked out after repeated failures
/// ([`crate::domain::lockout`]) gets the answer of a wrong password without any check;
/// names without an account lock alike, so a lock reveals nothing either.
pub(crate) async fn verify_password(
    services: &Services,
    pool: &Pool,
    client: &Client,
    username: &str,
    given_password: &str,
) -> Result<User, CognitoError> {
    let user = services.find_user(pool, username).await?;
    let name = lockout_name(pool, user.as_ref(), username);
    let store = services.store();
    let failures = store.sign_in_failures(&pool.id, &name).await?;
    let locked = failures.is_some_and(|failures| failures.locks(services.now()));
    let matches = !locked && {
        let stored = user.as_ref().and_then(|user| user.password_hash.as_deref());
        password::verify_or_dummy(given_password, stored).await
    };
    if !locked && !matches {
        let recorded = store
            .record_sign_in_failure(&pool.id, &name, services.now())
            .await?;
        if recorded.locks(services.now()) {
            tracing::info!(pool = %pool.id, failures = recorded.count, "sign-in name locked out");
        }
    }
    let Some(user) = user else {
        return Err(if client.hides_user_existence() {
            incorrect_credentials()
        } else {
            CognitoError::user_not_found()
        });
    };
    if !user.enabled {
        return Err(disabled());
    }
    if !matches {
        return Err(incorrect_credentials());
    }
    if failures.is_some() {
        store.clear_sign_in_failures(&pool.id, &name).await?;
    }
    Ok(user)
}

/// What the lockout counts failures under: the account's internal username, so every name it
/// signs in with shares one count, or the name as given (as the pool compares it) when no
/// account has it.
fn lockout_name(pool: &Pool, user: Option<&User>, given: &str) -> String {
    match user {
        Some(user) => user.username.clone(),
        None if pool.email_is_username() => given.to_lowercase(),
        None => given.to_owned(),
    }
}

/// Stores a single-use NEW_PASSWORD_REQUIRED session for `user`; returns its opaque value.
pub(crate) async fn start_challenge(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
) -> Result<String, CognitoError> {
    let now = services.now();
    if user
        .temp_password_expires_at
        .is_some_and(|expires| expires < now)
    {
        return Err(CognitoError::not_authorized(
            "Temporary password has expired and must be reset by an administrator.",
        ));
    }
    let session = random::opaque_token();
    services
        .store()
        .insert_session(
            &random::token_hash(&session),
            &Session {
                pool_id: pool.id.clone(),
                client_id: client.id.clone(),
                username: user.username.clone(),
                expires_at: now + client.session_ttl(),
            },
        )
        .await?;
    Ok(session)
}

/// Answers NEW_PASSWORD_REQUIRED with a fresh single-use session.
async fn challenge(
    services: &Services,
    pool: &Pool,
    client: &Client,
    user: &User,
) -> Result<AuthResponse, CognitoError> {
    let session = start_challenge(services, pool, client, user).await?;
    let visible: BTreeMap<&String, &String> = user
        .attributes
        .iter()
        .filter(|(name, _)| name.as_str() != "sub")
        .collect();
    let missing_required: Vec<String> = pool
        .settings
        .schema
        .iter()
        .filter(|a| a.required && a.name != "sub" && !user.attributes.contains_key(&a.name))
        .map(|a| format!("userAttributes.{}", a.name))
        .collect();
    let mut parameters = BTreeMap::new();
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    parameters.insert(
        "requiredAttributes".to_owned(),
        serde_json::to_string(&missing_required).unwrap_or_else(|_| "[]".to_owned()),
    );
    parameters.insert(
        "userAttributes".to_owned(),
        serde_json::to_string(&visible).unwrap_or_else(|_| "{}".to_owned()),
    );
    Ok(AuthResponse {
        challenge_name: Some("NEW_PASSWORD_REQUIRED".to_owned()),
        session: Some(session),
        challenge_parameters: parameters,
        authentication_result: None,
    })
}
