//! Cognito JWT verification for any tokio/axum application.
