-- A dispatch stores tens of thousands of stops and stop items in a few statements: audited row by row, each
-- row ran the audit function (its own plpgsql call and INSERT into the log). A table marked inserts_as_set
-- audits an insert statement once, all its rows in one INSERT … SELECT from the statement's new rows (a
-- transition table); its updates and deletes stay audited row by row. The log's rows are the same as
-- audit_change writes for them: same fields, same request (the setting, or the records' request notes).
ALTER TABLE audit_policy ADD COLUMN inserts_as_set boolean NOT NULL DEFAULT false;
INSERT INTO audit_policy (table_name, audited, inserts_as_set) VALUES ('stops', true, true), ('stop_items', true, true)
  ON CONFLICT (table_name) DO UPDATE SET inserts_as_set = true;

-- Arguments as audit_change's: the primary key's columns, the secret columns, the omitted columns.
CREATE FUNCTION audit_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  context   jsonb := nullif(current_setting('lifeline.request', true), '')::jsonb;
  keys      text[] := string_to_array(TG_ARGV[0], ',');
  secrets   text[] := string_to_array(TG_ARGV[1], ',');
  omitted   text[] := string_to_array(TG_ARGV[2], ',');
BEGIN
  IF context IS NULL AND NOT EXISTS (SELECT FROM audit_requests WHERE table_name = TG_TABLE_NAME) THEN RETURN NULL; END IF;
  INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
  SELECT (c.context ->> 'userId')::integer, c.context ->> 'role', c.context ->> 'method', c.context ->> 'path', c.context ->> 'requestId',
         c.context ->> 'ip', c.context ->> 'device', TG_TABLE_NAME, r.record, 'insert', NULL,
         r.whole || coalesce((SELECT jsonb_object_agg(s, '[secret]'::text) FROM unnest(secrets) AS s WHERE r.whole ? s), '{}')
  FROM (
    SELECT w.whole, w.n,
           CASE WHEN keys && secrets THEN NULL ELSE (SELECT string_agg(w.whole ->> k, ',' ORDER BY ord) FROM unnest(keys) WITH ORDINALITY AS u(k, ord)) END AS record
    FROM (SELECT to_jsonb(i) - omitted AS whole, row_number() OVER () AS n FROM inserted i) w
  ) r
  CROSS JOIN LATERAL (SELECT coalesce(context, (SELECT q.context FROM audit_requests q WHERE q.table_name = TG_TABLE_NAME AND q.record_id = r.record)) AS context) c
  WHERE c.context IS NOT NULL
  ORDER BY r.n;
  RETURN NULL;
END $$;

-- As 016's, with the tables marked inserts_as_set audited on insert by audit_inserts.
CREATE OR REPLACE FUNCTION audit_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t        record;
  keys     text;
  secrets  text;
  omitted  text;
  as_set   boolean;
BEGIN
  FOR t IN
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r'
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS audit_changes ON %I', t.relname);
    EXECUTE format('DROP TRIGGER IF EXISTS audit_inserts ON %I', t.relname);
    CONTINUE WHEN EXISTS (SELECT 1 FROM audit_policy p WHERE p.table_name = t.relname AND NOT p.audited);
    SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey::int2[], a.attnum)) INTO keys
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = t.oid AND i.indisprimary;
    SELECT string_agg(a.attname, ',') INTO secrets FROM pg_attribute a
      WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND (a.attname LIKE '%\_hash' OR a.atttypid = 'bytea'::regtype);
    SELECT array_to_string(p.omit, ','), coalesce(p.inserts_as_set, false) INTO omitted, as_set FROM audit_policy p WHERE p.table_name = t.relname;
    IF coalesce(as_set, false) THEN
      EXECUTE format('CREATE TRIGGER audit_changes AFTER UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_change(%L, %L, %L)',
        t.relname, coalesce(keys, ''), coalesce(secrets, ''), coalesce(omitted, ''));
      EXECUTE format('CREATE TRIGGER audit_inserts AFTER INSERT ON %I REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION audit_inserts(%L, %L, %L)',
        t.relname, coalesce(keys, ''), coalesce(secrets, ''), coalesce(omitted, ''));
    ELSE
      EXECUTE format('CREATE TRIGGER audit_changes AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_change(%L, %L, %L)',
        t.relname, coalesce(keys, ''), coalesce(secrets, ''), coalesce(omitted, ''));
    END IF;
  END LOOP;
END $$;
