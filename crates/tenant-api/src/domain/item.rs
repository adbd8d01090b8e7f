//! Items: rows shared by every user of a tenant.

use time::OffsetDateTime;

use super::tenant::TenantId;

/// A stored item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Store-assigned id.
    pub id: i64,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// `sub` of the user who created it.
    pub owner_sub: String,
    /// Display name.
    pub name: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// An item name: 1–200 characters, not blank.
pub type ItemName = super::text::BoundedText<200>;
