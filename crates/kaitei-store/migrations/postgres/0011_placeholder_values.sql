-- The placeholder values a body confirmed for its policy (`CISO職名` →
-- `副市長`): one per line, `NAME<TAB>VALUE` (names hold no white space;
-- values no line break). A merge fills them instead of inferring them again.
ALTER TABLE documents ADD COLUMN placeholder_values TEXT NOT NULL DEFAULT '';
