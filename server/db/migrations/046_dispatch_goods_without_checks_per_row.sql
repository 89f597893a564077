-- A dispatch's goods lines and stops are still checked one row at a time against what they point at outside their
-- route (044 kept those keys): three checks per goods line (need, lot, commodity) and one per stop (household),
-- each a trigger call and a lookup. At 200,000 households (PGlite) the goods lines' insert took 14.5 s of CPU with
-- them and 7.2 s without, the stops' 6.8 s and 5.7 s.
-- Dropped, since what a stop and its goods point at is already guaranteed where they are written from:
-- - a dispatch's goods are its plan's allocations, whose need and lot keep their keys (042); the commodity is
--   the lot's own (lots.commodity_id), the household the need's (needs.household_id); and an allocation is never
--   deleted, so those keys go on refusing the deletion of a need or lot on a stop, and through them of its
--   household and commodity;
-- - a re-plan's urgent stop takes its need, lot and household from the rows it has just read in its
--   transaction (urgentLine), and its lot's reservation (stock_movements.lot_id) keeps the lot.
-- No user action deletes a household, need, lot or commodity (a need ends fulfilled or cancelled, and stays). Kept: a stop's
-- gate, which a coordinator does delete when replacing a zone's gates, and its pledge.
ALTER TABLE stop_items DROP CONSTRAINT stop_items_need_id_fkey;
ALTER TABLE stop_items DROP CONSTRAINT stop_items_lot_id_fkey;
ALTER TABLE stop_items DROP CONSTRAINT stop_items_commodity_id_fkey;
ALTER TABLE stops DROP CONSTRAINT stops_household_id_fkey;
-- A dispatch stores thousands of routes in a few statements: audited by statement (032's audit_rows, the same
-- log rows) rather than a PL/pgSQL call and an INSERT per route (4,341 routes: 0.81 → 0.52 s).
INSERT INTO audit_policy (table_name, by_statement) VALUES ('routes', true)
  ON CONFLICT (table_name) DO UPDATE SET by_statement = true;

-- As 040's, but an insert under a request setting (a dispatch: all its stops in one statement, all their goods
-- lines in another) reads the request's fields once per statement rather than once per row,
-- and a one-column key straight from the row rather than by gathering the key's columns: the audit's share of
-- 300,000 goods lines went from ~4.9 to ~3.4 s of CPU on PGlite. The same log rows.
CREATE OR REPLACE FUNCTION audit_rows() RETURNS trigger LANGUAGE plpgsql AS $$
-- A bare `context` is the request setting below, not the note's column (a.context).
#variable_conflict use_variable
DECLARE
  context  jsonb := nullif(current_setting('lifeline.request', true), '')::jsonb;
  keys     text[] := string_to_array(TG_ARGV[0], ',');
  omitted  text[] := string_to_array(TG_ARGV[1], ',');
  -- A one-column key (most tables' id) is read straight from the row, not gathered from the key's columns.
  single   text := CASE WHEN cardinality(keys) = 1 THEN keys[1] END;
BEGIN
  -- Without a request setting, only an insert into a table with notes may be a request's (as audit_change).
  IF context IS NULL AND (TG_OP <> 'INSERT' OR NOT EXISTS (SELECT FROM audit_requests WHERE table_name = TG_TABLE_NAME)) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' AND context IS NOT NULL THEN
    -- One request for the whole statement (a dispatch's hundreds of thousands of goods lines): its fields are
    -- read once, not once per row.
    INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
    SELECT c.user_id, c.role, c.method, c.path, c.request_id, c.ip, c.device, TG_TABLE_NAME,
           coalesce(r.whole ->> single, (SELECT string_agg(r.whole ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord))), 'insert', NULL, r.whole - omitted
    FROM (SELECT (context ->> 'userId')::integer AS user_id, context ->> 'role' AS role, context ->> 'method' AS method, context ->> 'path' AS path,
                 context ->> 'requestId' AS request_id, context ->> 'ip' AS ip, context ->> 'device' AS device OFFSET 0) c,
         (SELECT to_jsonb(n) AS whole FROM new_rows n OFFSET 0) r;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
    SELECT (c ->> 'userId')::integer, c ->> 'role', c ->> 'method', c ->> 'path', c ->> 'requestId', c ->> 'ip', c ->> 'device',
           TG_TABLE_NAME, record, 'insert', NULL, after
    FROM (SELECT r.record, r.whole - omitted AS after, a.context AS c
          -- OFFSET 0: each row's key is worked out once, not once per use.
          FROM (SELECT to_jsonb(n) AS whole, (SELECT string_agg(to_jsonb(n) ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)) AS record
                FROM new_rows n OFFSET 0) r
          JOIN audit_requests a ON a.table_name = TG_TABLE_NAME AND a.record_id = r.record) inserted;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
    SELECT (context ->> 'userId')::integer, context ->> 'role', context ->> 'method', context ->> 'path', context ->> 'requestId', context ->> 'ip',
           context ->> 'device', TG_TABLE_NAME, (SELECT string_agg(to_jsonb(o) ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)),
           'delete', to_jsonb(o) - omitted, NULL
    FROM old_rows o;
  ELSE
    -- Old and new rows paired by key; each side keeps only the columns whose value changed.
    INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
    SELECT (context ->> 'userId')::integer, context ->> 'role', context ->> 'method', context ->> 'path', context ->> 'requestId', context ->> 'ip',
           context ->> 'device', TG_TABLE_NAME, record, 'update', d.before, d.after
    FROM (SELECT (SELECT string_agg(to_jsonb(n) ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)) AS record, to_jsonb(n) - omitted AS new_row
          FROM new_rows n) n
    JOIN (SELECT (SELECT string_agg(to_jsonb(o) ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)) AS record, to_jsonb(o) - omitted AS old_row
          FROM old_rows o) o USING (record)
    CROSS JOIN LATERAL (SELECT jsonb_object_agg(k, old_row -> k) AS before, jsonb_object_agg(k, new_row -> k) AS after
                        FROM jsonb_object_keys(new_row) AS k WHERE old_row -> k IS DISTINCT FROM new_row -> k) d
    WHERE d.after IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
