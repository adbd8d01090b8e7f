//! The claims object read in one pass: claims the verifier types are kept as loose JSON values
//! by name, everything else goes to the `extra` map, and duplicate names are refused. Typed
//! reads then move values out (no copies); a claim of the wrong JSON type (a numeric `sub`, a
//! string `exp`, a float, a `null`) is an invalid token, never a panic or a silent default.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::VerifyError;

/// Every claim name with a typed field in [`super::AccessClaims`] or [`super::IdClaims`].
const KNOWN: [&str; 18] = [
    "sub",
    "iss",
    "client_id",
    "aud",
    "token_use",
    "scope",
    "username",
    "cognito:username",
    "email",
    "cognito:groups",
    "exp",
    "iat",
    "nbf",
    "auth_time",
    "jti",
    "origin_jti",
    "event_id",
    "version",
];

fn known_index(name: &str) -> Option<usize> {
    KNOWN.iter().position(|known| *known == name)
}

/// The decoded claims object before typing.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    known: [Option<Value>; KNOWN.len()],
    extra: Map<String, Value>,
    /// The decoded payload, kept so the full object can be rebuilt on demand.
    pub(crate) payload: Vec<u8>,
}

impl Claims {
    /// A claim by name, typed or not, without consuming it.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        match known_index(name) {
            Some(i) => self.known[i].as_ref(),
            None => self.extra.get(name),
        }
    }

    fn take(&mut self, name: &'static str) -> Option<Value> {
        known_index(name).and_then(|i| self.known[i].take())
    }

    /// Claims not taken by a typed read, as a map (the token's "remaining claims").
    pub(crate) fn finish(mut self) -> (Map<String, Value>, Vec<u8>) {
        for (name, value) in KNOWN.iter().zip(self.known.iter_mut()) {
            // `token_use` was checked and is represented by the claims' variant.
            if *name == "token_use" {
                continue;
            }
            if let Some(value) = value.take() {
                self.extra.insert((*name).to_owned(), value);
            }
        }
        (self.extra, self.payload)
    }
}

impl<'de> Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ClaimsVisitor)
    }
}

struct ClaimsVisitor;

impl<'de> Visitor<'de> for ClaimsVisitor {
    type Value = Claims;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Claims, A::Error> {
        use serde::de::Error as _;
        let mut claims = Claims::default();
        while let Some(name) = map.next_key::<String>()? {
            // Values are parsed as JSON values, so serde_json's nesting limit applies to every
            // claim, typed or not.
            let value: Value = map.next_value()?;
            // Two members of one name are ambiguous (parsers disagree on which wins): refused.
            let duplicate = match known_index(&name) {
                Some(i) => claims.known[i].replace(value).is_some(),
                None => claims.extra.insert(name, value).is_some(),
            };
            if duplicate {
                return Err(A::Error::custom("duplicate claim"));
            }
        }
        Ok(claims)
    }
}

/// A required string claim.
pub(crate) fn req_str(claims: &mut Claims, name: &'static str) -> Result<String, VerifyError> {
    opt_str(claims, name)?.ok_or(VerifyError::MissingClaim(name))
}

/// An optional string claim; present-but-not-a-string (including `null`) is invalid.
pub(crate) fn opt_str(
    claims: &mut Claims,
    name: &'static str,
) -> Result<Option<String>, VerifyError> {
    match claims.take(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(VerifyError::InvalidClaim(name)),
    }
}

/// A required NumericDate. Only non-negative integers are accepted: Cognito never writes
/// fractions, and refusing them avoids float rounding in time comparisons.
pub(crate) fn req_u64(claims: &mut Claims, name: &'static str) -> Result<u64, VerifyError> {
    opt_u64(claims, name)?.ok_or(VerifyError::MissingClaim(name))
}

/// An optional NumericDate (or other non-negative integer).
pub(crate) fn opt_u64(claims: &mut Claims, name: &'static str) -> Result<Option<u64>, VerifyError> {
    match claims.take(name) {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or(VerifyError::InvalidClaim(name)),
    }
}

/// `cognito:groups`: absent means no groups; otherwise an array of strings.
pub(crate) fn groups(claims: &mut Claims) -> Result<Vec<String>, VerifyError> {
    const NAME: &str = "cognito:groups";
    match claims.take(NAME) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                _ => Err(VerifyError::InvalidClaim(NAME)),
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
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn numeric_dates_must_be_non_negative_integers() {
        let mut c =
            claims(json!({"exp": 5, "iat": "5", "nbf": 5.5, "auth_time": -1, "version": null}));
        assert_eq!(req_u64(&mut c, "exp"), Ok(5));
        for name in ["iat", "nbf", "auth_time", "version"] {
            assert_eq!(req_u64(&mut c, name), Err(VerifyError::InvalidClaim(name)));
        }
        assert_eq!(
            req_u64(&mut c, "exp"),
            Err(VerifyError::MissingClaim("exp"))
        );
    }

    #[test]
    fn strings_and_groups_refuse_other_types() {
        let mut c = claims(json!({"sub": 1, "cognito:groups": ["a", 2]}));
        assert_eq!(
            opt_str(&mut c, "sub"),
            Err(VerifyError::InvalidClaim("sub"))
        );
        assert_eq!(
            groups(&mut c),
            Err(VerifyError::InvalidClaim("cognito:groups"))
        );
        let mut c = claims(json!({"cognito:groups": "admin"}));
        assert_eq!(
            groups(&mut c),
            Err(VerifyError::InvalidClaim("cognito:groups"))
        );
    }

    #[test]
    fn duplicate_claims_are_refused() {
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a","sub":"b"}"#).is_err());
        assert!(serde_json::from_str::<Claims>(r#"{"x":1,"x":1}"#).is_err());
        assert!(serde_json::from_str::<Claims>(r#"[1]"#).is_err());
    }

    #[test]
    fn untaken_claims_end_up_in_the_remaining_map() {
        let mut c = claims(json!({"sub": "s", "email": "e", "custom:t": 1}));
        assert_eq!(req_str(&mut c, "sub"), Ok("s".to_owned()));
        let (extra, _) = c.finish();
        assert_eq!(extra.len(), 2);
        assert_eq!(extra["email"], "e");
        assert_eq!(extra["custom:t"], 1);
    }
}
