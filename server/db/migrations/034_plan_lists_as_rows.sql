-- A plan's per-need lists (its unmet needs with their reasons, every need's fulfilment) as rows instead of
-- two arrays inside plans.result: a district's plan holds hundreds of thousands of entries (23 MB of JSON at
-- 20,000 households, mostly the reasons), which one jsonb value parsed whole at every save, and which a
-- resident's page scanned whole to find one need's reason. Pages of a list are now an index range.
CREATE TABLE plan_unmet (
  plan_id  integer NOT NULL REFERENCES plans(id),
  ord      integer NOT NULL,
  need_id  integer NOT NULL,
  entry    jsonb NOT NULL,
  PRIMARY KEY (plan_id, ord)
);
CREATE INDEX plan_unmet_by_need ON plan_unmet (plan_id, need_id);

CREATE TABLE plan_fulfilment (
  plan_id  integer NOT NULL REFERENCES plans(id),
  ord      integer NOT NULL,
  need_id  integer NOT NULL,
  entry    jsonb NOT NULL,
  PRIMARY KEY (plan_id, ord)
);

-- The solver's output, as plans.result is left out of the audit (016).
INSERT INTO audit_policy (table_name, audited) VALUES ('plan_unmet', false), ('plan_fulfilment', false)
  ON CONFLICT (table_name) DO UPDATE SET audited = false;

INSERT INTO plan_unmet (plan_id, ord, need_id, entry)
  SELECT p.id, e.ord - 1, (e.entry ->> 'needId')::integer, e.entry
  FROM plans p CROSS JOIN LATERAL jsonb_array_elements(p.result -> 'unmet') WITH ORDINALITY AS e(entry, ord)
  WHERE jsonb_typeof(p.result -> 'unmet') = 'array';
INSERT INTO plan_fulfilment (plan_id, ord, need_id, entry)
  SELECT p.id, e.ord - 1, (e.entry ->> 'needId')::integer, e.entry
  FROM plans p CROSS JOIN LATERAL jsonb_array_elements(p.result -> 'fulfilment') WITH ORDINALITY AS e(entry, ord)
  WHERE jsonb_typeof(p.result -> 'fulfilment') = 'array';
UPDATE plans SET result = result - 'unmet' - 'fulfilment' WHERE result ? 'unmet' OR result ? 'fulfilment';
