-- Issue #17: search walks the documents' nodes in memory (kaitei-store's
-- corpus module). Texts and node shapes never change once stored, but a
-- document's nodes do when a clause's text is replaced: this counts those
-- changes, so that every server sees a document it holds has moved.
ALTER TABLE documents ADD COLUMN nodes_revision BIGINT NOT NULL DEFAULT 0;
