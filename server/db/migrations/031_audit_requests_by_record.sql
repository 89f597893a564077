-- One statement may write the records of many requests (a grouped batch's pledges, server/donations): it
-- cannot set one request setting for them all, so it notes each record's request here, by table and key, in
-- the same statement, and the audit trigger reads it for an insert made with no request setting. An insert
-- happens once per key (identity keys are never reused), so a later change is never taken for it. Only the
-- statement itself needs the note: notes are pruned after an hour (server/prune.ts).
CREATE TABLE audit_requests (
  table_name  text NOT NULL,
  record_id   text NOT NULL,
  context     jsonb NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_name, record_id)
);
CREATE INDEX audit_requests_by_time ON audit_requests (at);
INSERT INTO audit_policy (table_name, audited) VALUES ('audit_requests', false);

CREATE OR REPLACE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
  -- Without a request setting, only an insert into a table with notes may be a request's (one index probe).
  IF context IS NULL AND (TG_OP <> 'INSERT' OR NOT EXISTS (SELECT FROM audit_requests WHERE table_name = TG_TABLE_NAME)) THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - omitted; END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - omitted; END IF;
  whole := coalesce(new_row, old_row);
  -- A record known by a secret (a session's token hash, an access code's hash) is named by no id.
  IF NOT keys && secrets THEN
    SELECT string_agg(whole ->> k, ',' ORDER BY ord) INTO record FROM unnest(keys) WITH ORDINALITY AS u(k, ord);
  END IF;
  IF context IS NULL THEN
    SELECT r.context INTO context FROM audit_requests r WHERE r.table_name = TG_TABLE_NAME AND r.record_id = record;
    IF context IS NULL THEN RETURN NULL; END IF;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(k, old_row -> k), jsonb_object_agg(k, new_row -> k) INTO old_row, new_row
      FROM jsonb_object_keys(new_row) AS k WHERE old_row -> k IS DISTINCT FROM new_row -> k;
    IF new_row IS NULL THEN RETURN NULL; END IF;
  END IF;
  FOREACH secret IN ARRAY secrets LOOP
    IF old_row ? secret THEN old_row := jsonb_set(old_row, ARRAY[secret], '"[secret]"'); END IF;
    IF new_row ? secret THEN new_row := jsonb_set(new_row, ARRAY[secret], '"[secret]"'); END IF;
  END LOOP;
  INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
  VALUES ((context ->> 'userId')::integer, context ->> 'role', context ->> 'method', context ->> 'path', context ->> 'requestId',
          context ->> 'ip', context ->> 'device', TG_TABLE_NAME, record, lower(TG_OP), old_row, new_row);
  RETURN NULL;
END $$;
