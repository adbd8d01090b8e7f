//! Integration tests of cognito-verify: one binary, one module per concern.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod authorization;
mod check_cases;
mod checks;
mod extractor;
mod fuzz;
mod happy_path;
mod jwks_cache;
mod support;
mod token_cache;
