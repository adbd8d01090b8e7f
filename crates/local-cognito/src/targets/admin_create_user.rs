//! `AdminCreateUser`: a user in FORCE_CHANGE_PASSWORD with a temporary password.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::invitation::{self, Medium};
use super::views::{self, UserView};
use crate::crypto::{password, random};
use crate::domain::attributes::{looks_like_email, validate_required, validate_writes, AttributeType};
use crate::domain::pool::Pool;
use crate::domain::user::{User, UserStatus};
use crate::error::CognitoError;
use crate::service::{email_alias, Services};
use crate::store::NewUser;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    username: String,
    #[serde(default)]
    user_attributes: Vec<AttributeType>,
    temporary_password: Option<String>,
    message_action: Option<String>,
    #[serde(default)]
    desired_delivery_mediums: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    user: UserView,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    // local-cognito delivers nothing: the invitation Cognito would send goes to the outbox
    // (unless SUPPRESS); RESEND gives a user who has not signed in yet a new temporary password.
    let mediums = mediums(&request.desired_delivery_mediums)?;
    let suppress = match request.message_action.as_deref() {
        None => false,
        Some("SUPPRESS") => true,
        Some("RESEND") => return resend(services, &pool, request, &mediums).await,
        Some(other) => {
            return Err(CognitoError::invalid_parameter(format!(
                "Invalid MessageAction: {other}"
            )))
        }
    };
    validate_writes(&pool, &request.user_attributes, true)?;
    let mut attributes: BTreeMap<String, String> = request
        .user_attributes
        .into_iter()
        .map(|a| (a.name, a.value))
        .collect();
    let (username, sub) = name_user(&pool, request.username, &mut attributes)?;
    validate_required(&pool, &attributes)?;
    let (temporary, hash) = temporary_password(&pool, request.temporary_password).await?;
    let user = new_user(services, &pool, (username, sub), hash, attributes);
    let response = insert(services, &pool, &user).await?;
    if !suppress {
        invitation::send(services, &user, &temporary, &mediums).await?;
    }
    Ok(response)
}

/// `DesiredDeliveryMediums`: each `EMAIL` or `SMS`.
fn mediums(given: &[String]) -> Result<Vec<Medium>, CognitoError> {
    given
        .iter()
        .map(|medium| match medium.as_str() {
            "EMAIL" => Ok(Medium::Email),
            "SMS" => Ok(Medium::Sms),
            other => Err(CognitoError::invalid_parameter(format!(
                "Invalid DesiredDeliveryMediums: {other}"
            ))),
        })
        .collect()
}

/// The new user's username and `sub` (also written to `attributes`).
fn name_user(
    pool: &Pool,
    username: String,
    attributes: &mut BTreeMap<String, String>,
) -> Result<(String, String), CognitoError> {
    let (username, sub) = if pool.email_is_username() {
        if !looks_like_email(&username) {
            return Err(CognitoError::invalid_parameter("Username should be an email."));
        }
        // The username *is* the email in these pools, whatever the attributes said.
        attributes.insert("email".to_owned(), username);
        // Email pools name users by a UUID that is also their sub.
        let id = random::uuid();
        (id.clone(), id)
    } else {
        if username.is_empty() || username.chars().any(char::is_whitespace) {
            return Err(CognitoError::invalid_parameter(
                "Username must be a non-empty string without whitespace.",
            ));
        }
        (username, random::uuid())
    };
    attributes.insert("sub".to_owned(), sub.clone());
    Ok((username, sub))
}

/// A user in FORCE_CHANGE_PASSWORD whose temporary password is valid for the pool's days.
fn new_user(
    services: &Services,
    pool: &Pool,
    (username, sub): (String, String),
    password_hash: String,
    attributes: BTreeMap<String, String>,
) -> User {
    let now = services.now();
    let validity = pool.settings.password_policy.temporary_password_validity_days;
    User {
        pool_id: pool.id.clone(),
        username,
        sub,
        status: UserStatus::ForceChangePassword,
        enabled: true,
        password_hash: Some(password_hash),
        temp_password_expires_at: Some(now + validity * 86_400),
        created_at: now,
        modified_at: now,
        attributes,
    }
}

/// Stores `user`, answering Cognito's error for a taken username (or email, in email pools).
async fn insert(services: &Services, pool: &Pool, user: &User) -> Result<Response, CognitoError> {
    match services.store().insert_user(user, email_alias(pool, user).as_deref()).await? {
        NewUser::Saved => Ok(Response {
            user: views::user(user),
        }),
        NewUser::Taken if pool.email_is_username() => Err(CognitoError::new(
            "UsernameExistsException",
            "An account with the given email already exists.",
        )),
        NewUser::Taken => Err(CognitoError::new(
            "UsernameExistsException",
            "User account already exists",
        )),
    }
}

/// The given temporary password (checked against the policy) or a generated one, and its hash.
async fn temporary_password(
    pool: &Pool,
    given: Option<String>,
) -> Result<(String, String), CognitoError> {
    let policy = &pool.settings.password_policy;
    let temporary = match given {
        Some(given) => {
            policy.check(&given)?;
            given
        }
        None => random::temporary_password(policy.minimum_length),
    };
    let hash = password::hash(&temporary).await.map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        CognitoError::internal()
    })?;
    Ok((temporary, hash))
}

/// `MessageAction: RESEND`: a new temporary password (and validity) for an existing user who
/// still has to change it.
async fn resend(
    services: &Services,
    pool: &Pool,
    request: Request,
    mediums: &[Medium],
) -> Result<Response, CognitoError> {
    let mut user = services.user(pool, &request.username).await?;
    if user.status != UserStatus::ForceChangePassword {
        return Err(CognitoError::new(
            "UnsupportedUserStateException",
            "Resend not possible. User has already confirmed their account.",
        ));
    }
    let (temporary, hash) = temporary_password(pool, request.temporary_password).await?;
    user.password_hash = Some(hash);
    let now = services.now();
    user.temp_password_expires_at =
        Some(now + pool.settings.password_policy.temporary_password_validity_days * 86_400);
    user.modified_at = now;
    services.store().save_user(&user, email_alias(pool, &user).as_deref()).await?;
    invitation::send(services, &user, &temporary, mediums).await?;
    Ok(Response {
        user: views::user(&user),
    })
}
