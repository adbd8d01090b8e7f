-- local-cognito state. Idempotent: applied on every open. Times are Unix seconds.
CREATE TABLE IF NOT EXISTS signing_keys (
    purpose    TEXT PRIMARY KEY,
    pkcs8      BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pools (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    settings    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (
    id          TEXT PRIMARY KEY,
    pool_id     TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    secret      TEXT,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    settings    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    pool_id                  TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    username                 TEXT NOT NULL,
    sub                      TEXT NOT NULL,
    -- Set only in pools whose users sign in with their email, to make it unique there.
    email_alias              TEXT,
    status                   TEXT NOT NULL,
    enabled                  INTEGER NOT NULL,
    password_hash            TEXT,
    temp_password_expires_at INTEGER,
    created_at               INTEGER NOT NULL,
    modified_at              INTEGER NOT NULL,
    attributes               TEXT NOT NULL,
    PRIMARY KEY (pool_id, username)
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_alias ON users (pool_id, email_alias)
    WHERE email_alias IS NOT NULL;
CREATE TABLE IF NOT EXISTS groups (
    pool_id     TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    precedence  INTEGER,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);
CREATE TABLE IF NOT EXISTS group_members (
    pool_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    username   TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username)
);
-- Challenge sessions, stored as SHA-256 of the opaque value; deleted when used.
CREATE TABLE IF NOT EXISTS sessions (
    hash       TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    username   TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
-- One row per sign-in: its refresh token (hashed) and the origin_jti shared by every access
-- token derived from it, so revoking the row revokes those access tokens too.
CREATE TABLE IF NOT EXISTS refresh_tokens (
    origin_jti TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    pool_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    username   TEXT NOT NULL,
    auth_time  INTEGER NOT NULL,
    event_id   TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens (pool_id, username);
-- Hosted UI domains (CreateUserPoolDomain): one per pool, as in Cognito.
CREATE TABLE IF NOT EXISTS domains (
    domain     TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL UNIQUE REFERENCES pools(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
-- Authorization codes of the Hosted UI, stored as SHA-256; deleted when redeemed.
CREATE TABLE IF NOT EXISTS authorization_codes (
    hash           TEXT PRIMARY KEY,
    pool_id        TEXT NOT NULL,
    client_id      TEXT NOT NULL,
    username       TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    code_challenge TEXT,
    nonce          TEXT,
    auth_time      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
-- Hosted UI sign-in sessions (the browser's session cookie), stored as SHA-256.
CREATE TABLE IF NOT EXISTS hosted_sessions (
    hash       TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL,
    username   TEXT NOT NULL,
    auth_time  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
-- Consecutive failed passwords per sign-in name (the internal username, or the name as given
-- when no account has it), for the lockout; deleted after a success or a quiet spell.
CREATE TABLE IF NOT EXISTS sign_in_failures (
    pool_id        TEXT NOT NULL,
    name           TEXT NOT NULL,
    failures       INTEGER NOT NULL,
    last_failed_at INTEGER NOT NULL,
    locked_until   INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);
CREATE INDEX IF NOT EXISTS sign_in_failures_age ON sign_in_failures (locked_until);
-- Messages Cognito would have sent (invitations with their temporary password), kept so a
-- developer can read them offline (GET /outbox on loopback, LocalCognito::outbox). Only the
-- newest few hundred are kept.
CREATE TABLE IF NOT EXISTS outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id     TEXT NOT NULL,
    username    TEXT NOT NULL,
    medium      TEXT NOT NULL,
    destination TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     INTEGER NOT NULL
);
