-- Issue #17: text that repeats is stored once.
--
-- Most of a body's policy is the guideline's own words, and most of a
-- node's other columns (key, kind, label, provenance) repeat from body to
-- body too: 1,788 policies hold about a million nodes but some 36,000
-- distinct texts and 33,000 distinct node shapes. So:
--   texts        every distinct string a node holds (title, text with its
--                paragraphs joined by LF, commentary), once;
--   text_bigrams the search index, per text instead of per document;
--   node_shapes  every distinct node apart from its place: key, kind,
--                label, provenance, and its texts by id — with a
--                signature (the columns joined) to find it by;
--   node_rows    a document's nodes: its place (ord, parent) and shape.
-- `nodes` becomes a view with the columns it always had, so that every
-- reader stays as it was; writers go through kaitei-store's texts module.

CREATE TABLE texts (
    id      INTEGER PRIMARY KEY,
    body    TEXT NOT NULL UNIQUE,
    -- 1 once its bigrams are in text_bigrams: they are written a batch of
    -- texts at a time (and this migration cannot make them: they are taken
    -- after NFKC, which SQL lacks; the store does on opening).
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX texts_unindexed ON texts (id) WHERE indexed = 0;

CREATE TABLE text_bigrams (
    bigram  TEXT NOT NULL,
    text_id BIGINT NOT NULL REFERENCES texts (id),
    PRIMARY KEY (bigram, text_id)
) WITHOUT ROWID;

CREATE TABLE node_shapes (
    id            INTEGER PRIMARY KEY,
    -- The columns below joined by U+001F, a missing value as U+0018: the
    -- same text kaitei-store's `shape_signature` makes.
    signature     TEXT NOT NULL UNIQUE,
    node_key      TEXT NOT NULL,
    key_pinned    INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    label         TEXT,
    label_style   TEXT,
    title_id      BIGINT REFERENCES texts (id),
    body_id       BIGINT NOT NULL REFERENCES texts (id),
    commentary_id BIGINT NOT NULL REFERENCES texts (id),
    from_key      TEXT,
    status        TEXT
);
CREATE INDEX node_shapes_from_key ON node_shapes (from_key);
-- A search goes from the texts holding its words to the shapes holding
-- those texts.
CREATE INDEX node_shapes_title ON node_shapes (title_id);
CREATE INDEX node_shapes_body ON node_shapes (body_id);
CREATE INDEX node_shapes_commentary ON node_shapes (commentary_id);

CREATE TABLE node_rows (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    parent_ord  INTEGER,
    shape_id    BIGINT NOT NULL REFERENCES node_shapes (id),
    PRIMARY KEY (document_id, ord)
) WITHOUT ROWID;
-- Which nodes have a shape: how a search finds the nodes of a rare word.
-- Kept apart from node_rows and brought up to date a batch of documents
-- at a time (`documents.indexed`), like the bigrams of new texts: a
-- policy's nodes have some 500 shapes, each in its own place in this
-- index, and writing them with each policy would rewrite that many pages
-- per import.
CREATE TABLE shape_nodes (
    shape_id    BIGINT NOT NULL REFERENCES node_shapes (id),
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    PRIMARY KEY (shape_id, document_id, ord)
) WITHOUT ROWID;
-- 1 once its nodes are in shape_nodes.
ALTER TABLE documents ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX documents_unindexed ON documents (id) WHERE indexed = 0;

-- The rows carried over: every distinct string, then every distinct shape,
-- then each node as its place and shape.
INSERT INTO texts (body)
    SELECT body_text FROM nodes
    UNION SELECT commentary FROM nodes
    UNION SELECT title FROM nodes WHERE title IS NOT NULL;

CREATE TABLE node_texts_carried (
    document_id   BIGINT NOT NULL,
    ord           INTEGER NOT NULL,
    parent_ord    INTEGER,
    signature     TEXT NOT NULL,
    node_key      TEXT NOT NULL,
    key_pinned    INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    label         TEXT,
    label_style   TEXT,
    title_id      BIGINT,
    body_id       BIGINT NOT NULL,
    commentary_id BIGINT NOT NULL,
    from_key      TEXT,
    status        TEXT
);
INSERT INTO node_texts_carried
    SELECT n.document_id, n.ord, n.parent_ord,
           n.node_key || char(31) || CAST(n.key_pinned AS TEXT) || char(31) || n.kind || char(31)
             || COALESCE(n.label, char(24)) || char(31) || COALESCE(n.label_style, char(24)) || char(31)
             || COALESCE(CAST(tt.id AS TEXT), char(24)) || char(31) || CAST(bt.id AS TEXT) || char(31)
             || CAST(ct.id AS TEXT) || char(31) || COALESCE(n.from_key, char(24)) || char(31)
             || COALESCE(n.status, char(24)),
           n.node_key, n.key_pinned, n.kind, n.label, n.label_style, tt.id, bt.id, ct.id, n.from_key, n.status
    FROM nodes n
    LEFT JOIN texts tt ON tt.body = n.title
    JOIN texts bt ON bt.body = n.body_text
    JOIN texts ct ON ct.body = n.commentary;

INSERT INTO node_shapes (signature, node_key, key_pinned, kind, label, label_style, title_id, body_id,
                         commentary_id, from_key, status)
    SELECT signature, MIN(node_key), MIN(key_pinned), MIN(kind), MIN(label), MIN(label_style), MIN(title_id),
           MIN(body_id), MIN(commentary_id), MIN(from_key), MIN(status)
    FROM node_texts_carried GROUP BY signature;

INSERT INTO node_rows (document_id, ord, parent_ord, shape_id)
    SELECT c.document_id, c.ord, c.parent_ord, s.id
    FROM node_texts_carried c JOIN node_shapes s ON s.signature = c.signature;

DROP TABLE node_texts_carried;
INSERT INTO shape_nodes (shape_id, document_id, ord)
    SELECT shape_id, document_id, ord FROM node_rows ORDER BY shape_id, document_id, ord;
UPDATE documents SET indexed = 1;
DROP INDEX nodes_from_key;
DROP TABLE nodes;
DROP TABLE doc_bigrams;

-- Readers see the table they always saw. Every text is joined LEFT so
-- that a query reading none of them (an outline) costs no lookups.
CREATE VIEW nodes AS
    SELECT r.document_id, r.ord, r.parent_ord, s.node_key, s.key_pinned, s.kind, s.label, s.label_style,
           tt.body AS title, bt.body AS body_text, ct.body AS commentary, s.from_key, s.status,
           r.shape_id
    FROM node_rows r
    JOIN node_shapes s ON s.id = r.shape_id
    LEFT JOIN texts tt ON tt.id = s.title_id
    LEFT JOIN texts bt ON bt.id = s.body_id
    LEFT JOIN texts ct ON ct.id = s.commentary_id;
