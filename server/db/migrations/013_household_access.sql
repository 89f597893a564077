-- Household access codes: a household reads its own requests at /h/<code> with no account. Only the code's
-- SHA-256 is stored (as for sessions); issuing a new code revokes the live one, so at most one is live.
CREATE TABLE household_access (
  code_hash     text PRIMARY KEY,
  household_id  integer NOT NULL REFERENCES households(id),
  issued_by     integer NOT NULL REFERENCES users(id),
  issued_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
CREATE UNIQUE INDEX household_access_one_live ON household_access (household_id) WHERE revoked_at IS NULL;
