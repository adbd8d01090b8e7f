//! Steps 4–5 of the flow: a request's session (ended when idle, too old or signed out; its
//! access token refreshed ahead of expiry, once per session however many requests arrive), and
//! the logout.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::login::id_hash;
use super::oauth::{OAuthError, TokenSet};
use super::{Bff, BffError};
use crate::domain::session::StoredSession;

/// Refresh this long before the access token expires: until then every request uses the
/// current token, so a refresh in progress never makes a request wait or fail.
const REFRESH_AHEAD_SECS: i64 = 120;
/// How long one caller holds the right to refresh a session (across instances).
const REFRESH_CLAIM_SECS: i64 = 15;
/// Record a use of the session at most this often (one write a minute, not one per request).
const TOUCH_EVERY_SECS: i64 = 60;
/// How long a request whose token has expired waits for another instance's refresh.
const WAIT_FOR_OTHERS: Duration = Duration::from_secs(5);

/// The tokens of a session, as sealed in its row.
#[derive(Serialize, Deserialize)]
struct SealedTokens {
    access_token: String,
    id_token: Option<String>,
    refresh_token: String,
}

/// A request's live session: the access token to serve it with.
#[derive(Clone, Debug)]
pub struct ActiveSession {
    /// The access token (verified by the caller like a bearer token).
    pub access_token: Arc<str>,
    /// The session row.
    pub stored: StoredSession,
}

/// A session as recently read, with its access token opened.
#[derive(Clone)]
pub(super) struct Believed {
    stored: StoredSession,
    access_token: Arc<str>,
}

/// Who is signed in, for `GET /auth/session`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// `sub`.
    pub sub: String,
    /// Email.
    pub email: String,
    /// Home tenant, if the id token named one.
    pub tenant: Option<String>,
    /// When the session ends at the latest (epoch seconds).
    pub expires_at: i64,
    /// When it ends if unused (epoch seconds).
    pub idle_expires_at: i64,
}

impl Bff {
    /// `tokens` sealed for the session stored under `hash` (a refresh without rotation keeps
    /// `previous_refresh`).
    pub(super) fn seal_tokens(&self, hash: &str, tokens: &TokenSet) -> Result<String, BffError> {
        self.seal_with_refresh(hash, tokens, None)
    }

    fn seal_with_refresh(
        &self,
        hash: &str,
        tokens: &TokenSet,
        previous_refresh: Option<&str>,
    ) -> Result<String, BffError> {
        let refresh_token = tokens
            .refresh_token
            .clone()
            .or_else(|| previous_refresh.map(str::to_owned))
            .ok_or(BffError::LoginFailed("no refresh token"))?;
        let sealed = SealedTokens {
            access_token: tokens.access_token.clone(),
            id_token: tokens.id_token.clone(),
            refresh_token,
        };
        let plain = serde_json::to_vec(&sealed).map_err(|_| BffError::Unavailable)?;
        Ok(self.inner.key.seal(hash.as_bytes(), &plain))
    }

    fn open_tokens(&self, stored: &StoredSession) -> Option<SealedTokens> {
        let plain = self
            .inner
            .key
            .open(stored.id_hash.as_bytes(), &stored.tokens)?;
        serde_json::from_slice(&plain).ok()
    }

    /// The live session of `session_id` (a cookie's value), or why there is none.
    async fn live(&self, session_id: &str) -> Result<StoredSession, BffError> {
        Ok(self.believed(session_id).await?.stored)
    }

