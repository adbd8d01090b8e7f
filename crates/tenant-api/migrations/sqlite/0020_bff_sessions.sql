-- Browser sessions of the Backend-for-Frontend (`/auth/*`): the browser holds only a random
-- session id in an HttpOnly cookie; this row holds the person's tokens, sealed (AES-256-GCM)
-- with the session key, under the SHA-256 of that id, so a dump of this table gives neither
-- a usable cookie nor a usable token. Not tenant data: a session is per person. Times are
-- epoch seconds.
CREATE TABLE bff_sessions (
    id_hash           TEXT PRIMARY KEY,
    sub               TEXT NOT NULL,
    email             TEXT NOT NULL,
    tenant            TEXT,
    tokens            TEXT NOT NULL,
    access_expires_at BIGINT NOT NULL,
    -- Bumped by every refresh: a refresh is stored only over the version it started from.
    version           BIGINT NOT NULL,
    -- Until when one caller (of any instance) holds the right to refresh this session.
    refreshing_until  BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    last_seen_at      BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL
);
CREATE INDEX bff_sessions_sub ON bff_sessions (sub);
