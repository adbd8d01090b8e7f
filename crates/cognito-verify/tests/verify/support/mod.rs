//! Shared fixtures: keys, token builder, fake JWKS server, a controllable clock and a ready-made
//! environment tying them together.

pub mod keys;
pub mod server;
pub mod tokens;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_verify::{PoolConfig, TokenUse, Verifier, VerifierBuilder};

pub use keys::{jwks, keys, TestKey};
pub use server::{JwksServer, Mode};
pub use tokens::{b64, TokenSpec};

/// The app client every test token is issued to.
pub const CLIENT: &str = "client-1";

/// A clock tests move by hand; starts at a fixed instant (2027-01-15).
#[derive(Clone)]
pub struct FakeClock(Arc<AtomicU64>);

impl FakeClock {
    pub fn new() -> Self {
        Self(Arc::new(AtomicU64::new(1_800_000_000_000)))
    }

    /// Now, in whole seconds.
    pub fn secs(&self) -> u64 {
        self.0.load(Ordering::SeqCst) / 1000
    }

    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn as_clock(&self) -> Arc<dyn Fn() -> SystemTime + Send + Sync> {
        let ms = Arc::clone(&self.0);
        Arc::new(move || UNIX_EPOCH + Duration::from_millis(ms.load(Ordering::SeqCst)))
    }
}

/// A fake JWKS server publishing key A, and a clock.
pub struct Env {
    pub server: JwksServer,
    pub clock: FakeClock,
}

impl Env {
    pub async fn start() -> Self {
        let server = JwksServer::start(jwks(&[&keys()[0]])).await;
        Self {
            server,
            clock: FakeClock::new(),
        }
    }

    pub fn issuer(&self) -> String {
        self.server.issuer()
    }

    /// A builder for this environment's pool, client and clock, accepting `token_use`.
    pub fn builder(&self, token_use: TokenUse) -> VerifierBuilder {
        Verifier::builder()
            .pool(PoolConfig::cognito("eu-west-1", "unused").with_issuer(self.issuer()))
            .client_ids([CLIENT])
            .token_use(token_use)
            .clock(self.clock.as_clock())
    }

    /// An access-token verifier with keys loaded.
    pub async fn access_verifier(&self) -> Verifier {
        let verifier = self.builder(TokenUse::Access).build().unwrap();
        verifier.hydrate().await.unwrap();
        verifier
    }

    /// A valid access token spec signed by key A.
    pub fn access(&self) -> TokenSpec {
        TokenSpec::access(&self.issuer(), CLIENT, &keys()[0].kid, self.clock.secs())
    }

    /// A valid ID token spec signed by key A.
    pub fn id(&self) -> TokenSpec {
        TokenSpec::id(&self.issuer(), CLIENT, &keys()[0].kid, self.clock.secs())
    }
}
