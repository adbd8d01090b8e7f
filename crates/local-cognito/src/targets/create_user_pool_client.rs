//! `CreateUserPoolClient`: an app client with optional secret, auth flows, token lifetimes and
//! Hosted UI (OAuth) settings.

use serde::{Deserialize, Serialize};

use super::client_fields::ClientFields;
use super::views::{self, ClientView};
use crate::crypto::random;
use crate::domain::client::Client;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    client_name: String,
    #[serde(default)]
    generate_secret: bool,
    #[serde(flatten)]
    fields: ClientFields,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response<'a> {
    user_pool_client: ClientView<'a>,
}

/// The response owns its client; the view borrows from it.
pub(super) struct Created(pub(super) Client);

impl Serialize for Created {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Response {
            user_pool_client: views::client(&self.0),
        }
        .serialize(serializer)
    }
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Created, CognitoError> {
    services.pool(&request.user_pool_id).await?;
    let settings = request.fields.into_settings()?;
    let now = services.now();
    let client = Client {
        id: random::client_id(),
        pool_id: request.user_pool_id,
        name: request.client_name,
        secret: request.generate_secret.then(random::client_secret),
        created_at: now,
        modified_at: now,
        settings,
    };
    services.store().insert_client(&client).await?;
    Ok(Created(client))
}
