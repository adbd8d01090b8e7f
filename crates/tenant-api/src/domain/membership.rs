//! Memberships: who belongs to a tenant, with which role and in which state, and the tenant's
//! audit log of what its admins did.

use std::str::FromStr;

use time::OffsetDateTime;

use super::tenant::TenantId;

/// What a member may do in a tenant.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages the tenant's members and reads its audit log.
    Admin,
    /// Uses the tenant's data.
    Member,
}

/// Where a membership stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MemberState {
    /// Invited, not yet used: becomes `active` on the person's first proven request.
    Invited,
    /// Admitted.
    Active,
    /// Refused until an admin reactivates it.
    Suspended,
}

/// How a membership came to be, which decides what it admits.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Joined {
    /// Written on the first request of a person whose tenant attribute names the tenant; it
    /// admits them only while the attribute still does (a person moved to another tenant
    /// leaves this one), and records their role and state meanwhile.
    Home,
    /// Written by an admin's invite: admits the person whatever their attribute says.
    Invite,
}

/// The stored spelling of an enum, and its parsing back.
macro_rules! spelled {
    ($ty:ty { $($variant:ident => $text:literal),+ }) => {
        impl $ty {
            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }
        impl FromStr for $ty {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok(Self::$variant),)+ _ => Err(()) }
            }
        }
    };
}
spelled!(Role { Admin => "admin", Member => "member" });
spelled!(MemberState { Invited => "invited", Active => "active", Suspended => "suspended" });
spelled!(Joined { Home => "home", Invite => "invite" });

/// A person's membership of a tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    /// Store-assigned id (the paging key).
    pub id: i64,
    /// The tenant.
    pub tenant_id: TenantId,
    /// The person's Cognito `sub`.
    pub sub: String,
    /// The person's email, as invited or as their token stated it.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// Their state.
    pub state: MemberState,
    /// How the membership came to be.
    pub via: Joined,
    /// When the membership was written.
    pub created_at: OffsetDateTime,
    /// Last change of role or state.
    pub updated_at: OffsetDateTime,
}

impl Membership {
    /// Whether this membership may run the tenant's admin operations.
    pub fn is_active_admin(&self) -> bool {
        self.role == Role::Admin && self.state == MemberState::Active
    }
}

/// One line of the tenant directory: a tenant that has (or had) members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantSummary {
    /// Store-assigned id (the paging key).
    pub id: i64,
    /// The tenant.
    pub tenant_id: TenantId,
    /// How many memberships it has now, in any state.
    pub members: i64,
    /// When its first membership was written.
    pub created_at: OffsetDateTime,
}

/// What the store knows of one person in one tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A membership row.
    Member(Membership),
    /// No row, because an admin removed the person: their home attribute no longer admits them.
    Removed,
    /// No row and no removal: a person whose home tenant this is gets a row on first use.
    Unknown,
}

/// Filters of the member list; `None` filters nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberFilter {
    /// Emails starting with this (compared in lower case).
    pub email_prefix: Option<String>,
    /// Only this role.
    pub role: Option<Role>,
    /// Only this state.
    pub state: Option<MemberState>,
}

/// An email address as tenant-api keeps it: trimmed, lower-case, `local@domain`, at most 254
/// characters, no white space or control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

/// Why a string is not an email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("email must look like name@example.com (at most 254 characters)")]
pub struct EmailError;

impl Email {
    /// Validates and normalises `raw`.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        let well_formed = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.contains('@')
            });
        if !well_formed {
            return Err(EmailError);
        }
        Ok(Self(email))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What was done, as the audit log names it: an admin's action on a member, or a person's own
/// sign-in or sign-out through the API (recorded in their home tenant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// Invited a person (a new membership).
    Invited,
    /// Changed a member's role (`detail`: the new role).
    RoleChanged,
    /// Suspended a member.
    Suspended,
    /// Reactivated a member.
    Reactivated,
    /// Removed a member (`detail`: whether the Cognito user was deleted).
    Removed,
    /// Signed in through `/api/user/login` or `/api/user/new-password` (`detail`: which).
    SignedIn,
    /// Signed out everywhere through `/api/user/logout`.
    SignedOut,
}

spelled!(AuditAction {
    Invited => "member.invited",
    RoleChanged => "member.role_changed",
    Suspended => "member.suspended",
    Reactivated => "member.reactivated",
    Removed => "member.removed",
    SignedIn => "user.signed_in",
    SignedOut => "user.signed_out"
});

/// One action to record in a tenant's audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// `sub` of the person who acted (the admin, or the person signing in or out).
    pub actor_sub: String,
    /// What they did.
    pub action: AuditAction,
    /// `sub` of the member acted on.
    pub target: String,
    /// What changed, when the action has a value (the new role, say).
    pub detail: Option<String>,
    /// The request's `X-Request-Id`.
    pub request_id: String,
}

/// A recorded audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Store-assigned id (the paging key).
    pub id: i64,
    /// `sub` of the admin who acted.
    pub actor_sub: String,
    /// What they did (`member.invited`, …).
    pub action: String,
    /// `sub` of the member acted on.
    pub target: String,
    /// What changed, when the action has a value.
    pub detail: Option<String>,
    /// The request's id.
    pub request_id: String,
    /// When.
    pub at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_odd_ones_refused() {
        assert_eq!(
            Email::parse(" Bob@Example.COM ").unwrap().as_str(),
            "bob@example.com"
        );
        for odd in [
            "", "bob", "@x.io", "bob@", "bob@x", "a b@x.io", "a@b@x.io", "a\n@x.io",
        ] {
            assert_eq!(Email::parse(odd), Err(EmailError), "{odd:?}");
        }
        assert!(Email::parse(&format!("{}@x.io", "a".repeat(250))).is_err());
    }

    #[test]
    fn spellings_round_trip() {
        for role in [Role::Admin, Role::Member] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        for state in [
            MemberState::Invited,
            MemberState::Active,
            MemberState::Suspended,
        ] {
            assert_eq!(state.as_str().parse::<MemberState>(), Ok(state));
        }
    }
}
