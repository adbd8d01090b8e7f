//! Typed reads from the raw claims object. A claim of the wrong JSON type (a numeric `sub`, a
//! string `exp`, a float, a `null`) is an invalid token, never a panic or a silent default.

use serde_json::{Map, Value};

use crate::error::VerifyError;

pub(crate) type Claims = Map<String, Value>;

/// A required string claim.
pub(crate) fn req_str(claims: &Claims, name: &'static str) -> Result<String, VerifyError> {
    opt_str(claims, name)?.ok_or(VerifyError::MissingClaim(name))
}

/// An optional string claim; present-but-not-a-string (including `null`) is invalid.
pub(crate) fn opt_str(claims: &Claims, name: &'static str) -> Result<Option<String>, VerifyError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(VerifyError::InvalidClaim(name)),
    }
}

/// A required NumericDate. Only non-negative integers are accepted: Cognito never writes
/// fractions, and refusing them avoids float rounding in time comparisons.
pub(crate) fn req_u64(claims: &Claims, name: &'static str) -> Result<u64, VerifyError> {
    opt_u64(claims, name)?.ok_or(VerifyError::MissingClaim(name))
}

/// An optional NumericDate.
pub(crate) fn opt_u64(claims: &Claims, name: &'static str) -> Result<Option<u64>, VerifyError> {
    match claims.get(name) {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or(VerifyError::InvalidClaim(name)),
    }
}

/// `cognito:groups`: absent means no groups; otherwise an array of strings.
pub(crate) fn groups(claims: &Claims) -> Result<Vec<String>, VerifyError> {
    const NAME: &str = "cognito:groups";
    match claims.get(NAME) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or(VerifyError::InvalidClaim(NAME))
            })
            .collect(),
        Some(_) => Err(VerifyError::InvalidClaim(NAME)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Claims {
        match v {
            Value::Object(map) => map,
            _ => unreachable!("test input is an object"),
        }
    }

    #[test]
    fn numeric_dates_must_be_non_negative_integers() {
        let c = claims(json!({"a": 5, "b": "5", "c": 5.5, "d": -1, "e": null}));
        assert_eq!(req_u64(&c, "a"), Ok(5));
        for name in ["b", "c", "d", "e"] {
            assert_eq!(req_u64(&c, name), Err(VerifyError::InvalidClaim(name)));
        }
        assert_eq!(req_u64(&c, "z"), Err(VerifyError::MissingClaim("z")));
    }

    #[test]
    fn strings_and_groups_refuse_other_types() {
        let c = claims(json!({"s": 1, "cognito:groups": ["a", 2]}));
        assert_eq!(opt_str(&c, "s"), Err(VerifyError::InvalidClaim("s")));
        assert_eq!(groups(&c), Err(VerifyError::InvalidClaim("cognito:groups")));
        let c = claims(json!({"cognito:groups": "admin"}));
        assert_eq!(groups(&c), Err(VerifyError::InvalidClaim("cognito:groups")));
    }
}
