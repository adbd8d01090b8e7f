//! `GET /oauth2/authorize`: checks the request and, as Cognito does with no external identity
//! provider, sends the browser to `/login` with the same parameters.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use super::{authorization, page};
use crate::service::Services;

/// Redirects a valid request to the sign-in page; refusals as [`super::refused`].
pub(super) async fn get(State(services): State<Services>, uri: Uri) -> Response {
    match authorization(&services, &uri).await {
        Ok((query, _)) => page::redirect(&format!("/login?{query}")),
        Err(response) => response,
    }
}
