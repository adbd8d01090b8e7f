//! Enforcement of `SECRET_HASH` for clients that have a secret.

use subtle::ConstantTimeEq as _;

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

/// Checks a client secret sent as such (RevokeToken, GetTokensFromRefreshToken): required and
/// compared in constant time when the client has one, ignored otherwise.
pub(crate) fn check_client_secret(
    client: &Client,
    given: Option<&str>,
) -> Result<(), CognitoError> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(given) = given else {
        return Err(CognitoError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    if bool::from(secret.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(CognitoError::not_authorized(format!(
            "Unable to verify secret for client {}",
            client.id
        )))
    }
}
