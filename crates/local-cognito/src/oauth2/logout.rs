//! `GET /logout`: ends this browser's Hosted UI session of the client's pool, then redirects
//! to a registered `logout_uri`, or (with `response_type`, `redirect_uri`…) back to the
//! sign-in page. Anything unregistered is an error page, never a redirect.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;

use super::{authorization, internal, page, session};
use crate::crypto::random;
use crate::service::Services;

/// The parameters of a sign-out.
#[derive(Debug, Default, Deserialize)]
pub(super) struct LogoutQuery {
    client_id: Option<String>,
    logout_uri: Option<String>,
    redirect_uri: Option<String>,
}

/// Where to go after the session ends, checked against the client's registration.
async fn destination(
    services: &Services,
    uri: &Uri,
    query: &LogoutQuery,
) -> Result<(String, String), Response> {
    let bad = |message| page::error_page(StatusCode::BAD_REQUEST, message);
    if query.redirect_uri.is_some() {
        let (raw, authz) = authorization(services, uri).await?;
        return Ok((authz.pool.id, format!("/login?{raw}")));
    }
    let client_id = query
        .client_id
        .as_deref()
        .ok_or_else(|| bad("client_id is missing."))?;
    let client = match services.store().client(client_id).await {
        Ok(Some(client)) => client,
        Ok(None) => return Err(bad("The client_id is not known.")),
        Err(_) => return Err(internal()),
    };
    let logout_uri = query
        .logout_uri
        .clone()
        .ok_or_else(|| bad("logout_uri or redirect_uri is required."))?;
    if !client.settings.oauth.logout_urls.contains(&logout_uri) {
        return Err(bad("The logout_uri is not registered for this client."));
    }
    Ok((client.pool_id, logout_uri))
}

/// Ends the session and redirects.
pub(super) async fn get(
    State(services): State<Services>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<LogoutQuery>,
) -> Response {
    let (pool_id, location) = match destination(&services, &uri, &query).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let name = session::cookie_name(&pool_id);
    if let Some(value) = page::cookie(&headers, &name) {
        if services
            .store()
            .delete_hosted_session(&random::token_hash(value), services.now())
            .await
            .is_err()
        {
            return internal();
        }
    }
    let mut response = page::redirect(&location);
    page::set_cookie(&mut response, &name, "", 0, session::https(&services));
    response
}
