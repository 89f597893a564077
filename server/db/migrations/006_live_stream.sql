-- Live events become one stream: an event is stored once, with the list of its recipients, under the
-- next number of a single gapless counter. A push to 5,000 drivers is then one row (not 5,000), the
-- same encoded message can go to every socket, and because taking a number locks the counter until
-- commit, events commit (and are delivered) in the order of their numbers.
CREATE TABLE live_stream (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq  bigint NOT NULL
);

ALTER TABLE live_events RENAME TO live_events_per_recipient;

CREATE TABLE live_events (
  seq         bigint PRIMARY KEY,
  type        text NOT NULL,
  data        jsonb NOT NULL,
  recipients  integer[] NOT NULL CHECK (cardinality(recipients) > 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- A reconnecting client asks for its own events after a number.
CREATE INDEX live_events_recipients ON live_events USING gin (recipients);

-- Earlier events are kept, renumbered after the largest earlier number so that no client's stored
-- position skips them (a client may see some again; it applies repeats idempotently).
INSERT INTO live_events (seq, type, data, recipients, created_at)
SELECT (SELECT coalesce(max(seq), 0) FROM live_events_per_recipient) + row_number() OVER (ORDER BY created_at, user_id, seq),
       type, data, ARRAY[user_id], created_at
FROM live_events_per_recipient;

INSERT INTO live_stream (last_seq)
SELECT greatest((SELECT coalesce(max(seq), 0) FROM live_events), (SELECT coalesce(max(seq), 0) FROM live_events_per_recipient));

DROP TABLE live_events_per_recipient;
ALTER TABLE live_recipients DROP COLUMN last_seq;
COMMENT ON TABLE live_recipients IS 'The last event number each user acknowledged.';
