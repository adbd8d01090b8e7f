//! Cognito's `SECRET_HASH`: Base64(HMAC-SHA256(client secret, username + client id)).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

/// Computes the secret hash a client must send for `username`.
pub(crate) fn compute(secret: &str, username: &str, client_id: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Compares a received secret hash with the expected one in constant time.
pub(crate) fn matches(secret: &str, username: &str, client_id: &str, received: &str) -> bool {
    let expected = compute(secret, username, client_id);
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(received.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_depends_on_username_and_client() {
        let hash = compute("secret", "alice", "client");
        assert!(matches("secret", "alice", "client", &hash));
        assert!(!matches("secret", "bob", "client", &hash));
        assert!(!matches("other", "alice", "client", &hash));
        assert_eq!(STANDARD.decode(&hash).unwrap().len(), 32);
    }
}
