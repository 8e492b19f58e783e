-- Accounts, server-side sessions, login throttling, and whether a body has
-- published its policy.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'committee', 'prefecture', 'body', 'vendor')),
    body_code     TEXT REFERENCES bodies (code),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    CHECK ((role IN ('prefecture', 'body')) = (body_code IS NOT NULL))
);

-- `token_hash` is a SHA-256 of the cookie's token: a leaked table does not
-- give away live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE login_failures (
    login     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, failed_at);

ALTER TABLE documents ADD COLUMN policy_published INTEGER NOT NULL DEFAULT 0;
