//! Validation of user attributes against a pool's schema, and the wire `AttributeType` shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::pool::Pool;
use crate::error::CognitoError;

/// A `{"Name","Value"}` pair as Cognito sends and returns attributes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AttributeType {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) value: String,
}

/// Converts a stored attribute map to the wire list (sorted by name, as BTreeMap iterates).
pub(crate) fn to_wire(attributes: &BTreeMap<String, String>) -> Vec<AttributeType> {
    attributes
        .iter()
        .map(|(name, value)| AttributeType {
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

fn schema_error(message: impl std::fmt::Display) -> CognitoError {
    CognitoError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {message}"
    ))
}

/// Checks attributes a caller wants to write: each must exist in the schema, `sub` is never
/// writable, immutable attributes only on creation, booleans must be "true"/"false".
pub(crate) fn validate_writes(
    pool: &Pool,
    attributes: &[AttributeType],
    creating: bool,
) -> Result<(), CognitoError> {
    for attribute in attributes {
        let Some(schema) = pool.attribute(&attribute.name) else {
            return Err(schema_error(format_args!(
                "Type for attribute {{{}}} could not be determined",
                attribute.name
            )));
        };
        if attribute.name == "sub" {
            return Err(schema_error("sub: Attribute cannot be updated."));
        }
        if !creating && !schema.mutable {
            return Err(CognitoError::invalid_parameter(format!(
                "Attribute {} cannot be updated. (changing an immutable attribute)",
                attribute.name
            )));
        }
        if schema.attribute_data_type == "Boolean"
            && !matches!(attribute.value.as_str(), "true" | "false")
        {
            return Err(schema_error(format_args!(
                "{}: Attribute must be a boolean (true or false)",
                attribute.name
            )));
        }
    }
    Ok(())
}

/// Checks that a new user has every attribute the schema marks required (except `sub`,
/// which is generated).
pub(crate) fn validate_required(
    pool: &Pool,
    attributes: &BTreeMap<String, String>,
) -> Result<(), CognitoError> {
    match pool
        .settings
        .schema
        .iter()
        .find(|a| a.required && a.name != "sub" && !attributes.contains_key(&a.name))
    {
        Some(missing) => Err(schema_error(format_args!(
            "{}: The attribute is required",
            missing.name
        ))),
        None => Ok(()),
    }
}

/// A rough email shape check, enough to refuse a non-email username in an email pool.
pub(crate) fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.contains('@'),
        None => false,
    }
}
