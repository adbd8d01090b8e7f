//! Integration tests: the real AWS SDK for Rust against `local-cognito` on 127.0.0.1:0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod admin_errors;
mod challenge_errors;
mod claims;
mod errors;
mod expiry;
mod exposure;
mod flow;
mod helpers;
mod hosted;
mod lockout;
mod outbox;
mod persistence;
mod rotation;
mod secrets;
mod timing;
mod wire;
