-- The merge review: a body's decision per clause on the proposal that
-- merges a new guideline edition into its policy. Kept until the reviewed
-- policy is adopted, so a review can be left and resumed.
CREATE TABLE merge_decisions (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    edition     TEXT NOT NULL,  -- the new guideline edition under review
    node_key    TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('accept', 'keep', 'edit')),
    body_text   TEXT NOT NULL,  -- the body's own text for 'edit', else ''
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (document_id, edition, node_key)
);