    /// The session of `session_id` as recently read (or read now), checked against the time
    /// and the sign-out records on every call: ended when too old, idle or signed out.
    async fn believed(&self, session_id: &str) -> Result<Believed, BffError> {
        let hash = id_hash(session_id);
        let believed = match self.inner.believed.get(&hash) {
            Some(believed) => believed,
            None => {
                let stored = self
                    .inner
                    .sessions
                    .session(&hash)
                    .await?
                    .ok_or(BffError::NoSession)?;
                let believed = self.believe(stored)?;
                self.inner.believed.insert(hash.clone(), believed.clone());
                believed
            }
        };
        let stored = &believed.stored;
        let now = self.now();
        let ended = stored.expires_at <= now
            || stored.last_seen_at + self.inner.idle_timeout <= now
            || self
                .inner
                .sign_outs
                .signed_out_after(&stored.sub, stored.created_at);
        if ended {
            self.forget(&hash);
            self.inner.sessions.delete_session(&hash).await?;
            return Err(BffError::SessionEnded);
        }
        Ok(believed)
    }

    /// `stored` with its access token opened.
    fn believe(&self, stored: StoredSession) -> Result<Believed, BffError> {
        let tokens = self.open_tokens(&stored).ok_or_else(|| {
            tracing::error!("a session's tokens do not open with SESSION_KEY (was it changed?)");
            BffError::SessionEnded
        })?;
        Ok(Believed {
            access_token: Arc::from(tokens.access_token),
            stored,
        })
    }

    /// Drops what this process believes of a session.
    fn forget(&self, hash: &str) {
        self.inner.believed.invalidate(hash);
    }

    /// Who is signed in with `session_id`.
    pub async fn info(&self, session_id: &str) -> Result<SessionInfo, BffError> {
        let stored = self.live(session_id).await?;
        Ok(SessionInfo {
            idle_expires_at: (self.now() + self.inner.idle_timeout).min(stored.expires_at),
            sub: stored.sub,
            email: stored.email,
            tenant: stored.tenant,
            expires_at: stored.expires_at,
        })
    }

    /// The session of `session_id` for one API request, its access token refreshed when near
    /// expiry, and its use recorded.
    pub async fn active(&self, session_id: &str) -> Result<ActiveSession, BffError> {
        let mut believed = self.believed(session_id).await?;
        let now = self.now();
        if believed.stored.access_expires_at - now <= REFRESH_AHEAD_SECS {
            let stored = self.refreshed(believed.stored).await?;
            believed = self.believe(stored)?;
            self.inner
                .believed
                .insert(believed.stored.id_hash.clone(), believed.clone());
        }
        if now - believed.stored.last_seen_at >= TOUCH_EVERY_SECS {
            self.inner
                .sessions
                .touch_session(&believed.stored.id_hash, now)
                .await?;
            believed.stored.last_seen_at = now;
            self.inner
                .believed
                .insert(believed.stored.id_hash.clone(), believed.clone());
        }
        Ok(ActiveSession {
            access_token: believed.access_token,
            stored: believed.stored,
        })
    }

    /// `stored` with a fresh access token: refreshed here, once per session in this process
    /// (others wait for it), and across instances only by the holder of the row's claim.
    async fn refreshed(&self, stored: StoredSession) -> Result<StoredSession, BffError> {
        let lock = self
            .inner
            .refreshing
            .get_with(stored.id_hash.clone(), Default::default);
        let _one_at_a_time = lock.lock().await;
        // Another request of this process may have refreshed meanwhile.
        let current = self
            .inner
            .sessions
            .session(&stored.id_hash)
            .await?
            .ok_or(BffError::SessionEnded)?;
        let now = self.now();
        if current.access_expires_at - now > REFRESH_AHEAD_SECS {
            return Ok(current);
        }
        let claimed = self
            .inner
            .sessions
            .claim_refresh(
                &current.id_hash,
                current.version,
                now,
                now + REFRESH_CLAIM_SECS,
            )
            .await?;
        if !claimed {
            return self.refreshed_elsewhere(current).await;
        }
        let sealed = self.open_tokens(&current).ok_or(BffError::SessionEnded)?;
        let tokens = match self.inner.oauth.refresh(&sealed.refresh_token).await {
            Ok(tokens) => tokens,
            Err(OAuthError::Refused(reason)) => {
                tracing::info!(%reason, "refresh token refused: session ended");
                self.forget(&current.id_hash);
                self.inner.sessions.delete_session(&current.id_hash).await?;
                return Err(BffError::SessionEnded);
            }
            Err(OAuthError::Unavailable(reason)) => {
                tracing::warn!(%reason, "token endpoint unavailable for a refresh");
                // The current token still serves until it expires; the claim lapses by itself.
                return if current.access_expires_at > now {
                    Ok(current)
                } else {
                    Err(BffError::Unavailable)
                };
            }
        };
        self.inner.refreshes.fetch_add(1, Ordering::Relaxed);
        let sealed_tokens =
            self.seal_with_refresh(&current.id_hash, &tokens, Some(&sealed.refresh_token))?;
        let access_expires_at = now + tokens.expires_in;
        let stored = self
            .inner
            .sessions
            .store_refresh(
                &current.id_hash,
                current.version,
                &sealed_tokens,
                access_expires_at,
            )
            .await?;
        if !stored {
            // Ended meanwhile (a logout): the new tokens are not kept.
            return Err(BffError::SessionEnded);
        }
        Ok(StoredSession {
            tokens: sealed_tokens,
            access_expires_at,
            version: current.version + 1,
            ..current
        })
    }

