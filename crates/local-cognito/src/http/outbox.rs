//! `GET /outbox` (a page) and `GET /outbox.json`: the messages the provider would have sent,
//! newest first, optionally `?to=<address>`. Loopback only (see [`crate::exposure`]).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::error::CognitoError;
use crate::oauth2::page::{escape, html};
use crate::service::Services;
use crate::store::OutboxMessage;

/// How many messages one answer lists.
const SHOWN: i64 = 100;

/// The optional filter.
#[derive(Debug, Deserialize)]
pub(super) struct OutboxQuery {
    /// Only messages to this address or number.
    to: Option<String>,
}

async fn messages(
    services: &Services,
    query: &OutboxQuery,
) -> Result<Vec<OutboxMessage>, CognitoError> {
    let to = query.to.as_deref().filter(|to| !to.is_empty());
    Ok(services.store().messages(to, SHOWN).await?)
}

/// The messages as JSON: `{"messages": [...]}`.
pub(super) async fn json(
    State(services): State<Services>,
    Query(query): Query<OutboxQuery>,
) -> Response {
    match messages(&services, &query).await {
        Ok(messages) => {
            let mut response = Json(serde_json::json!({ "messages": messages })).into_response();
            crate::oauth2::page::secure_headers(response.headers_mut());
            response
        }
        Err(error) => error.into_response(),
    }
}

/// The messages as a page a developer reads in the browser.
pub(super) async fn page(
    State(services): State<Services>,
    Query(query): Query<OutboxQuery>,
) -> Response {
    let messages = match messages(&services, &query).await {
        Ok(messages) => messages,
        Err(error) => return error.into_response(),
    };
    let mut rows = String::new();
    for message in &messages {
        rows.push_str(&format!(
            "<article class=\"message\"><h2>{subject}</h2>\
             <p class=\"meta\">{medium} to <strong class=\"to\">{to}</strong> · pool {pool} · {sent}</p>\
             <p class=\"body\">{body}</p></article>",
            subject = escape(if message.subject.is_empty() { "(text message)" } else { &message.subject }),
            medium = escape(&message.medium),
            to = escape(&message.destination),
            pool = escape(&message.pool_id),
            sent = escape(&sent_at(message.sent_at)),
            body = escape(&message.body),
        ));
    }
    if messages.is_empty() {
        rows.push_str("<p>No messages yet. Invitations (AdminCreateUser) land here.</p>");
    }
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Outbox</title><link rel=\"stylesheet\" href=\"/hosted-ui.css\"></head>\
         <body><main><h1>Outbox</h1>\
         <p>What Cognito would have sent, newest first. This page answers this machine only.</p>\
         {rows}</main></body></html>"
    );
    html(StatusCode::OK, body, None)
}

/// `2026-12-05 06:01:02 UTC` from Unix seconds.
fn sent_at(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|at| {
            at.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| seconds.to_string())
}
