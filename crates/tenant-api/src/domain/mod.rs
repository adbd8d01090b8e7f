//! Domain types: tenants, memberships, items, alerts and pages. No HTTP and no SQL here.

pub mod alert;
pub mod item;
pub mod membership;
pub mod page;
pub mod session;
pub mod tenant;
pub mod text;
