-- Login throttling counts a check before it is made: a row is written,
-- atomically with counting those already there, before the password is
-- checked, and removed again only when the password was right. So a row is
-- a failed sign-in or one being checked, and a burst of parallel guesses
-- gets no more checks than the limit. `attempt` names the row to remove.
ALTER TABLE login_failures ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
