//! `ListUsers`: users in username order, with `Filter` (`attr = "v"` / `attr ^= "v"`),
//! `Limit` and `PaginationToken`.

use serde::{Deserialize, Serialize};

use super::views::{self, UserView};
use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Request {
    user_pool_id: String,
    limit: Option<usize>,
    pagination_token: Option<String>,
    filter: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Response {
    users: Vec<UserView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination_token: Option<String>,
}

/// A parsed `Filter`: attribute, exact (`=`) or prefix (`^=`), value.
#[derive(Debug, PartialEq, Eq)]
struct Filter {
    attribute: String,
    prefix: bool,
    value: String,
}

const FILTERABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

fn parse_filter(filter: &str) -> Result<Filter, CognitoError> {
    let invalid = || CognitoError::invalid_parameter(format!("Invalid search filter: {filter}"));
    let (attribute, prefix, rest) = if let Some((attribute, rest)) = filter.split_once("^=") {
        (attribute, true, rest)
    } else {
        let (attribute, rest) = filter.split_once('=').ok_or_else(invalid)?;
        (attribute, false, rest)
    };
    let attribute = attribute.trim();
    let value = rest
        .trim()
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(invalid)?;
    if !FILTERABLE.contains(&attribute) {
        return Err(invalid());
    }
    Ok(Filter {
        attribute: attribute.to_owned(),
        prefix,
        value: value.to_owned(),
    })
}

impl Filter {
    fn keeps(&self, user: &User) -> bool {
        let actual = match self.attribute.as_str() {
            "username" => Some(user.username.as_str()),
            "cognito:user_status" => Some(user.status.as_str()),
            "status" => Some(if user.enabled { "Enabled" } else { "Disabled" }),
            other => user.attributes.get(other).map(String::as_str),
        };
        actual.is_some_and(|actual| {
            if self.prefix {
                actual.starts_with(&self.value)
            } else {
                actual == self.value
            }
        })
    }
}

pub(super) async fn handle(services: &Services, request: Request) -> Result<Response, CognitoError> {
    let pool = services.pool(&request.user_pool_id).await?;
    let limit = request.limit.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(CognitoError::invalid_parameter("Limit must be between 1 and 60."));
    }
    let filter = request
        .filter
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(parse_filter)
        .transpose()?;
    let page = services
        .store()
        .list_users(&pool.id, request.pagination_token.as_deref(), limit, |user| {
            filter.as_ref().is_none_or(|f| f.keeps(user))
        })
        .await?;
    Ok(Response {
        users: page.users.iter().map(views::user).collect(),
        pagination_token: page.next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_exact_and_prefix_matches() {
        assert_eq!(
            parse_filter(r#"email = "a@b.c""#).unwrap(),
            Filter { attribute: "email".into(), prefix: false, value: "a@b.c".into() }
        );
        assert!(parse_filter(r#"username ^= "al""#).unwrap().prefix);
        assert!(parse_filter(r#"custom:x = "1""#).is_err());
        assert!(parse_filter("email = unquoted").is_err());
    }
}
