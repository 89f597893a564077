-- A CSV import writes households, their field history and their needs thousands of rows at a time. The audit
-- trigger ran once per row (a PL/pgSQL call and an INSERT each): about 40 % of an import's database time. On
-- the tables the policy marks by_statement, the same audit rows are written by one statement per statement,
-- from its transition tables. Same rows as audit_change writes: the request's context (or, for an insert made
-- with none, the record's note in audit_requests), the key, the row without its omitted columns, and for an
-- update only the columns that changed. Such a table has no secret columns (attach refuses one).
ALTER TABLE audit_policy ADD COLUMN by_statement boolean NOT NULL DEFAULT false;
INSERT INTO audit_policy (table_name, by_statement) VALUES ('households', true), ('household_field_history', true), ('needs', true)
  ON CONFLICT (table_name) DO UPDATE SET by_statement = true;

-- Arguments: the primary key's columns and the omitted columns, each a comma-separated list.
CREATE FUNCTION audit_rows() RETURNS trigger LANGUAGE plpgsql AS $$
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
    FROM (SELECT r.record, r.after, coalesce(context, (SELECT a.context FROM audit_requests a WHERE a.table_name = TG_TABLE_NAME AND a.record_id = r.record)) AS c
          FROM (SELECT to_jsonb(n) - omitted AS after, (SELECT string_agg(to_jsonb(n) ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)) AS record
                FROM new_rows n) r) inserted
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

-- As before (016_audit_log.sql), and a table audited by statement gets audit_rows for each kind of change
-- (a trigger with transition tables takes one event) instead of audit_change for each row.
CREATE OR REPLACE FUNCTION audit_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t         record;
  keys      text;
  secrets   text;
  omitted   text;
  change    text;
BEGIN
  FOR t IN
    SELECT c.oid, c.relname, coalesce(p.by_statement, false) AS by_statement
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN audit_policy p ON p.table_name = c.relname
    WHERE n.nspname = current_schema() AND c.relkind = 'r'
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS audit_changes ON %I', t.relname);
    FOREACH change IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', 'audit_' || change || 's', t.relname);
    END LOOP;
    CONTINUE WHEN EXISTS (SELECT 1 FROM audit_policy p WHERE p.table_name = t.relname AND NOT p.audited);
    SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey::int2[], a.attnum)) INTO keys
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = t.oid AND i.indisprimary;
    SELECT string_agg(a.attname, ',') INTO secrets FROM pg_attribute a
      WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND (a.attname LIKE '%\_hash' OR a.atttypid = 'bytea'::regtype);
    SELECT array_to_string(p.omit, ',') INTO omitted FROM audit_policy p WHERE p.table_name = t.relname;
    IF t.by_statement THEN
      IF secrets IS NOT NULL OR keys IS NULL THEN
        RAISE EXCEPTION 'table % is audited by statement but has secret columns or no primary key', t.relname;
      END IF;
      EXECUTE format('CREATE TRIGGER audit_inserts AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows(%L, %L)',
        t.relname, keys, coalesce(omitted, ''));
      EXECUTE format('CREATE TRIGGER audit_updates AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows(%L, %L)',
        t.relname, keys, coalesce(omitted, ''));
      EXECUTE format('CREATE TRIGGER audit_deletes AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_rows(%L, %L)',
        t.relname, keys, coalesce(omitted, ''));
      CONTINUE;
    END IF;
    EXECUTE format('CREATE TRIGGER audit_changes AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_change(%L, %L, %L)',
      t.relname, coalesce(keys, ''), coalesce(secrets, ''), coalesce(omitted, ''));
  END LOOP;
END $$;