    /// Another instance holds the refresh claim: serve with the current token while it is
    /// valid, else wait (briefly) for the other instance's refresh to land.
    async fn refreshed_elsewhere(&self, current: StoredSession) -> Result<StoredSession, BffError> {
        if current.access_expires_at > self.now() {
            return Ok(current);
        }
        let deadline = tokio::time::Instant::now() + WAIT_FOR_OTHERS;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let latest = self
                .inner
                .sessions
                .session(&current.id_hash)
                .await?
                .ok_or(BffError::SessionEnded)?;
            if latest.version != current.version {
                return Ok(latest);
            }
        }
        Err(BffError::Unavailable)
    }

    /// Ends the session of `session_id` and signs its person out everywhere: the refresh token
    /// revoked, Cognito's global sign-out, the API's sign-out record (so every token issued
    /// before now is refused, on every instance) and every other session of theirs ended.
    /// Nothing to do for an unknown session.
    pub async fn logout(&self, session_id: &str) -> Result<(), BffError> {
        let hash = id_hash(session_id);
        self.forget(&hash);
        let Some(stored) = self.inner.sessions.session(&hash).await? else {
            return Ok(());
        };
        self.inner.sessions.delete_session(&hash).await?;
        if let Some(tokens) = self.open_tokens(&stored) {
            if let Err(err) = self.inner.oauth.revoke(&tokens.refresh_token).await {
                tracing::warn!(error = %err, "refresh token not revoked at logout");
            }
        }
        if let Err(err) = self.inner.cognito.admin_sign_out(&stored.email).await {
            tracing::warn!(error = %err, "Cognito global sign-out failed at logout");
        }
        self.inner.sign_outs.sign_out(&stored.sub).await?;
        self.inner.sessions.delete_sessions_of(&stored.sub).await?;
        Ok(())
    }

    /// Where the browser goes after a logout: the Hosted UI's `/logout`, back to `landing`.
    pub fn logout_url(&self, landing: &str) -> String {
        self.inner.oauth.logout_url(landing)
    }

    /// Deletes sessions past their end or idle timeout; how many.
    pub async fn purge(&self) -> Result<u64, BffError> {
        let now = self.now();
        Ok(self
            .inner
            .sessions
            .purge_sessions(now, now - self.inner.idle_timeout)
            .await?)
    }

    /// Purges ended sessions every `interval`.
    pub fn spawn_purger(&self, interval: Duration) -> tokio::task::JoinHandle<()> {
        let bff = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                match bff.purge().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sessions = n, "ended sessions purged"),
                    Err(err) => tracing::warn!(error = %err, "cannot purge sessions"),
                }
            }
        })
    }
}
