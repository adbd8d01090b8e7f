//! The claims object read in one pass: claims the verifier types are kept as loose JSON values
//! by name, everything else goes to the `extra` map, and duplicate names are refused. Names are
//! borrowed from the payload while they are looked up: only untyped claims' names are copied. Typed
//! reads then move values out (no copies); a claim of the wrong JSON type (a numeric `sub`, a
//! string `exp`, a float, a `null`) is an invalid token, never a panic or a silent default.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::raw::RawClaims;
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

    /// Claims not taken by a typed read (the token's "remaining claims"), with the payload.
    pub(crate) fn finish(mut self) -> RawClaims {
        for (name, value) in KNOWN.iter().zip(self.known.iter_mut()) {
            // `token_use` was checked and is represented by the claims' variant.
            if *name == "token_use" {
                continue;
            }
            if let Some(value) = value.take() {
                self.extra.insert((*name).to_owned(), value);
            }
        }
        RawClaims::new(self.extra, self.payload)
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
        let mut claims = Claims::default();
        while let Some(Name(name)) = map.next_key()? {
            // Values are parsed as JSON values, so serde_json's nesting limit applies to every
            // claim, typed or not.
            let value: Value = map.next_value()?;
            // Two members of one name are ambiguous (parsers disagree on which wins): refused.
            let duplicate = match known_index(&name) {
                Some(i) => claims.known[i].replace(value).is_some(),
                None => claims.extra.insert(name.into_owned(), value).is_some(),
            };
            if duplicate {
                return Err(A::Error::custom("duplicate claim"));
            }
        }
        Ok(claims)
    }
}

/// A claim name: borrowed from the payload unless it contains escapes.
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a claim name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Borrowed(name)))
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(name.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(name)))
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
    fn escaped_names_are_read_like_plain_ones() {
        let mut c: Claims = serde_json::from_str(r#"{"s\u0075b":"s","custom:\u0074":1}"#).unwrap();
        assert_eq!(req_str(&mut c, "sub"), Ok("s".to_owned()));
        assert_eq!(c.get("custom:t"), Some(&json!(1)));
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a","s\u0075b":"b"}"#).is_err());
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
        let raw = c.finish();
        let extra: Map<String, Value> = raw
            .extra()
            .map(|(name, value)| (name.to_owned(), value.clone()))
            .collect();
        assert_eq!(extra.len(), 2);
        assert_eq!(extra["email"], "e");
        assert_eq!(extra["custom:t"], 1);
    }
}
