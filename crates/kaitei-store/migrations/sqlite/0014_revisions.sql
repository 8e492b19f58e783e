-- A policy revision made by adopting a merge review is a new document
-- (its own version name and date); `revises` names the revision it was
-- made from, so that its 新旧対照表 can be made again later and the
-- revision it replaced is kept as it was (an adopted revision is not
-- edited any more).
ALTER TABLE documents ADD COLUMN revises BIGINT REFERENCES documents (id);
