-- A claim on an Idempotency-Key is one attempt at the request. The attempt's first committing transaction
-- marks the claim applied, under the claim's row lock, so after a crash a retry can tell a request that
-- never took effect (it takes the claim over and runs it) from one that did but lost its answer (it is
-- told so, and nothing is written twice).
ALTER TABLE idempotent_replies ADD COLUMN attempt uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE idempotent_replies ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE idempotent_replies ADD COLUMN applied boolean NOT NULL DEFAULT false;
-- Claims left unanswered before this change may or may not have taken effect: never run them again.
UPDATE idempotent_replies SET applied = true WHERE status IS NULL;
