-- A burst of pledges is written a grouped batch at a time, one INSERT for all its donations and one for their
-- items (server/donations). Audited row by row, each row cost a PL/pgSQL call and an INSERT; audited by
-- statement instead (032's audit_rows: the same log rows, each naming its own request through its
-- audit_requests note).
INSERT INTO audit_policy (table_name, by_statement) VALUES ('donations', true), ('donation_items', true)
  ON CONFLICT (table_name) DO UPDATE SET by_statement = true;

-- As 032's, except that an insert made with no request setting finds each row's note by one join: the note's
-- lookup was a subquery inside coalesce(), which the planner inlined into each of the seven columns read from
-- it, so the note (and the row's key) was looked up seven times per row (33 ms for a batch of 27 pledges).
CREATE OR REPLACE FUNCTION audit_rows() RETURNS trigger LANGUAGE plpgsql AS $$
-- A bare `context` is the request setting below, not the note's column (a.context).
#variable_conflict use_variable
DECLARE
  context  jsonb := nullif(current_setting('lifeline.request', true), '')::jsonb;
  keys     text[] := string_to_array(TG_ARGV[0], ',');
  omitted  text[] := string_to_array(TG_ARGV[1], ',');
BEGIN
  -- Without a request setting, only an insert into a table with notes may be a request's (as audit_change).
  IF context IS NULL AND (TG_OP <> 'INSERT' OR NOT EXISTS (SELECT FROM audit_requests WHERE table_name = TG_TABLE_NAME)) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
    SELECT (c ->> 'userId')::integer, c ->> 'role', c ->> 'method', c ->> 'path', c ->> 'requestId', c ->> 'ip', c ->> 'device',
           TG_TABLE_NAME, record, 'insert', NULL, after
    FROM (SELECT r.record, r.whole - omitted AS after, coalesce(context, a.context) AS c
          -- OFFSET 0: each row's key is worked out once, not once per use.
          FROM (SELECT to_jsonb(n) AS whole, (SELECT string_agg(to_jsonb(n) ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)) AS record
                FROM new_rows n OFFSET 0) r
          LEFT JOIN audit_requests a ON context IS NULL AND a.table_name = TG_TABLE_NAME AND a.record_id = r.record) inserted
    WHERE c IS NOT NULL;
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
