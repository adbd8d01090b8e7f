//! The HTTP layer: the route table (`routes.rs`), middleware and the mapping of every error to
//! one JSON shape.
//!
//! Handlers stay thin: extract (verified user, proven tenant, validated body), call the store
//! or Cognito, map to a DTO.

pub mod alerts;
pub mod auth;
pub mod console;
mod doc_parts;
mod edge;
pub mod error;
pub mod extract;
pub mod health;
pub mod items;
pub mod metrics;
mod middleware;
pub mod openapi;
pub mod own_tenants;
pub mod pagination;
mod request_id;
mod routes;
pub mod tenant_admin;
pub mod user;

pub use error::{ApiError, ErrorBody};
pub use routes::router;
