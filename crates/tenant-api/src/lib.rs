//! tenant-api: a multi-tenant API behind Amazon Cognito.
//!
//! Layout: `config` reads the environment; `startup` wires storage, Cognito and the verifier
//! into an [`startup::Application`]; `http` is the thin axum layer (routes, extractors, one
//! error type); `tenancy` resolves and proves tenants; `domain` and `store` hold tenant data
//! with no HTTP in sight; `cognito` is the AWS SDK gateway; `embedded` runs the local identity
//! provider; `server` is the accept loop (connection timeouts and cap); `sign_out`, `throttle`
//! and `metrics` are the production guards; `cli` is the command line; `clock` is the
//! injectable time they read.

pub mod account_audit;
pub mod bff;
pub mod cli;
pub mod clock;
pub mod cognito;
pub mod config;
pub mod domain;
pub mod embedded;
pub mod embedded_web;
pub mod http;
pub mod members;
pub mod metrics;
pub mod server;
pub mod sign_out;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod tenancy;
pub mod throttle;

pub use config::Config;
pub use startup::Application;
