//! `POST /login/new-password`: NEW_PASSWORD_REQUIRED in the browser. The user who signed in
//! with a temporary password chooses a permanent one (typed twice, checked against the pool's
//! policy with the broken rule named) and goes back to the client with a code.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::request::Authorization;
use super::{checked_form, csrf, either, internal, login, or_page, page, session};
use crate::auth;
use crate::domain::password_policy::PasswordPolicy;
use crate::service::Services;

/// The new-password form's fields.
#[derive(Debug, Default, Deserialize)]
pub(super) struct NewPasswordForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    session: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// Shown when the challenge session is gone (used, expired or forged).
const EXPIRED: &str = "Your session has expired. Please sign in again.";

/// The policy in words, shown under the fields.
fn describe(policy: &PasswordPolicy) -> String {
    let mut rules = vec![format!("at least {} characters", policy.minimum_length)];
    for (on, what) in [
        (policy.require_uppercase, "an uppercase letter"),
        (policy.require_lowercase, "a lowercase letter"),
        (policy.require_numbers, "a number"),
        (policy.require_symbols, "a symbol"),
    ] {
        if on {
            rules.push(what.to_owned());
        }
    }
    format!("Your password needs {}.", rules.join(", "))
}

/// The new-password page for the challenge `challenge` with a fresh CSRF token.
pub(super) fn form(
    services: &Services,
    authz: &Authorization,
    query: &str,
    username: &str,
    challenge: &str,
    error: Option<&str>,
) -> Response {
    let token = csrf::token();
    let policy = describe(&authz.pool.settings.password_policy);
    let body = page::render(
        page::NEW_PASSWORD,
        &[
            ("client_name", &authz.client.name),
            ("query", query),
            ("csrf", &token),
            ("session", challenge),
            ("username", username),
            ("policy", &policy),
            ("error", error.unwrap_or_default()),
            ("error_hidden", if error.is_some() { "" } else { "hidden" }),
        ],
    );
    page::form(services, &authz.redirect_uri, body, &token, error.is_some())
}

/// Sets the new password and redirects with a code; the page again with the reason otherwise.
pub(super) async fn submit(
    State(services): State<Services>,
    uri: Uri,
    headers: HeaderMap,
    Form(input): Form<NewPasswordForm>,
) -> Response {
    either(change(&services, &uri, &headers, &input).await)
}

async fn change(
    services: &Services,
    uri: &Uri,
    headers: &HeaderMap,
    input: &NewPasswordForm,
) -> Result<Response, Response> {
    let (query, authz) = checked_form(services, uri, headers, input.csrf.as_deref()).await?;
    let again = |error: &str| {
        form(
            services,
            &authz,
            &query,
            &input.username,
            &input.session,
            Some(error),
        )
    };
    if input.new_password != input.confirm_password {
        return Err(again("The passwords do not match."));
    }
    let policy = &authz.pool.settings.password_policy;
    policy
        .check(&input.new_password)
        .map_err(|error| again(&error.message))?;
    let (pool, client, challenge) = (&authz.pool, &authz.client, Some(input.session.as_str()));
    let user = auth::set_new_password(
        services,
        pool,
        client,
        challenge,
        &input.username,
        &input.new_password,
        vec![],
    )
    .await
    .map_err(|error| {
        or_page(error, |_| {
            login::form(services, &authz, &query, "", Some(EXPIRED))
        })
    })?;
    session::complete(services, &authz, &user, None)
        .await
        .map_err(|_| internal())
}
