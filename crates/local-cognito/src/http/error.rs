//! Turns a [`CognitoError`] into Cognito's wire error: HTTP 400 (500 for our own failures),
//! `X-Amzn-ErrorType` and `{"__type","message"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::CognitoError;

/// The content type of every JSON answer; SDKs accept it for both protocol versions.
pub(super) const AMZ_JSON: &str = "application/x-amz-json-1.1";

impl IntoResponse for CognitoError {
    fn into_response(self) -> Response {
        let status = if self.is_internal() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = json!({ "__type": self.code, "message": self.message }).to_string();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
        headers.insert("x-amzn-errortype", HeaderValue::from_static(self.code));
        response
    }
}
