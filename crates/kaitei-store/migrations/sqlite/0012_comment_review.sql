-- Issue #13: the ministry's work on the comments received — dispositions,
-- hand edits of the clusters, confirmations of re-anchored comments —
-- the comments a draft change cites, and the edition a draft became.

-- One disposition per comment (a cluster's is written to each comment).
CREATE TABLE dispositions (
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    number          BIGINT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('reflected', 'not_reflected', 'addressed', 'reference')),
    reason          TEXT NOT NULL,
    by_user         TEXT NOT NULL,
    at              TEXT NOT NULL,
    PRIMARY KEY (consultation_id, number)
);

-- The ministry's merges (together = 1) and splits (0), as pairs of
-- comment numbers (a < b): constraints every re-clustering keeps.
CREATE TABLE cluster_edits (
    id              INTEGER PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    a               BIGINT NOT NULL,
    b               BIGINT NOT NULL,
    together        INTEGER NOT NULL,
    by_user         TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX cluster_edits_pair ON cluster_edits (consultation_id, a, b);

-- Where the ministry confirmed a moved, fuzzy or orphaned comment to be
-- in the draft (node_key empty: confirmed orphaned).
CREATE TABLE anchor_confirmations (
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    number          BIGINT NOT NULL,
    node_key        TEXT NOT NULL,
    quote_exact     TEXT NOT NULL,
    by_user         TEXT NOT NULL,
    at              TEXT NOT NULL,
    PRIMARY KEY (consultation_id, number)
);

-- The comment ids a draft change cites (comma-separated, as R8-1-0042).
ALTER TABLE draft_changes ADD COLUMN comment_ids TEXT NOT NULL DEFAULT '';

-- The edition a draft was published as.
ALTER TABLE drafts ADD COLUMN published_edition TEXT;
