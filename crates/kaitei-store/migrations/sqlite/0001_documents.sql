-- Bodies, documents (guideline editions and body policies) and their nodes.
-- Kept to SQL that PostgreSQL accepts too, except the identity column
-- (INTEGER PRIMARY KEY here, GENERATED ... AS IDENTITY there).

CREATE TABLE bodies (
    code            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kana            TEXT NOT NULL,
    prefecture_code TEXT NOT NULL
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('guideline', 'policy')),
    title        TEXT NOT NULL,
    edition      TEXT NOT NULL,
    published    TEXT,
    body_code    TEXT REFERENCES bodies (code),
    derived_from TEXT,
    preamble     TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    CHECK ((kind = 'policy') = (body_code IS NOT NULL))
);

-- One guideline edition per name; one policy per body and edition.
CREATE UNIQUE INDEX documents_guideline_edition ON documents (edition) WHERE kind = 'guideline';
CREATE UNIQUE INDEX documents_policy_edition ON documents (body_code, edition) WHERE kind = 'policy';

CREATE TABLE omissions (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    from_key    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (document_id, ord)
);

-- Nodes in document order (pre-order); `parent_ord` rebuilds the tree.
CREATE TABLE nodes (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    parent_ord  INTEGER,
    node_key    TEXT NOT NULL,
    key_pinned  INTEGER NOT NULL, -- 0 or 1 (sqlx::Any cannot decode SQLite booleans)
    kind        TEXT NOT NULL,
    label       TEXT,
    label_style TEXT,
    title       TEXT,
    body_text   TEXT NOT NULL,
    commentary  TEXT NOT NULL,
    from_key    TEXT,
    status      TEXT,
    PRIMARY KEY (document_id, ord),
    UNIQUE (document_id, node_key)
);

CREATE INDEX nodes_from_key ON nodes (from_key);
