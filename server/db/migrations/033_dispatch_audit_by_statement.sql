-- A dispatch stores tens of thousands of stops and stop items in a few statements: audited row by row, each
-- row ran audit_change (its own plpgsql call and INSERT into the log). Audited by statement instead (032's
-- audit_rows, one INSERT per statement from its transition tables, the same log rows).
INSERT INTO audit_policy (table_name, by_statement) VALUES ('stops', true), ('stop_items', true)
  ON CONFLICT (table_name) DO UPDATE SET by_statement = true;
