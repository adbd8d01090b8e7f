//! Password policies and the check that names the rule a password breaks.

use serde::{Deserialize, Serialize};

use crate::error::CognitoError;

/// A pool's password policy, in Cognito's `PasswordPolicyType` shape. Fields left out of a
/// given policy are off, as in Cognito; a pool created without `Policies` gets [`Self::default`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PasswordPolicy {
    #[serde(default = "default_length")]
    pub(crate) minimum_length: usize,
    #[serde(default)]
    pub(crate) require_uppercase: bool,
    #[serde(default)]
    pub(crate) require_lowercase: bool,
    #[serde(default)]
    pub(crate) require_numbers: bool,
    #[serde(default)]
    pub(crate) require_symbols: bool,
    #[serde(default = "default_validity_days")]
    pub(crate) temporary_password_validity_days: i64,
}

fn default_length() -> usize {
    8
}

fn default_validity_days() -> i64 {
    7
}

impl Default for PasswordPolicy {
    /// Cognito's policy for a pool created without one: 8 characters, every class required.
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

fn is_symbol(c: char) -> bool {
    c.is_ascii_punctuation() || c == ' '
}

impl PasswordPolicy {
    /// Rejects `password` with `InvalidPasswordException` naming the first broken rule.
    pub(crate) fn check(&self, password: &str) -> Result<(), CognitoError> {
        let broken = if password.chars().count() < self.minimum_length {
            Some("Password not long enough")
        } else if self.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
            Some("Password must have uppercase characters")
        } else if self.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
            Some("Password must have lowercase characters")
        } else if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            Some("Password must have numeric characters")
        } else if self.require_symbols && !password.chars().any(is_symbol) {
            Some("Password must have symbol characters")
        } else {
            None
        };
        match broken {
            Some(rule) => Err(CognitoError::invalid_password(format!(
                "Password did not conform with policy: {rule}"
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_names_each_missing_character_class() {
        let policy = PasswordPolicy::default();
        let message = |p: &str| policy.check(p).unwrap_err().message;
        assert!(message("Ab1!").contains("not long enough"));
        assert!(message("abcdefg1!").contains("uppercase"));
        assert!(message("ABCDEFG1!").contains("lowercase"));
        assert!(message("Abcdefgh!").contains("numeric"));
        assert!(message("Abcdefgh1").contains("symbol"));
        assert!(policy.check("Abcdefg1!").is_ok());
    }

    #[test]
    fn a_given_policy_turns_unlisted_rules_off() {
        let policy: PasswordPolicy =
            serde_json::from_value(serde_json::json!({ "MinimumLength": 6 })).unwrap();
        assert!(policy.check("abcdef").is_ok());
        assert_eq!(policy.temporary_password_validity_days, 7);
    }
}
