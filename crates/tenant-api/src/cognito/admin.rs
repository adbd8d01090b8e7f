//! Administrative calls: create users, move them between tenants, look them up, list them.

use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType, UserType};
use rand::seq::SliceRandom;
use rand::Rng;

use super::{Cognito, CognitoError};

/// A user just created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedUser {
    /// Cognito's internal username (also the `sub` in pools that sign in by email).
    pub username: String,
    /// The user's `sub`.
    pub sub: String,
    /// The temporary password, when it was generated here.
    pub generated_password: Option<String>,
}

/// One line of `users list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSummary {
    /// Email address.
    pub email: String,
    /// `sub`.
    pub sub: String,
    /// Tenant attribute, if set.
    pub tenant: Option<String>,
    /// Cognito's user status (`FORCE_CHANGE_PASSWORD`, `CONFIRMED`, ...).
    pub status: String,
    /// Whether sign-in is enabled.
    pub enabled: bool,
}

pub(super) fn attribute(name: &str, value: &str) -> Result<AttributeType, CognitoError> {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .map_err(|e| CognitoError::InvalidParameter(e.to_string()))
}

/// A random temporary password that satisfies Cognito's default policy (all four classes, 16 long).
fn generate_password() -> String {
    const CLASSES: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"!#%+-=?@^_",
    ];
    let mut rng = rand::thread_rng();
    let mut chars: Vec<u8> = CLASSES
        .iter()
        .map(|class| class[rng.gen_range(0..class.len())])
        .collect();
    let all: Vec<u8> = CLASSES.concat();
    chars.extend((0..12).map(|_| all[rng.gen_range(0..all.len())]));
    chars.shuffle(&mut rng);
    String::from_utf8_lossy(&chars).into_owned()
}

pub(super) fn summary(user: &UserType, tenant_attribute: &str) -> UserSummary {
    let attr = |name: &str| {
        user.attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value())
            .map(str::to_owned)
    };
    UserSummary {
        email: attr("email").unwrap_or_default(),
        sub: attr("sub").unwrap_or_else(|| user.username().unwrap_or_default().to_owned()),
        tenant: attr(tenant_attribute),
        status: user
            .user_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        enabled: user.enabled(),
    }
}

impl Cognito {
    /// AdminCreateUser with a verified email, the tenant attribute and a temporary password
    /// (generated when not given); then adds the user to `groups`, creating missing groups.
    pub async fn create_user(
        &self,
        email: &str,
        tenant_attribute: &str,
        tenant: &str,
        temporary_password: Option<&str>,
        groups: &[String],
    ) -> Result<CreatedUser, CognitoError> {
        let generated = temporary_password.is_none().then(generate_password);
        let password = temporary_password
            .or(generated.as_deref())
            .unwrap_or_default();
        let response = self
            .call(
                self.client
                    .admin_create_user()
                    .user_pool_id(&self.pool_id)
                    .username(email)
                    .temporary_password(password)
                    .message_action(MessageActionType::Suppress)
                    .user_attributes(attribute("email", email)?)
                    .user_attributes(attribute("email_verified", "true")?)
                    .user_attributes(attribute(tenant_attribute, tenant)?)
                    .send(),
            )
            .await?;
        let user = response.user().ok_or_else(|| CognitoError::Unexpected {
            code: "missing User".into(),
        })?;
        let created = summary(user, tenant_attribute);
        let username = user.username().unwrap_or_default().to_owned();
        for group in groups {
            self.add_to_group(&username, group).await?;
        }
        Ok(CreatedUser {
            username,
            sub: created.sub,
            generated_password: generated,
        })
    }

    async fn add_to_group(&self, username: &str, group: &str) -> Result<(), CognitoError> {
        let created = self
            .call(
                self.client
                    .create_group()
                    .user_pool_id(&self.pool_id)
                    .group_name(group)
                    .send(),
            )
            .await;
        match created {
            Ok(_) => {}
            Err(CognitoError::Unexpected { code }) if code == "GroupExistsException" => {}
            Err(other) => return Err(other),
        }
        self.call(
            self.client
                .admin_add_user_to_group()
                .user_pool_id(&self.pool_id)
                .username(username)
                .group_name(group)
                .send(),
        )
        .await?;
        Ok(())
    }

    /// AdminUpdateUserAttributes: moves a user to another tenant.
    pub async fn set_tenant(
        &self,
        email: &str,
        tenant_attribute: &str,
        tenant: &str,
    ) -> Result<(), CognitoError> {
        self.call(
            self.client
                .admin_update_user_attributes()
                .user_pool_id(&self.pool_id)
                .username(email)
                .user_attributes(attribute(tenant_attribute, tenant)?)
                .send(),
        )
        .await?;
        Ok(())
    }

    /// AdminGetUser: the internal username and `sub` for an email (or username).
    pub async fn lookup(&self, email_or_username: &str) -> Result<(String, String), CognitoError> {
        let user = self.admin_user(email_or_username).await?.profile;
        let sub = user.attribute("sub").unwrap_or(&user.username).to_owned();
        Ok((user.username, sub))
    }

    /// ListUsers, every page.
    pub async fn list_users(
        &self,
        tenant_attribute: &str,
    ) -> Result<Vec<UserSummary>, CognitoError> {
        let mut users = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let (page, next) = self.list_users_page(tenant_attribute, token).await?;
            users.extend(page);
            match next {
                Some(next) => token = Some(next),
                None => return Ok(users),
            }
        }
    }

    /// One ListUsers page (up to 60 users, Cognito's maximum) from `token` (`None`: the
    /// first), and the next page's token when there is one.
    pub async fn list_users_page(
        &self,
        tenant_attribute: &str,
        token: Option<String>,
    ) -> Result<(Vec<UserSummary>, Option<String>), CognitoError> {
        let response = self
            .call(
                self.client
                    .list_users()
                    .user_pool_id(&self.pool_id)
                    .limit(60)
                    .set_pagination_token(token)
                    .send(),
            )
            .await?;
        let users = response
            .users()
            .iter()
            .map(|u| summary(u, tenant_attribute))
            .collect();
        let next = response
            .pagination_token()
            .filter(|next| !next.is_empty())
            .map(str::to_owned);
        Ok((users, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_have_every_character_class() {
        for _ in 0..50 {
            let p = generate_password();
            assert_eq!(p.len(), 16);
            assert!(p.bytes().any(|b| b.is_ascii_uppercase()));
            assert!(p.bytes().any(|b| b.is_ascii_lowercase()));
            assert!(p.bytes().any(|b| b.is_ascii_digit()));
            assert!(p.bytes().any(|b| !b.is_ascii_alphanumeric()));
        }
    }
}
