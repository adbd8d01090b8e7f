//! Enforcement of `SECRET_HASH` for clients that have a secret.

use crate::crypto::secret_hash;
use crate::domain::client::Client;
use crate::error::CognitoError;

/// Checks `received` for `username` when the client has a secret; clients without one accept
/// anything, as Cognito does.
pub(crate) fn check(
    client: &Client,
    username: &str,
    received: Option<&String>,
) -> Result<(), CognitoError> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(received) = received else {
        return Err(CognitoError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    if secret_hash::matches(secret, username, &client.id, received) {
        Ok(())
    } else {
        Err(CognitoError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}
