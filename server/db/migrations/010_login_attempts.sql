-- Failed sign-ins counted per account and per client address (server/auth/login-throttle.ts), in the
-- database so that the limits hold across server nodes. The columns are those rate-limiter-flexible's
-- PostgreSQL store reads and writes: key 'account:<email>' or 'address:<ip>', the count, and when the
-- window ends (milliseconds since the epoch).
CREATE TABLE login_attempts (
  key     text PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);
