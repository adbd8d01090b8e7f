//! Random identifiers shaped like Cognito's, opaque secrets, and the hash they are stored under.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::distributions::{Alphanumeric, Distribution, Uniform};
use rand::{Rng as _, RngCore as _};
use sha2::{Digest as _, Sha256};

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// `<region>_<9 alphanumerics>`, like `us-east-1_AbC123xyZ`.
pub(crate) fn pool_id(region: &str) -> String {
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(9)
        .map(char::from)
        .collect();
    format!("{region}_{suffix}")
}

fn lower_alnum(len: usize) -> String {
    let pick = Uniform::from(0..LOWER_ALNUM.len());
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(LOWER_ALNUM[pick.sample(&mut rng)]))
        .collect()
}

/// 26 characters of `[a-z0-9]`, as Cognito app client ids are.
pub(crate) fn client_id() -> String {
    lower_alnum(26)
}

/// 51 characters of `[a-z0-9]`, the length of Cognito's client secrets.
pub(crate) fn client_secret() -> String {
    lower_alnum(51)
}

/// A random UUID v4 (subs, internal usernames, jtis, event ids).
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// 32 random bytes, base64url: refresh tokens and sessions (256 bits of entropy).
pub(crate) fn opaque_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a secret token, hex; only this is stored so a leaked database holds no tokens.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A temporary password that satisfies every password policy Cognito allows up to 16 characters.
pub(crate) fn temporary_password(min_length: usize) -> String {
    let mut rng = rand::thread_rng();
    let mut password = String::from("Aa1!");
    let length = min_length.max(12);
    while password.len() < length {
        password.push(char::from(rng.sample(Alphanumeric)));
    }
    password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_cognitos_shapes() {
        let pool = pool_id("eu-west-1");
        let (region, suffix) = pool.split_once('_').unwrap();
        assert_eq!(region, "eu-west-1");
        assert_eq!(suffix.len(), 9);
        assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
        let client = client_id();
        assert_eq!(client.len(), 26);
        assert!(client.bytes().all(|b| LOWER_ALNUM.contains(&b)));
        assert_eq!(client_secret().len(), 51);
        assert_ne!(client_id(), client_id());
    }

    #[test]
    fn opaque_tokens_carry_256_bits_and_hash_stably() {
        let token = opaque_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_eq!(token_hash(&token), token_hash(&token));
        assert_eq!(token_hash(&token).len(), 64);
        assert_ne!(token_hash(&token), token_hash(&opaque_token()));
    }
}
