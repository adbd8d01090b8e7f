//! Password hashing with argon2id (default parameters) and verification.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher as _, SaltString};
use argon2::{Argon2, PasswordVerifier as _};

/// Hashes `password` into a PHC string (argon2id, random salt).
pub(crate) fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// True when `password` matches the stored PHC string; a malformed hash never matches.
pub(crate) fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("Correct-Horse-1").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("Correct-Horse-1", &stored));
        assert!(!verify("Correct-Horse-2", &stored));
        assert!(!verify("Correct-Horse-1", "not a hash"));
    }
}
