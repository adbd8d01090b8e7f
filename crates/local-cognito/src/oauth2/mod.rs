//! The Hosted UI and OAuth 2.0 / OpenID Connect endpoints Cognito serves on a user pool
//! domain, one file per endpoint: `/oauth2/authorize`, `/login` (and its new-password step),
//! `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`. The `client_id` selects
//! the pool, so one listener serves every pool's domain.

mod authorize;
mod client_auth;
mod csrf;
mod json;
mod login;
mod logout;
mod new_password;
pub(crate) mod page;
mod request;
mod revoke;
mod session;
mod token;
mod userinfo;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use self::request::{Authorization, AuthorizeQuery, Refusal};
use crate::error::CognitoError;
use crate::service::Services;

/// The browser-facing routes.
pub(crate) fn router() -> Router<Services> {
    Router::new()
        .route("/oauth2/authorize", get(authorize::get))
        .route("/login", get(login::show).post(login::submit))
        .route("/login/new-password", post(new_password::submit))
        .route("/oauth2/token", post(token::post).options(json::preflight))
        .route(
            "/oauth2/userInfo",
            get(userinfo::handle)
                .post(userinfo::handle)
                .options(json::preflight),
        )
        .route(
            "/oauth2/revoke",
            post(revoke::post).options(json::preflight),
        )
        .route("/logout", get(logout::get))
        .route("/hosted-ui.css", get(stylesheet))
}

async fn stylesheet() -> Response {
    let mut response = page::STYLESHEET.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    response
}

/// What the browser sees when a request is refused.
fn refused(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Page(message) => page::error_page(StatusCode::BAD_REQUEST, message),
        Refusal::Redirect {
            redirect_uri,
            error,
            state,
        } => {
            let mut params = vec![("error", error)];
            if let Some(state) = state.as_deref() {
                params.push(("state", state));
            }
            page::redirect(&request::with_query(&redirect_uri, &params))
        }
        Refusal::Internal => internal(),
    }
}

fn internal() -> Response {
    page::error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong. Please try again.",
    )
}

/// Parses and checks the authorization request in `uri`'s query; returns the raw query too,
/// for the forms to post back.
async fn authorization(
    services: &Services,
    uri: &Uri,
) -> Result<(String, Authorization), Response> {
    let query = axum::extract::Query::<AuthorizeQuery>::try_from_uri(uri)
        .map(|query| query.0)
        .map_err(|_| page::error_page(StatusCode::BAD_REQUEST, "The request is malformed."))?;
    let authorization = request::check(services, &query).await.map_err(refused)?;
    Ok((uri.query().unwrap_or_default().to_owned(), authorization))
}

/// The authorization request a form was posted with, once the form's CSRF token matched.
async fn checked_form(
    services: &Services,
    uri: &Uri,
    headers: &HeaderMap,
    csrf_token: Option<&str>,
) -> Result<(String, Authorization), Response> {
    let found = authorization(services, uri).await?;
    if !csrf::matches(headers, csrf_token) {
        return Err(page::error_page(
            StatusCode::FORBIDDEN,
            "The form has expired or its CSRF token is missing. Go back and sign in again.",
        ));
    }
    Ok(found)
}

/// Our own failures as the error page; the user's as `show` renders them.
fn or_page(error: CognitoError, show: impl FnOnce(&CognitoError) -> Response) -> Response {
    if error.is_internal() {
        internal()
    } else {
        show(&error)
    }
}

/// A page either way.
fn either(result: Result<Response, Response>) -> Response {
    result.unwrap_or_else(|response| response)
}
