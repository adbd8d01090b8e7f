//! Cryptography: random identifiers, password hashing, secret hashes, signing keys and JWTs.

pub(crate) mod jwt;
pub(crate) mod keys;
pub(crate) mod password;
pub(crate) mod random;
pub(crate) mod secret_hash;
