-- Login throttling counts a check before it is made: a row is written,
-- atomically with counting those already there, before the password is
-- checked; a wrong password leaves it (a failure), a right one removes it.
-- So a row is a failed sign-in, or one being checked — `attempt` holds that
-- check's id until it ends, '' after — and a burst of parallel guesses
-- gets no more checks than the limit. Rows from before are failures.
ALTER TABLE login_failures ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
