-- Allocation plans: built by the optimizer from a snapshot of stock and needs, reviewed, approved
-- (which reserves the stock in one transaction) and dispatched.
CREATE TABLE plans (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status        text NOT NULL DEFAULT 'solving' CHECK (status IN ('solving', 'ready', 'approved', 'dispatched', 'failed', 'stale')),
  request       jsonb NOT NULL,
  -- What the plan was built on: each lot's available quantity and each need's version.
  snapshot      jsonb,
  progress      jsonb NOT NULL DEFAULT '{"stage": "queued", "fraction": 0}',
  result        jsonb,
  error         text,
  created_by    integer REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  solved_at     timestamptz,
  approved_by   integer REFERENCES users(id),
  approved_at   timestamptz,
  dispatched_at timestamptz
);

CREATE TABLE plan_allocations (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id        integer NOT NULL REFERENCES plans(id),
  need_id        integer NOT NULL REFERENCES needs(id),
  lot_id         integer NOT NULL REFERENCES lots(id),
  warehouse_id   integer NOT NULL REFERENCES warehouses(id),
  commodity_id   integer NOT NULL REFERENCES commodities(id),
  quantity       integer NOT NULL CHECK (quantity > 0),
  travel_time_s  double precision
);
CREATE INDEX plan_allocations_by_plan ON plan_allocations (plan_id);
