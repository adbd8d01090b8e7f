//! `UpdateUserPoolClient`: replaces a client's settings. As in Cognito, a field left out of
//! the request returns to its default; the id and secret stay.

use serde::Deserialize;

use super::client_fields::ClientFields;
use super::create_user_pool_client::Created;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    client_id: String,
    client_name: Option<String>,
    #[serde(flatten)]
    fields: ClientFields,
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Created, CognitoError> {
    let (_, mut client) = services
        .client_in_pool(&request.client_id, Some(&request.user_pool_id))
        .await?;
    client.settings = request.fields.into_settings()?;
    if let Some(name) = request.client_name {
        client.name = name;
    }
    client.modified_at = services.now();
    services.store().update_client(&client).await?;
    Ok(Created(client))
}
