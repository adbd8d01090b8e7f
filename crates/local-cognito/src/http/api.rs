//! `POST /`: checks the protocol headers, parses `X-Amz-Target` and dispatches the body.
//! SigV4 `Authorization` headers are accepted and not verified.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::AMZ_JSON;
use crate::error::CognitoError;
use crate::service::Services;
use crate::targets::Target;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Handles one JSON API call.
pub(super) async fn handle(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match call(&services, &headers, &body).await {
        Ok(json) => {
            let mut response = json.to_string().into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(answer_content_type(&headers)),
            );
            with_request_id(response)
        }
        Err(error) => {
            tracing::debug!(code = error.code, message = %error.message, "cognito error");
            with_request_id(error.into_response())
        }
    }
}

/// The protocol version the caller spoke (1.1 unless it said 1.0), to answer in.
fn answer_content_type(headers: &HeaderMap) -> &'static str {
    if header(headers, "content-type")
        .is_some_and(|value| value.starts_with("application/x-amz-json-1.0"))
    {
        "application/x-amz-json-1.0"
    } else {
        AMZ_JSON
    }
}

async fn call(
    services: &Services,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<serde_json::Value, CognitoError> {
    let content_type = header(headers, "content-type").unwrap_or_default();
    if !content_type.starts_with("application/x-amz-json-1.")
        && !content_type.starts_with("application/json")
    {
        return Err(CognitoError::new(
            "SerializationException",
            format!("Unsupported Content-Type {content_type:?}; use application/x-amz-json-1.1"),
        ));
    }
    let target = header(headers, "x-amz-target").ok_or_else(|| {
        CognitoError::new("UnknownOperationException", "Missing X-Amz-Target header")
    })?;
    Target::parse(target)?.dispatch(services, body).await
}

/// Adds `x-amzn-requestid`, which SDKs read into their request metadata.
fn with_request_id(mut response: Response) -> Response {
    if let Ok(value) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
    response
}
