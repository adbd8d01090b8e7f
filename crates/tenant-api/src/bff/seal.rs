//! The session key: tokens at rest and the login round trip's cookie are sealed with it
//! (AES-256-GCM, a random 96-bit nonce per seal, and associated data binding each sealed value
//! to where it belongs), so a database dump or a copied cookie alone opens nothing.

use std::path::Path;

use anyhow::Context;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

/// Where the embedded defaults keep their generated key.
pub const KEY_FILE: &str = "session.key";

/// A 256-bit key for sealing and opening.
pub struct SessionKey {
    key: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

impl SessionKey {
    /// A key from 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let unbound = UnboundKey::new(&AES_256_GCM, bytes)
            .unwrap_or_else(|_| unreachable!("AES-256-GCM takes any 32-byte key"));
        Self {
            key: LessSafeKey::new(unbound),
            random: SystemRandom::new(),
        }
    }

    /// `SESSION_KEY`'s text: 32 bytes in base64 (standard or URL alphabet, padded or not).
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let text = text.trim().trim_end_matches('=');
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text))
            .map_err(|_| "expected 32 bytes in base64 (e.g. `openssl rand -base64 32`)")?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "expected exactly 32 bytes in base64 (e.g. `openssl rand -base64 32`)")?;
        Ok(Self::from_bytes(&bytes))
    }

    /// The key kept in `data_dir` (made on first use, readable by its owner only).
    pub fn in_data_dir(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(KEY_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Self::parse(&text)
                .map_err(|problem| anyhow::anyhow!("{}: {problem}", path.display()));
        }
        let mut bytes = [0u8; 32];
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| anyhow::anyhow!("no system randomness for the session key"))?;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        write_private(&path, STANDARD.encode(bytes).as_bytes())
            .with_context(|| format!("cannot write the session key to {}", path.display()))?;
        Ok(Self::from_bytes(&bytes))
    }

    /// `plain` sealed for `context`, as base64url text.
    pub fn seal(&self, context: &[u8], plain: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        // The system's randomness does not fail on the platforms this runs on; a failure would
        // leave the nonce zero, so it is not ignored.
        self.random
            .fill(&mut nonce)
            .unwrap_or_else(|_| panic!("no system randomness"));
        let mut sealed = plain.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context),
                &mut sealed,
            )
            .unwrap_or_else(|_| unreachable!("sealing fails only on absurd lengths"));
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// What [`seal`](Self::seal) sealed for `context`; `None` for anything else (another key,
    /// another context, altered or truncated text).
    pub fn open(&self, context: &[u8], text: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(context), &mut sealed)
            .ok()?;
        Some(plain.to_vec())
    }

    /// `len` random bytes as base64url text (session ids, state, nonce, PKCE verifier).
    pub fn random_text(&self, len: usize) -> String {
        let mut bytes = vec![0u8; len];
        self.random
            .fill(&mut bytes)
            .unwrap_or_else(|_| panic!("no system randomness"));
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_only_with_its_key_and_context() {
        let key = SessionKey::from_bytes(&[7; 32]);
        let sealed = key.seal(b"session:a", b"tokens");
        assert_eq!(
            key.open(b"session:a", &sealed).as_deref(),
            Some(&b"tokens"[..])
        );
        assert_eq!(key.open(b"session:b", &sealed), None, "another context");
        let other = SessionKey::from_bytes(&[8; 32]);
        assert_eq!(other.open(b"session:a", &sealed), None, "another key");
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert_eq!(key.open(b"session:a", &altered), None, "altered");
        assert_eq!(key.open(b"session:a", "short"), None);
        assert_ne!(key.seal(b"c", b"x"), key.seal(b"c", b"x"), "fresh nonce");
    }

    #[test]
    fn keys_parse_from_base64_and_are_kept_in_the_data_dir() {
        assert!(SessionKey::parse(&STANDARD.encode([1u8; 32])).is_ok());
        assert!(SessionKey::parse(&URL_SAFE_NO_PAD.encode([0xfbu8; 32])).is_ok());
        assert!(SessionKey::parse(&STANDARD.encode([1u8; 16])).is_err());
        assert!(SessionKey::parse("not base64!").is_err());
        let dir = tempfile::tempdir().unwrap();
        let first = SessionKey::in_data_dir(dir.path()).unwrap();
        let sealed = first.seal(b"c", b"x");
        let again = SessionKey::in_data_dir(dir.path()).unwrap();
        assert_eq!(again.open(b"c", &sealed).as_deref(), Some(&b"x"[..]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
