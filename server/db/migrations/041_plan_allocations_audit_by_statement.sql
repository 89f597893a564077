-- A district's plan stores tens of thousands of allocations when it is solved: audited row by row, each row cost
-- a PL/pgSQL call (and, with no request setting, a probe for notes), 8.5 s of a 20,000-household plan's 29 s on
-- PGlite. Audited by statement instead (032's audit_rows: the same log rows, one call per statement).
INSERT INTO audit_policy (table_name, by_statement) VALUES ('plan_allocations', true)
  ON CONFLICT (table_name) DO UPDATE SET by_statement = true;
