//! The authorization request (`/oauth2/authorize`, `/login` and the sign-in forms carry it in
//! their query): parsed and checked as Cognito checks it. An unknown client or unregistered
//! `redirect_uri` is shown as an error page, never redirected to; other errors go back to the
//! client as `?error=…&state=…`.

use serde::Deserialize;

use crate::domain::client::Client;
use crate::domain::pool::Pool;
use crate::service::Services;

/// The query parameters of an authorization request.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct AuthorizeQuery {
    pub(super) response_type: Option<String>,
    pub(super) client_id: Option<String>,
    pub(super) redirect_uri: Option<String>,
    pub(super) state: Option<String>,
    pub(super) scope: Option<String>,
    pub(super) code_challenge: Option<String>,
    pub(super) code_challenge_method: Option<String>,
    pub(super) nonce: Option<String>,
}

/// A checked authorization request.
#[derive(Debug, Clone)]
pub(super) struct Authorization {
    pub(super) pool: Pool,
    pub(super) client: Client,
    pub(super) redirect_uri: String,
    pub(super) state: Option<String>,
    /// Granted scopes, space-separated.
    pub(super) scopes: String,
    pub(super) code_challenge: Option<String>,
    pub(super) nonce: Option<String>,
}

/// Why a request cannot go on.
#[derive(Debug)]
pub(super) enum Refusal {
    /// Shown as a page: there is no trustworthy place to send the browser back to.
    Page(&'static str),
    /// Sent back to the client's registered `redirect_uri`.
    Redirect {
        redirect_uri: String,
        error: &'static str,
        state: Option<String>,
    },
    /// Our own failure.
    Internal,
}

/// `redirect_uri` with `params` added to its query.
pub(super) fn with_query(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(params);
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

impl Refusal {
    fn back(authorization: &AuthorizeQuery, redirect_uri: &str, error: &'static str) -> Self {
        Self::Redirect {
            redirect_uri: redirect_uri.to_owned(),
            error,
            state: authorization.state.clone(),
        }
    }
}

fn is_pkce_challenge(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The client and redirect: the part that decides whether errors may be redirected.
async fn client_and_redirect(
    services: &Services,
    query: &AuthorizeQuery,
) -> Result<(Pool, Client, String), Refusal> {
    let client_id = query
        .client_id
        .as_deref()
        .ok_or(Refusal::Page("client_id is missing."))?;
    let client = match services.store().client(client_id).await {
        Ok(Some(client)) => client,
        Ok(None) => return Err(Refusal::Page("The client_id is not known.")),
        Err(_) => return Err(Refusal::Internal),
    };
    let pool = match services.store().pool(&client.pool_id).await {
        Ok(Some(pool)) => pool,
        _ => return Err(Refusal::Internal),
    };
    let oauth = &client.settings.oauth;
    let redirect_uri = query
        .redirect_uri
        .clone()
        .or_else(|| oauth.default_redirect_uri.clone())
        .ok_or(Refusal::Page("redirect_uri is missing."))?;
    if !oauth.callback_urls.contains(&redirect_uri) {
        return Err(Refusal::Page(
            "redirect_mismatch: the redirect_uri is not registered for this client.",
        ));
    }
    Ok((pool, client, redirect_uri))
}

/// Checks an authorization request; on success the scopes are those asked for (all the
/// client's allowed scopes when none were).
pub(super) async fn check(
    services: &Services,
    query: &AuthorizeQuery,
) -> Result<Authorization, Refusal> {
    let (pool, client, redirect_uri) = client_and_redirect(services, query).await?;
    let back = |error| Refusal::back(query, &redirect_uri, error);
    let oauth = &client.settings.oauth;
    match query.response_type.as_deref() {
        Some("code") => {}
        Some("token") => return Err(back("unauthorized_client")),
        Some(_) => return Err(back("unsupported_response_type")),
        None => return Err(back("invalid_request")),
    }
    if !oauth.code_flow_enabled() {
        return Err(back("unauthorized_client"));
    }
    let scopes = match query.scope.as_deref().map(str::trim) {
        None | Some("") => oauth.scopes.join(" "),
        Some(asked) => {
            let mut asked: Vec<&str> = asked.split_whitespace().collect();
            // A scope asked twice is granted once, in the order first asked.
            let mut seen = std::collections::HashSet::new();
            asked.retain(|scope| seen.insert(*scope));
            if asked
                .iter()
                .any(|s| !oauth.scopes.iter().any(|allowed| allowed == s))
            {
                return Err(back("invalid_scope"));
            }
            asked.join(" ")
        }
    };
    match (
        query.code_challenge.as_deref(),
        query.code_challenge_method.as_deref(),
    ) {
        (None, None) => {}
        (Some(challenge), Some("S256")) if is_pkce_challenge(challenge) => {}
        _ => return Err(back("invalid_request")),
    }
    Ok(Authorization {
        state: query.state.clone(),
        scopes,
        code_challenge: query.code_challenge.clone(),
        nonce: query.nonce.clone(),
        pool,
        client,
        redirect_uri,
    })
}
