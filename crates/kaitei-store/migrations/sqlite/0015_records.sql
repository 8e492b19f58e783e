-- Issue #18: the records of this year's topics.
--
-- Topic ②: each body's register of storage-bearing equipment and its
-- disposal (a row per item, keyed by the body's 管理番号; values by the
-- identifiers of kaitei_records::register, NULL for an empty cell), the
-- files attached to an item (erasure certificates, photos) stored once by
-- their SHA-256 so that several servers share them and backups hold them,
-- and the ministry's rule table (no row: the built-in one).
CREATE TABLE disposal_items (
    body_code       TEXT NOT NULL,
    number          TEXT NOT NULL,
    position        BIGINT NOT NULL,
    equipment       TEXT NOT NULL,
    media           TEXT,
    ownership       TEXT,
    classification  TEXT,
    handling        TEXT,
    handled_on      TEXT,
    method          TEXT,
    self_encrypting BIGINT,
    performer       TEXT,
    contractor      TEXT NOT NULL,
    witness         TEXT NOT NULL,
    evidence        TEXT,
    certificate     TEXT,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (body_code, number)
);

CREATE TABLE attachment_contents (
    sha256  TEXT PRIMARY KEY,
    size    BIGINT NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE disposal_attachments (
    id          INTEGER PRIMARY KEY,
    body_code   TEXT NOT NULL,
    number      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('certificate', 'photo')),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES attachment_contents (sha256),
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    FOREIGN KEY (body_code, number) REFERENCES disposal_items (body_code, number) ON DELETE CASCADE
);
CREATE INDEX disposal_attachments_item ON disposal_attachments (body_code, number);

CREATE TABLE disposal_rules (
    classification TEXT PRIMARY KEY,
    minimum        TEXT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Topic ③: each body's executive organs and their cybersecurity policy
-- under the amended Local Autonomy Act (no row for a body: not recorded).
CREATE TABLE organs (
    body_code  TEXT NOT NULL,
    position   BIGINT NOT NULL,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('not_set', 'own', 'designated')),
    since      TEXT,
    url        TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (body_code, name)
);
