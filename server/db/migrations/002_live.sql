-- Live events: every event to a recipient gets that recipient's next sequence number and is stored
-- (in the same transaction as the change it announces) before it is sent, so a client that reconnects
-- with its last sequence number receives everything after it, also after a server restart.
CREATE TABLE live_recipients (
  user_id    integer PRIMARY KEY REFERENCES users(id),
  last_seq   bigint NOT NULL DEFAULT 0,
  acked_seq  bigint NOT NULL DEFAULT 0
);

-- No foreign key here: live_recipients already guarantees the user, and a push to thousands of
-- recipients should not check it thousands of times.
CREATE TABLE live_events (
  user_id     integer NOT NULL,
  seq         bigint NOT NULL,
  type        text NOT NULL,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, seq)
);

-- Used by the Socket.IO Postgres adapter (several server nodes) for payloads over NOTIFY's size limit.
CREATE TABLE socket_io_attachments (
  id          bigserial UNIQUE,
  created_at  timestamptz DEFAULT now(),
  payload     bytea
);
