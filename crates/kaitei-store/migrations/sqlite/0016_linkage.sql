-- Issue #19: data linkage without removable media, and the self-assessment.
--
-- The ministry's catalogue of linkage patterns and its risk matrix, each
-- kept as the text it edits (kaitei_records::linkage reads it; no row:
-- the built-in one).
CREATE TABLE linkage_settings (
    name       TEXT PRIMARY KEY CHECK (name IN ('catalogue', 'matrix')),
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Each body's uses of a pattern between two segments, saved as a whole
-- list, and its ratings of each scenario before and after its controls
-- (likelihood and impact 1 to 5; NULL: not rated).
CREATE TABLE linkage_uses (
    body_code    TEXT NOT NULL,
    position     BIGINT NOT NULL,
    pattern      TEXT NOT NULL,
    from_segment TEXT NOT NULL CHECK (from_segment IN ('mynumber', 'lgwan', 'internet')),
    to_segment   TEXT NOT NULL CHECK (to_segment IN ('mynumber', 'lgwan', 'internet')),
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (body_code, pattern, from_segment, to_segment)
);

CREATE TABLE linkage_ratings (
    body_code         TEXT NOT NULL,
    pattern           TEXT NOT NULL,
    from_segment      TEXT NOT NULL,
    to_segment        TEXT NOT NULL,
    scenario          TEXT NOT NULL,
    before_likelihood BIGINT CHECK (before_likelihood BETWEEN 1 AND 5),
    before_impact     BIGINT CHECK (before_impact BETWEEN 1 AND 5),
    after_likelihood  BIGINT CHECK (after_likelihood BETWEEN 1 AND 5),
    after_impact      BIGINT CHECK (after_impact BETWEEN 1 AND 5),
    PRIMARY KEY (body_code, pattern, from_segment, to_segment, scenario),
    FOREIGN KEY (body_code, pattern, from_segment, to_segment)
        REFERENCES linkage_uses (body_code, pattern, from_segment, to_segment) ON DELETE CASCADE
);

-- The ministry's self-assessment questions, by guideline key (so that
-- they carry across editions).
CREATE TABLE assessment_questions (
    key        TEXT PRIMARY KEY,
    question   TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A body's self-assessment of a fiscal year, against the edition its
-- policy followed when it first answered that year; its answers by key;
-- the evidence files (their bytes in attachment_contents, by SHA-256).
CREATE TABLE assessments (
    body_code TEXT NOT NULL,
    year      BIGINT NOT NULL,
    edition   TEXT NOT NULL,
    PRIMARY KEY (body_code, year)
);

CREATE TABLE assessment_answers (
    body_code  TEXT NOT NULL,
    year       BIGINT NOT NULL,
    key        TEXT NOT NULL,
    answer     TEXT NOT NULL CHECK (answer IN ('done', 'partial', 'not_done', 'not_applicable')),
    note       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (body_code, year, key),
    FOREIGN KEY (body_code, year) REFERENCES assessments (body_code, year)
);

CREATE TABLE assessment_evidence (
    id          INTEGER PRIMARY KEY,
    body_code   TEXT NOT NULL,
    year        BIGINT NOT NULL,
    key         TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES attachment_contents (sha256),
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    FOREIGN KEY (body_code, year) REFERENCES assessments (body_code, year)
);
CREATE INDEX assessment_evidence_year ON assessment_evidence (body_code, year);
