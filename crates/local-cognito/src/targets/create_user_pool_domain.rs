//! `CreateUserPoolDomain`: the Hosted UI domain prefix of a pool (one per pool). Locally every
//! domain is served on the provider's own listener; the name is recorded and described.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    domain: String,
    user_pool_id: String,
    custom_domain_config: Option<Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    #[serde(skip_serializing_if = "Option::is_none")]
    cloud_front_domain: Option<String>,
}

/// Cognito's rule for prefix domains: lowercase letters, digits and inner hyphens, at most 63
/// characters, and none of the reserved words.
fn check_prefix(domain: &str) -> Result<(), CognitoError> {
    let bytes = domain.as_bytes();
    let shape = !bytes.is_empty()
        && bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-');
    if !shape {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{domain}' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{{0,61}}[a-z0-9])?$"
        )));
    }
    if ["aws", "amazon", "cognito"].iter().any(|word| domain.contains(word)) {
        return Err(CognitoError::invalid_parameter(
            "Domain cannot contain reserved word: aws, amazon or cognito.",
        ));
    }
    Ok(())
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    services.pool(&request.user_pool_id).await?;
    let custom = request.custom_domain_config.is_some();
    if !custom {
        check_prefix(&request.domain)?;
    }
    let store = services.store();
    if !store
        .insert_domain(&request.domain, &request.user_pool_id, services.now())
        .await?
    {
        return Err(CognitoError::invalid_parameter(
            "Domain already associated with another user pool, or the user pool already has a domain.",
        ));
    }
    Ok(Response {
        cloud_front_domain: custom.then(|| "local-cognito.invalid".to_owned()),
    })
}
