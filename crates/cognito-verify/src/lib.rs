//! Cognito JWT verification for any tokio/axum application.
//!
//! Layout: [`Verifier`] (`verifier.rs`) runs the pipeline; `token.rs` parses untrusted input;
//! `jwks/` caches parsed signing keys per issuer (TTL refresh, single-flight, penalty box,
//! stale-if-error); `cache.rs` caches verified tokens; `policy.rs` holds the claim checks;
//! `claims/` the typed claims; `error.rs` the error enums; `extract.rs` (feature `axum`) the
//! request extractor.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_verify::{PoolConfig, TokenUse, Verifier};
//! let verifier = Verifier::builder()
//!     .pool(PoolConfig::cognito("eu-west-1", "eu-west-1_AbCdEf"))
//!     .client_ids(["my-app-client"])
//!     .token_use(TokenUse::Access)
//!     .build()?;
//! verifier.hydrate().await?;
//! let _refresh = verifier.spawn_refresh();
//! let claims = verifier.verify("eyJ...").await?;
//! println!("{}", claims.sub());
//! # Ok(()) }
//! ```
//!
//! The rest of this page is the crate's README: an axum app with the extractor, group and scope
//! rules and a revocation hook.
#![doc = include_str!("../README.md")]

mod builder;
mod cache;
mod claims;
mod config;
mod error;
#[cfg(feature = "axum")]
mod extract;
mod hooks;
mod jwks;
mod metrics;
mod policy;
mod token;
mod verifier;

pub use builder::VerifierBuilder;
pub use claims::{AccessClaims, CognitoClaims, CommonClaims, IdClaims, RawClaims};
pub use config::{ParseTokenUseError, PoolConfig, TokenUse};
pub use error::{ConfigError, ErrorKind, VerifyError};
#[cfg(feature = "axum")]
pub use extract::{bearer_token, AuthRejection, CognitoUser};
pub use hooks::{CheckRejection, RevocationCheck};
pub use metrics::{MetricsSnapshot, PoolMetrics};
pub use verifier::Verifier;
