-- A regulation's number (訓令第3号), its amendments (one per line,
-- `YYYY-MM-DD NUMBER`) and whether it has a table of contents (目次, made
-- from the body when written): see docs/importing-regulations.md.
ALTER TABLE documents ADD COLUMN number TEXT;
ALTER TABLE documents ADD COLUMN amendments TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN contents INTEGER NOT NULL DEFAULT 0;
