//! Password hashing with argon2id and verification.
//!
//! Each hash costs tens of milliseconds of CPU and 7 MiB of memory, so it runs on tokio's
//! blocking pool (never on a runtime worker, where it would stall every other request) and at
//! most one per core at a time (which also bounds the memory held by concurrent hashes).
//! Sign-in verifies something even when there is no account ([`verify_or_dummy`]), so a
//! missing account costs what a wrong password costs.

use std::sync::LazyLock;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher as _, SaltString};
use argon2::{Argon2, PasswordVerifier as _};
use tokio::sync::{OnceCell, Semaphore};

use super::random;

/// Process-wide, like the CPU cores it rations.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Runs `work` on the blocking pool once a hashing slot is free; `None` if it panicked.
async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _slot = HASHING.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// Hashes `password` into a PHC string (argon2id, random salt).
pub(crate) async fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let password = password.to_owned();
    off_runtime(move || hash_now(&password))
        .await
        .unwrap_or(Err(argon2::password_hash::Error::Crypto))
}

/// True when `password` matches the stored PHC string; a malformed hash never matches.
pub(crate) async fn verify(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    off_runtime(move || verify_now(&password, &stored))
        .await
        .unwrap_or(false)
}

/// A hash of a random password with today's parameters, made once, on first use.
static DUMMY: OnceCell<String> = OnceCell::const_new();

/// Like [`verify`] for the hash of an account that may not exist (or may have no usable
/// hash): without one, `password` is verified against a dummy hash made with the same
/// parameters, so the answer (always false) takes as long as a wrong password's.
pub(crate) async fn verify_or_dummy(password: &str, stored: Option<&str>) -> bool {
    if let Some(stored) = stored.filter(|stored| PasswordHash::new(stored).is_ok()) {
        return verify(password, stored).await;
    }
    let dummy = DUMMY
        .get_or_try_init(|| async { hash(&random::opaque_token()).await })
        .await;
    match dummy {
        Ok(dummy) => {
            verify(password, dummy).await;
        }
        Err(error) => tracing::error!(%error, "the dummy password hash could not be made"),
    }
    false
}

/// argon2id with m = 7 MiB, t = 5, p = 1: one of OWASP's equivalent recommended settings, chosen
/// over the crate default (19 MiB, t = 2) because every concurrent hash holds its memory, and the
/// allocator tends to keep it. Verification reads the parameters from the stored hash, so hashes
/// made with other settings keep verifying.
fn hasher() -> Result<Argon2<'static>, argon2::password_hash::Error> {
    let params = argon2::Params::new(7 * 1024, 5, 1, None)?;
    Ok(Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params,
    ))
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()?
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

fn verify_now(password: &str, stored: &str) -> bool {
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

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("Correct-Horse-1").await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{stored}"
        );
        assert!(verify("Correct-Horse-1", &stored).await);
        assert!(!verify("Correct-Horse-2", &stored).await);
        assert!(!verify("Correct-Horse-1", "not a hash").await);
    }

    #[tokio::test]
    async fn without_a_usable_hash_nothing_verifies() {
        let stored = hash("Correct-Horse-1").await.unwrap();
        assert!(verify_or_dummy("Correct-Horse-1", Some(&stored)).await);
        assert!(!verify_or_dummy("Correct-Horse-1", None).await);
        assert!(!verify_or_dummy("", Some("not a hash")).await);
        let dummy = DUMMY.get().expect("made on first use");
        assert!(
            dummy.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{dummy}"
        );
    }
}
