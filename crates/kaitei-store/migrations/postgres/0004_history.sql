-- Every edit of a clause keeps the text it replaced.
CREATE TABLE node_history (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    node_key    TEXT NOT NULL,
    version     BIGINT NOT NULL,
    body_text   TEXT NOT NULL,
    edited_by   TEXT NOT NULL,
    edited_at   TEXT NOT NULL,
    PRIMARY KEY (document_id, node_key, version)
);
