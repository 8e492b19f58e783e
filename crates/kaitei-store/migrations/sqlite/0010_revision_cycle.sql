-- The yearly revision cycle: topics, milestones, drafts of the next
-- edition with their history, consultations on a frozen subject, answers
-- and their comments. Times that rules compare are BIGINT seconds since
-- the Unix epoch (shown in Japan time); `*_at` stamps of who-did-what are
-- the store's zero-padded seconds like the other histories.

ALTER TABLE users ADD COLUMN can_submit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN organisation TEXT;

CREATE TABLE cycles (
    year       INTEGER PRIMARY KEY,  -- the fiscal year's first calendar year
    title      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL REFERENCES cycles (year),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('studying', 'drafted', 'done', 'deferred')),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- The guideline clauses a topic touches, by key (keys survive editions).
CREATE TABLE topic_clauses (
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    node_key TEXT NOT NULL,
    PRIMARY KEY (topic_id, node_key)
);

CREATE TABLE milestones (
    id     INTEGER PRIMARY KEY,
    year   INTEGER NOT NULL REFERENCES cycles (year),
    kind   TEXT NOT NULL CHECK (kind IN ('committee', 'draft', 'publication', 'other')),
    title  TEXT NOT NULL,
    at     BIGINT NOT NULL,
    note   TEXT NOT NULL
);

-- A working copy: of the next guideline edition (`base_edition` names the
-- edition it revises) or of another document put out for opinion.
-- `version` counts its changes; a save names the version it was based on.
CREATE TABLE drafts (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL REFERENCES cycles (year),
    name         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    base_edition TEXT,
    preamble     TEXT NOT NULL,
    version      BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE draft_nodes (
    draft_id    BIGINT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    parent_ord  INTEGER,
    node_key    TEXT NOT NULL,
    key_pinned  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    label       TEXT,
    label_style TEXT,
    title       TEXT,
    body_text   TEXT NOT NULL,
    commentary  TEXT NOT NULL,
    from_key    TEXT,
    status      TEXT,
    PRIMARY KEY (draft_id, ord),
    UNIQUE (draft_id, node_key)
);

-- Every change of a draft: who, when, what, and the topic behind it. A
-- save is stale when a change of its clause came after the version it was
-- based on.
CREATE TABLE draft_changes (
    draft_id   BIGINT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    op         TEXT NOT NULL,
    node_key   TEXT NOT NULL,
    summary    TEXT NOT NULL,
    before_text TEXT NOT NULL,
    after_text TEXT NOT NULL,
    topic_id   BIGINT REFERENCES topics (id),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (draft_id, version, node_key)
);

-- Committee members' internal comments on a draft (no dispositions).
CREATE TABLE draft_notes (
    id         INTEGER PRIMARY KEY,
    draft_id   BIGINT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    node_key   TEXT NOT NULL,
    quote      TEXT NOT NULL,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- What a consultation asks about, frozen when it was created: a draft at
-- one version, node by node.
CREATE TABLE subjects (
    id            INTEGER PRIMARY KEY,
    draft_id      BIGINT NOT NULL REFERENCES drafts (id),
    draft_version BIGINT NOT NULL,
    title         TEXT NOT NULL,
    preamble      TEXT NOT NULL
);

CREATE TABLE subject_nodes (
    subject_id  BIGINT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    parent_ord  INTEGER,
    node_key    TEXT NOT NULL,
    key_pinned  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    label       TEXT,
    label_style TEXT,
    title       TEXT,
    body_text   TEXT NOT NULL,
    commentary  TEXT NOT NULL,
    from_key    TEXT,
    status      TEXT,
    PRIMARY KEY (subject_id, ord),
    UNIQUE (subject_id, node_key)
);

CREATE TABLE consultations (
    id                  TEXT PRIMARY KEY,
    year                INTEGER NOT NULL REFERENCES cycles (year),
    title               TEXT NOT NULL,
    audience            TEXT NOT NULL CHECK (audience IN ('all', 'prefecture', 'vendors', 'list')),
    audience_prefecture TEXT REFERENCES bodies (code),
    routing             TEXT NOT NULL CHECK (routing IN ('direct', 'prefectures')),
    prefecture_deadline BIGINT,
    opens               BIGINT NOT NULL,
    closes              BIGINT NOT NULL,
    subject_id          BIGINT NOT NULL REFERENCES subjects (id),
    comment_seq         BIGINT NOT NULL DEFAULT 0,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL
);

CREATE TABLE consultation_bodies (
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    body_code       TEXT NOT NULL REFERENCES bodies (code),
    PRIMARY KEY (consultation_id, body_code)
);

-- One answer per respondent: a body (`body_code`) or a vendor's
-- organisation (`organisation`). `version` counts its changes.
CREATE TABLE answers (
    id              INTEGER PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    respondent      TEXT NOT NULL,  -- the body code, or 'vendor:' and the organisation
    body_code       TEXT REFERENCES bodies (code),
    organisation    TEXT,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'forwarded')),
    no_comment      INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 0,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (consultation_id, respondent)
);

CREATE TABLE comments (
    id              INTEGER PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    number          BIGINT NOT NULL,
    answer_id       BIGINT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    ord             INTEGER NOT NULL,
    node_key        TEXT NOT NULL,
    quote_exact     TEXT NOT NULL,
    quote_prefix    TEXT NOT NULL,
    quote_suffix    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('question', 'opinion', 'error')),
    text            TEXT NOT NULL,
    proposal        TEXT NOT NULL,
    author          TEXT NOT NULL,
    UNIQUE (consultation_id, number)
);
CREATE INDEX comments_answer ON comments (answer_id, ord);

-- What happened to an answer: edited, imported, submitted, withdrawn,
-- returned (with the prefecture's note), forwarded.
CREATE TABLE answer_events (
    answer_id BIGINT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    seq       BIGINT NOT NULL,
    step      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    note      TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (answer_id, seq)
);
