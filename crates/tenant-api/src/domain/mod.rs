//! Domain types: tenants, items, alerts and pages. No HTTP and no SQL here.

pub mod alert;
pub mod item;
pub mod page;
pub mod tenant;
pub mod text;
