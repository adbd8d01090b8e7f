//! The identity provider's domain: pools, clients, users, groups and their rules, free of HTTP
//! and SQL.

pub(crate) mod attributes;
pub(crate) mod client;
pub(crate) mod lockout;
pub(crate) mod oauth;
pub(crate) mod password_policy;
pub(crate) mod pool;
pub(crate) mod user;
