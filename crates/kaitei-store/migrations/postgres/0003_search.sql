-- A bigram index for Japanese substring search: which documents contain
-- each character bigram (after NFKC). Two-character words such as 監査 are
-- found, which FTS5 trigram and pg_trgm cannot do. Candidate documents are
-- then searched clause by clause.
CREATE TABLE doc_bigrams (
    bigram      TEXT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (bigram, document_id)
);
CREATE INDEX doc_bigrams_document ON doc_bigrams (document_id);
