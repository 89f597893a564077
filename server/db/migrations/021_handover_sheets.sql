-- Handover sheets: a printed sheet per gate or per building leader (a walking route) carries a QR code per
-- stop, so that a volunteer with no app records the delivery from any phone. Each code is 128 random bits,
-- stored only as a SHA-256 hash, good for its one stop on the route it was printed for: it stops working
-- when the sheet is printed again (revoked), when its route ends or the stop moves to another route, and
-- 48 hours after printing at the latest. `used_at` says when it recorded the stop's outcome.
CREATE TABLE handover_tokens (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  stop_id     integer NOT NULL REFERENCES stops(id),
  route_id    integer NOT NULL REFERENCES routes(id),
  issued_by   integer NOT NULL REFERENCES users(id),
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  used_at     timestamptz
);
CREATE INDEX handover_tokens_live_by_stop ON handover_tokens (stop_id) WHERE revoked_at IS NULL;
