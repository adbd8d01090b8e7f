//! User pools: their settings and schema (standard attributes plus `custom:` ones).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::password_policy::PasswordPolicy;

/// One attribute of a pool's schema, in Cognito's `SchemaAttributeType` shape.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SchemaAttribute {
    pub(crate) name: String,
    #[serde(default = "string_type")]
    pub(crate) attribute_data_type: String,
    #[serde(default)]
    pub(crate) developer_only_attribute: bool,
    #[serde(default = "yes")]
    pub(crate) mutable: bool,
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) string_attribute_constraints: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) number_attribute_constraints: Option<Value>,
}

fn string_type() -> String {
    "String".to_owned()
}

fn yes() -> bool {
    true
}

/// Cognito's standard attributes: (name, data type, mutable, required).
const STANDARD: &[(&str, &str, bool, bool)] = &[
    ("sub", "String", false, true),
    ("name", "String", true, false),
    ("given_name", "String", true, false),
    ("family_name", "String", true, false),
    ("middle_name", "String", true, false),
    ("nickname", "String", true, false),
    ("preferred_username", "String", true, false),
    ("profile", "String", true, false),
    ("picture", "String", true, false),
    ("website", "String", true, false),
    ("email", "String", true, false),
    ("email_verified", "Boolean", true, false),
    ("gender", "String", true, false),
    ("birthdate", "String", true, false),
    ("zoneinfo", "String", true, false),
    ("locale", "String", true, false),
    ("phone_number", "String", true, false),
    ("phone_number_verified", "Boolean", true, false),
    ("address", "String", true, false),
    ("updated_at", "Number", true, false),
];

/// True for the names of Cognito's standard attributes.
pub(crate) fn is_standard(name: &str) -> bool {
    STANDARD.iter().any(|(standard, ..)| *standard == name)
}

/// The full schema of a new pool: every standard attribute, overridden or extended by the
/// attributes given in `CreateUserPool.Schema`; non-standard names get the `custom:` prefix.
pub(crate) fn build_schema(requested: Vec<SchemaAttribute>) -> Vec<SchemaAttribute> {
    let mut schema: Vec<SchemaAttribute> = STANDARD
        .iter()
        .map(|(name, data_type, mutable, required)| SchemaAttribute {
            name: (*name).to_owned(),
            attribute_data_type: (*data_type).to_owned(),
            developer_only_attribute: false,
            mutable: *mutable,
            required: *required,
            string_attribute_constraints: None,
            number_attribute_constraints: None,
        })
        .collect();
    for mut attribute in requested {
        if let Some(existing) = schema.iter_mut().find(|a| a.name == attribute.name) {
            if is_standard(&attribute.name) {
                *existing = attribute;
                continue;
            }
        }
        if !is_standard(&attribute.name) && !attribute.name.starts_with("custom:") {
            attribute.name = format!("custom:{}", attribute.name);
        }
        schema.retain(|a| a.name != attribute.name);
        schema.push(attribute);
    }
    schema
}

/// Everything configurable about a pool, persisted as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PoolSettings {
    pub(crate) password_policy: PasswordPolicy,
    pub(crate) schema: Vec<SchemaAttribute>,
    #[serde(default)]
    pub(crate) username_attributes: Vec<String>,
    #[serde(default)]
    pub(crate) alias_attributes: Vec<String>,
    #[serde(default)]
    pub(crate) auto_verified_attributes: Vec<String>,
    #[serde(default)]
    pub(crate) allow_admin_create_user_only: bool,
    #[serde(default)]
    pub(crate) mfa_configuration: String,
    /// Emulates a pre-token-generation V2 trigger: attributes copied into access tokens.
    #[serde(default)]
    pub(crate) access_token_attributes: Vec<String>,
}

/// A stored user pool.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_at: i64,
    pub(crate) modified_at: i64,
    pub(crate) settings: PoolSettings,
}

impl Pool {
    /// True when users sign in with their email and get a UUID as internal username.
    pub(crate) fn email_is_username(&self) -> bool {
        self.settings
            .username_attributes
            .iter()
            .any(|attribute| attribute == "email")
    }

    /// The schema entry for `name`, if the pool knows the attribute.
    pub(crate) fn attribute(&self, name: &str) -> Option<&SchemaAttribute> {
        self.settings.schema.iter().find(|a| a.name == name)
    }

    /// The pool's ARN, with a placeholder account id (there is no account locally).
    pub(crate) fn arn(&self) -> String {
        let region = self.id.split('_').next().unwrap_or("us-east-1");
        format!(
            "arn:aws:cognito-idp:{region}:000000000000:userpool/{}",
            self.id
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_attributes_get_the_custom_prefix_and_standard_ones_are_kept() {
        let requested: Vec<SchemaAttribute> = serde_json::from_value(serde_json::json!([
            { "Name": "tenant_id", "AttributeDataType": "String" },
            { "Name": "email", "AttributeDataType": "String", "Required": true }
        ]))
        .unwrap();
        let schema = build_schema(requested);
        assert!(schema.iter().any(|a| a.name == "custom:tenant_id"));
        assert!(schema.iter().any(|a| a.name == "email" && a.required));
        assert!(schema.iter().any(|a| a.name == "sub" && !a.mutable));
        assert_eq!(schema.iter().filter(|a| a.name == "email").count(), 1);
    }
}
