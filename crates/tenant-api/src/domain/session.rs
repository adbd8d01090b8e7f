//! A browser session of the Backend-for-Frontend as the store keeps it.

/// One session row. Times are epoch seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    /// SHA-256 of the cookie's session id (base64url): the id itself is never stored.
    pub id_hash: String,
    /// The person's `sub`.
    pub sub: String,
    /// Their email, from the id token.
    pub email: String,
    /// Their home tenant, from the id token, when it names one.
    pub tenant: Option<String>,
    /// The access, id and refresh tokens, sealed with the session key.
    pub tokens: String,
    /// When the sealed access token expires.
    pub access_expires_at: i64,
    /// Bumped by every stored refresh.
    pub version: i64,
    /// When the session began.
    pub created_at: i64,
    /// The last request that used it (kept to the minute).
    pub last_seen_at: i64,
    /// When it ends whatever happens (the refresh token's lifetime).
    pub expires_at: i64,
}
