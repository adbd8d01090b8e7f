//! `GET|POST /login`: the sign-in page. A live Hosted UI session goes straight back to the
//! client with a code; a temporary password leads to the new-password page; every failure
//! shows the same message (no user enumeration); a client address posting faster than the
//! per-address limit ([`crate::throttle`]) gets 429 and the form again.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::request::Authorization;
use super::{
    authorization, checked_form, csrf, either, internal, new_password, or_page, page, session,
};
use crate::auth;
use crate::domain::user::UserStatus;
use crate::service::Services;

/// The sign-in form's fields.
#[derive(Debug, Default, Deserialize)]
pub(super) struct LoginForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

const WRONG: &str = "Incorrect username or password.";
const TOO_MANY: &str = "Too many sign-in attempts from your network. Wait a minute and try again.";

/// The sign-in page with a fresh CSRF token.
pub(super) fn form(
    services: &Services,
    authz: &Authorization,
    query: &str,
    username: &str,
    error: Option<&str>,
) -> Response {
    let email = authz.pool.email_is_username();
    let token = csrf::token();
    let body = page::render(
        page::LOGIN,
        &[
            ("client_name", &authz.client.name),
            ("pool_name", &authz.pool.name),
            ("query", query),
            ("csrf", &token),
            ("username", username),
            ("username_label", if email { "Email" } else { "Username" }),
            ("username_type", if email { "email" } else { "text" }),
            ("error", error.unwrap_or_default()),
            ("error_hidden", if error.is_some() { "" } else { "hidden" }),
        ],
    );
    page::form(services, &authz.redirect_uri, body, &token, error.is_some())
}

/// Shows the form, or redirects with a code when this browser is signed in to the pool.
pub(super) async fn show(
    State(services): State<Services>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let (query, authz) = match authorization(&services, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let outcome = match session::signed_in(&services, &headers, &authz.pool.id).await {
        Ok(Some((user, auth_time))) => {
            session::complete(&services, &authz, &user, Some(auth_time)).await
        }
        Ok(None) => return form(&services, &authz, &query, "", None),
        Err(error) => Err(error),
    };
    outcome.unwrap_or_else(|_| internal())
}

/// Checks the CSRF token and the credentials; answers with a code, the new-password page, or
/// the form again with the generic message.
pub(super) async fn submit(
    State(services): State<Services>,
    uri: Uri,
    headers: HeaderMap,
    extensions: Extensions,
    Form(login): Form<LoginForm>,
) -> Response {
    // No peer address means the router is served in-process, without a socket.
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    either(sign_in(&services, &uri, &headers, peer, &login).await)
}

async fn sign_in(
    services: &Services,
    uri: &Uri,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    login: &LoginForm,
) -> Result<Response, Response> {
    let (query, authz) = checked_form(services, uri, headers, login.csrf.as_deref()).await?;
    let retry = |message: &str| form(services, &authz, &query, &login.username, Some(message));
    let throttle = &services.core.login_throttle;
    if peer.is_some_and(|peer| !throttle.allow(peer.ip(), services.now())) {
        let mut response = retry(TOO_MANY);
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        let wait = HeaderValue::from(crate::throttle::REFILL_SECONDS);
        response.headers_mut().insert(header::RETRY_AFTER, wait);
        return Err(response);
    }
    let (pool, client) = (&authz.pool, &authz.client);
    let user = auth::verify_password(
        services,
        pool,
        client,
        login.username.trim(),
        &login.password,
    )
    .await
    .map_err(|error| or_page(error, |_| retry(WRONG)))?;
    if user.status == UserStatus::Confirmed {
        return session::complete(services, &authz, &user, None)
            .await
            .map_err(|_| internal());
    }
    let challenge = auth::start_challenge(services, pool, client, &user)
        .await
        .map_err(|error| or_page(error, |error| retry(&error.message)))?;
    Ok(new_password::form(
        services,
        &authz,
        &query,
        &user.username,
        &challenge,
        None,
    ))
}
