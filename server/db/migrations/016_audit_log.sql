-- The audit log: every change to a record, with who made it (user and role), through which request
-- (method, path, request id, client address, device), when, and the record's fields before and after.
-- A trigger on each table writes it in the change's own transaction, so no committed change lacks its
-- row and no rolled-back one has one. Like the stock ledger, it is append-only.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer,
  role        text,
  method      text,
  path        text,
  request_id  text,
  ip          text,
  device      text,
  table_name  text NOT NULL,
  record_id   text,
  action      text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  before      jsonb,
  after       jsonb
);
CREATE INDEX audit_log_by_record ON audit_log (table_name, record_id, id);
CREATE INDEX audit_log_by_user ON audit_log (user_id, id);
CREATE INDEX audit_log_by_time ON audit_log (at, id);

CREATE FUNCTION refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER audit_log_is_not_truncated BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();

-- Which tables are audited and which columns are left out of their rows. A table not listed here is
-- audited whole. Bookkeeping that records no one's decision (the live stream, retried answers, sign-in
-- counts) is not; neither is a driver's position, a trail of where a volunteer was every few seconds that
-- an append-only log would keep for ever. A plan's progress, result and snapshot are the optimizer's
-- output, readable from the plan itself. A later migration adds its own tables' lines here.
CREATE TABLE audit_policy (
  table_name  text PRIMARY KEY,
  audited     boolean NOT NULL DEFAULT true,
  omit        text[] NOT NULL DEFAULT '{}'
);
INSERT INTO audit_policy (table_name, audited, omit) VALUES
  ('audit_log', false, '{}'),
  ('audit_policy', false, '{}'),
  ('schema_migrations', false, '{}'),
  ('live_events', false, '{}'),
  ('live_recipients', false, '{}'),
  ('live_stream', false, '{}'),
  ('live_pruned', false, '{}'),
  ('socket_io_attachments', false, '{}'),
  ('idempotent_replies', false, '{}'),
  ('login_attempts', false, '{}'),
  ('driver_positions', false, '{}'),
  ('plans', true, '{progress,result,snapshot}');

-- One row per changed record. Arguments: the primary key's columns, the secret columns (stored hashes,
-- binary data: shown as "[secret]" when they change, never copied), the omitted columns; each a
-- comma-separated list. The request's context comes from the transaction setting lifeline.request (set by
-- the server for each write request). A change made outside any request is the system's own, not a person's
-- (loading the demo, start-up recovery, hourly pruning): it is not logged.
CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  context   jsonb := nullif(current_setting('lifeline.request', true), '')::jsonb;
  keys      text[] := string_to_array(TG_ARGV[0], ',');
  secrets   text[] := string_to_array(TG_ARGV[1], ',');
  omitted   text[] := string_to_array(TG_ARGV[2], ',');
  old_row   jsonb;
  new_row   jsonb;
  whole     jsonb;
  secret    text;
  record    text;
BEGIN
  IF context IS NULL THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - omitted; END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - omitted; END IF;
  whole := coalesce(new_row, old_row);
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(k, old_row -> k), jsonb_object_agg(k, new_row -> k) INTO old_row, new_row
      FROM jsonb_object_keys(new_row) AS k WHERE old_row -> k IS DISTINCT FROM new_row -> k;
    IF new_row IS NULL THEN RETURN NULL; END IF;
  END IF;
  FOREACH secret IN ARRAY secrets LOOP
    IF old_row ? secret THEN old_row := jsonb_set(old_row, ARRAY[secret], '"[secret]"'); END IF;
    IF new_row ? secret THEN new_row := jsonb_set(new_row, ARRAY[secret], '"[secret]"'); END IF;
  END LOOP;
  -- A record known by a secret (a session's token hash, an access code's hash) is named by no id.
  IF NOT keys && secrets THEN
    SELECT string_agg(whole ->> k, ',' ORDER BY ord) INTO record FROM unnest(keys) WITH ORDINALITY AS u(k, ord);
  END IF;
  INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
  VALUES ((context ->> 'userId')::integer, context ->> 'role', context ->> 'method', context ->> 'path', context ->> 'requestId',
          context ->> 'ip', context ->> 'device', TG_TABLE_NAME, record, lower(TG_OP), old_row, new_row);
  RETURN NULL;
END $$;

-- (Re)attaches the audit trigger to every table of the schema that the policy audits, with its key, secret
-- and omitted columns as they are now. Run after each batch of migrations, so new tables are audited too.
CREATE FUNCTION audit_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t        record;
  keys     text;
  secrets  text;
  omitted  text;
BEGIN
  FOR t IN
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r'
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS audit_changes ON %I', t.relname);
    CONTINUE WHEN EXISTS (SELECT 1 FROM audit_policy p WHERE p.table_name = t.relname AND NOT p.audited);
    SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey::int2[], a.attnum)) INTO keys
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = t.oid AND i.indisprimary;
    SELECT string_agg(a.attname, ',') INTO secrets FROM pg_attribute a
      WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND (a.attname LIKE '%\_hash' OR a.atttypid = 'bytea'::regtype);
    SELECT array_to_string(p.omit, ',') INTO omitted FROM audit_policy p WHERE p.table_name = t.relname;
    EXECUTE format('CREATE TRIGGER audit_changes AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_change(%L, %L, %L)',
      t.relname, coalesce(keys, ''), coalesce(secrets, ''), coalesce(omitted, ''));
  END LOOP;
END $$;
