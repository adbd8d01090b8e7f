//! The shared services every target works with: the store, the clock, the signing keys and the
//! public base URL; plus the look-ups most targets start with.

use std::sync::Arc;

use crate::clock::{epoch_seconds, Clock};
use crate::crypto::keys::SigningKeys;
use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::store::Store;
use crate::throttle::LoginThrottle;

/// What lives as long as the provider: opened once by [`crate::LocalCognito::open`].
#[derive(Debug)]
pub(crate) struct Core {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) keys: SigningKeys,
    pub(crate) region: String,
    /// The Hosted UI sign-in form's per-address limit (in memory, per process).
    pub(crate) login_throttle: LoginThrottle,
}

impl std::fmt::Debug for dyn Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// The core plus the base URL this router serves under (it goes into `iss`).
#[derive(Debug, Clone)]
pub(crate) struct Services {
    pub(crate) core: Arc<Core>,
    pub(crate) base_url: Arc<str>,
}

impl Services {
    /// The store.
    pub(crate) fn store(&self) -> &Store {
        &self.core.store
    }

    /// Now, in Unix seconds.
    pub(crate) fn now(&self) -> i64 {
        epoch_seconds(self.core.clock.as_ref())
    }

    /// The `iss` of a pool's tokens, which is also its OpenID issuer.
    pub(crate) fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.base_url)
    }

    /// The pool, or Cognito's `ResourceNotFoundException`.
    pub(crate) async fn pool(&self, id: &str) -> Result<Pool, CognitoError> {
        self.store().pool(id).await?.ok_or_else(|| {
            CognitoError::resource_not_found(format!("User pool {id} does not exist."))
        })
    }

    /// The client, or Cognito's `ResourceNotFoundException`.
    pub(crate) async fn client(&self, id: &str) -> Result<Client, CognitoError> {
        self.store().client(id).await?.ok_or_else(|| {
            CognitoError::resource_not_found(format!("User pool client {id} does not exist."))
        })
    }

    /// The client and its pool; when `pool_id` is given the client must belong to it.
    pub(crate) async fn client_in_pool(
        &self,
        client_id: &str,
        pool_id: Option<&str>,
    ) -> Result<(Pool, Client), CognitoError> {
        if let Some(pool_id) = pool_id {
            self.pool(pool_id).await?;
        }
        let client = self.client(client_id).await?;
        if pool_id.is_some_and(|pool_id| pool_id != client.pool_id) {
            return Err(CognitoError::resource_not_found(format!(
                "User pool client {client_id} does not exist."
            )));
        }
        let pool = self.pool(&client.pool_id).await?;
        Ok((pool, client))
    }

    /// Finds a user by what a caller calls them: the internal username, or in email-username
    /// pools also the email.
    pub(crate) async fn find_user(
        &self,
        pool: &Pool,
        given: &str,
    ) -> Result<Option<User>, CognitoError> {
        if let Some(user) = self.store().user(&pool.id, given).await? {
            return Ok(Some(user));
        }
        if pool.email_is_username() {
            return Ok(self
                .store()
                .user_by_email_alias(&pool.id, &given.to_lowercase())
                .await?);
        }
        Ok(None)
    }

    /// Like [`Self::find_user`], failing with `UserNotFoundException`.
    pub(crate) async fn user(&self, pool: &Pool, given: &str) -> Result<User, CognitoError> {
        self.find_user(pool, given)
            .await?
            .ok_or_else(CognitoError::user_not_found)
    }
}

/// The email alias column value for a user of `pool`: set only in email-username pools.
pub(crate) fn email_alias(pool: &Pool, user: &User) -> Option<String> {
    if pool.email_is_username() {
        user.email().map(str::to_lowercase)
    } else {
        None
    }
}
