-- A policy's being made public by its body is not its publication date
-- (`published`, the date in its metadata): one name per concept.
ALTER TABLE documents RENAME COLUMN policy_published TO made_public;
