-- Issue #16: the audit trail. Every state change appends one event in the
-- transaction that makes the change; events are chained by SHA-256 in
-- `seq` order (hash = SHA-256 of the event's fields and the previous
-- event's hash). SQLite chains an event as it is written (its writers
-- take turns anyway); PostgreSQL writes it pending (seq NULL) and chains
-- it right after the commit, so that concurrent writers never wait for
-- one another on the chain's head.
CREATE TABLE audit_events (
    id            INTEGER PRIMARY KEY,
    -- Position in the chain, from 1; NULL while pending (PostgreSQL).
    seq           BIGINT UNIQUE,
    -- Unix seconds.
    at            BIGINT NOT NULL,
    -- `user:LOGIN`, `os:NAME` (the command line's operating-system user)
    -- or `anonymous`.
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    -- The body the change concerns, if any (for filtering).
    body_code     TEXT,
    -- What changed: a login, a document, a clause, a consultation.
    subject       TEXT NOT NULL,
    -- SHA-256 (hex) of the state before and after, where there is one.
    before_digest TEXT,
    after_digest  TEXT,
    prev_hash     TEXT,
    hash          TEXT
);
CREATE INDEX audit_events_pending ON audit_events (id) WHERE seq IS NULL;
CREATE INDEX audit_events_body ON audit_events (body_code, at);
CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_at ON audit_events (at);

-- The chain's head: how many events are chained and the last one's hash.
CREATE TABLE audit_head (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    count BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (one, count, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
