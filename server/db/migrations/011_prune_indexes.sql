-- The pruner (server/db/prune.ts) deletes by age every hour: these let it find the old rows without
-- reading every session, idempotent reply and login count.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX idempotent_replies_by_last_attempt ON idempotent_replies (claimed_at);
CREATE INDEX login_attempts_by_expiry ON login_attempts (expire);
