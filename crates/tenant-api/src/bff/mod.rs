//! The Backend-for-Frontend (RFC 10017): the server signs browsers in through the Hosted UI as a
//! confidential client, keeps their tokens in its database (sealed), and gives the browser only
//! an HttpOnly cookie with a random session id. The flow, in words:
//!
//! 1. `GET /auth/login` seals a fresh state, nonce and PKCE verifier (and the same-origin path
//!    to return to) into a short-lived `Lax` cookie and sends the browser to the Hosted UI.
//! 2. The person signs in there; Cognito sends the browser to `GET /auth/callback` with a code.
//! 3. The callback opens the login cookie, checks the state, exchanges the code with the client
//!    secret and the verifier, checks the id token (signature, audience, nonce), stores a new
//!    session under the hash of a new random id, and sets the session cookie.
//! 4. `/api/*` requests carrying the cookie (and the `X-CSRF: 1` header) are served with the
//!    session's access token, exactly as if it had come as `Authorization: Bearer`; near its
//!    expiry the server refreshes it, once per session across requests and instances.
//! 5. `POST /auth/logout` ends the session, revokes its refresh token, signs the person out
//!    everywhere and sends the browser through the Hosted UI's `/logout`.
//!
//! `login.rs` holds steps 1–3, `session.rs` steps 4–5, `seal.rs` the key, `cookies.rs` the
//! cookies and `oauth.rs` the Hosted UI's endpoints.

mod cookies;
mod login;
mod oauth;
mod seal;
mod session;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, Uri};
use cognito_verify::Verifier;

pub use cookies::{CookieKind, LOGIN_MAX_AGE_SECS};
pub use login::{LoginStart, SignedIn};
pub use oauth::{OAuthClient, OAuthError, TokenSet};
pub use seal::{SessionKey, KEY_FILE};
pub use session::{ActiveSession, SessionInfo};

use crate::clock::Clock;
use crate::cognito::Cognito;
use crate::sign_out::SignOutRegistry;
use crate::store::SessionStore;

/// How long a session read from the database is believed: a logout on another instance is
/// honoured within this (and at once on the instance that made it).
const SESSION_BELIEVED: Duration = Duration::from_millis(500);

/// Why a BFF step failed; each maps to one HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum BffError {
    /// The login round trip cannot be completed (no or bad login cookie, state mismatch, code
    /// refused, bad id token): the browser must start again.
    #[error("sign-in not completed: {0}")]
    LoginFailed(&'static str),
    /// The return path is not a path on this origin.
    #[error("return_to must be a path on this site, such as /items")]
    BadReturnPath,
    /// No session cookie, or no such session.
    #[error("no session")]
    NoSession,
    /// The session ended (idle, too old, signed out, or its refresh token refused).
    #[error("session ended")]
    SessionEnded,
    /// The Hosted UI or the database is unavailable.
    #[error("unavailable")]
    Unavailable,
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// One callback URL the BFF may use, with the origin it serves.
#[derive(Clone, Debug)]
pub struct Origin {
    /// `…/auth/callback` on this origin.
    pub callback: String,
    /// `host[:port]`, as a browser's `Host` header names it.
    authority: String,
    /// Whether the origin is https (cookies `Secure`, names `__Host-`).
    pub https: bool,
    /// The origin's root, where the browser lands after signing out.
    pub landing: String,
}

impl Origin {
    fn parse(callback: &str) -> Option<Self> {
        let url = url::Url::parse(callback).ok()?;
        let host = url.host_str()?;
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Some(Self {
            callback: callback.to_owned(),
            landing: format!("{}://{authority}/", url.scheme()),
            authority: authority.to_ascii_lowercase(),
            https: url.scheme() == "https",
        })
    }
}

/// What the BFF is built from.
pub struct BffParts {
    /// The confidential client at the Hosted UI.
    pub oauth: OAuthClient,
    /// The registered callback URLs (at least one).
    pub callback_urls: Vec<String>,
    /// The key sealing tokens and the login cookie.
    pub key: SessionKey,
    /// Verifies the id tokens of the BFF's client.
    pub id_verifier: Verifier,
    /// Where sessions are kept.
    pub sessions: Arc<dyn SessionStore>,
    /// Sign-outs, which end every session of the person.
    pub sign_outs: SignOutRegistry,
    /// The Cognito gateway (the sign-out everywhere at logout).
    pub cognito: Cognito,
    /// The service's time.
    pub clock: Arc<dyn Clock>,
    /// The claim naming the person's home tenant (`custom:tenant_id`).
    pub tenant_claim: String,
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in.
    pub max_lifetime: Duration,
}

/// The BFF: cheap to clone.
#[derive(Clone)]
pub struct Bff {
    inner: Arc<Inner>,
}

struct Inner {
    oauth: OAuthClient,
    origins: Vec<Origin>,
    key: SessionKey,
    id_verifier: Verifier,
    sessions: Arc<dyn SessionStore>,
    sign_outs: SignOutRegistry,
    cognito: Cognito,
    clock: Arc<dyn Clock>,
    tenant_claim: String,
    idle_timeout: i64,
    max_lifetime: i64,
    /// Sessions read in the last [`SESSION_BELIEVED`], with their opened access token: an API
    /// request by cookie then costs no database read, no decryption.
    believed: moka::sync::Cache<String, session::Believed>,
    /// One lock per session being refreshed in this process (single flight).
    refreshing: moka::sync::Cache<String, Arc<tokio::sync::Mutex<()>>>,
    /// Refreshes made by this process (for `/metrics` and tests).
    refreshes: AtomicU64,
}

impl Bff {
    /// The BFF from its parts; an error names a callback URL that is not a URL.
    pub fn new(parts: BffParts) -> anyhow::Result<Self> {
        let origins = parts
            .callback_urls
            .iter()
            .map(|url| {
                Origin::parse(url)
                    .ok_or_else(|| anyhow::anyhow!("BFF_CALLBACK_URLS: {url:?} is not a URL"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        anyhow::ensure!(!origins.is_empty(), "BFF_CALLBACK_URLS: none given");
        let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        Ok(Self {
            inner: Arc::new(Inner {
                oauth: parts.oauth,
                origins,
                key: parts.key,
                id_verifier: parts.id_verifier,
                sessions: parts.sessions,
                sign_outs: parts.sign_outs,
                cognito: parts.cognito,
                clock: parts.clock,
                tenant_claim: parts.tenant_claim,
                idle_timeout: seconds(parts.idle_timeout),
                max_lifetime: seconds(parts.max_lifetime),
                believed: moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(SESSION_BELIEVED)
                    .build(),
                refreshing: moka::sync::Cache::builder()
                    .time_to_idle(Duration::from_secs(60))
                    .build(),
                refreshes: AtomicU64::new(0),
            }),
        })
    }

    /// The client id of the BFF's app client.
    pub fn client_id(&self) -> &str {
        self.inner.oauth.client_id()
    }

    /// The origin a request came to: the callback URL whose host and port its `Host` names,
    /// else the first configured.
    pub fn origin(&self, headers: &HeaderMap, uri: &Uri) -> &Origin {
        let host = crate::http::extract::request_host(headers, uri)
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let origins = &self.inner.origins;
        origins
            .iter()
            .find(|o| o.authority == host)
            .unwrap_or(&origins[0])
    }

    /// How many refreshes this process has made.
    pub fn refreshes(&self) -> u64 {
        self.inner
            .refreshes
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    fn now(&self) -> i64 {
        crate::clock::epoch_seconds(&*self.inner.clock)
    }
}
