//! Alerts: rows owned by one user within a tenant.

use std::str::FromStr;

use time::OffsetDateTime;

use super::tenant::TenantId;

/// How serious an alert is.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information.
    #[default]
    Info,
    /// Needs attention.
    Warning,
    /// Needs attention now.
    Critical,
}

impl Severity {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

impl FromStr for Severity {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "info" => Ok(Self::Info),
            "warning" => Ok(Self::Warning),
            "critical" => Ok(Self::Critical),
            _ => Err(()),
        }
    }
}

/// A stored alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// Store-assigned id.
    pub id: i64,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// `sub` of the user the alert belongs to.
    pub owner_sub: String,
    /// Short description.
    pub title: String,
    /// Seriousness.
    pub severity: Severity,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When the owner acknowledged it, if they did.
    pub acknowledged_at: Option<OffsetDateTime>,
}

/// An alert title: 1–200 characters, not blank.
pub type AlertTitle = super::text::BoundedText<200>;
