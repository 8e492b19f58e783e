-- SQLite's 0006 makes its bigram index a clustered table; PostgreSQL's
-- tables have no rowid to save. Kept so both backends share versions.
SELECT 1;
