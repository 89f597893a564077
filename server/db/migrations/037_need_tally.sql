-- The dashboard's fill rates by tier and Gini of fulfilment at district scale: counting half a million needs
-- joined to their households by what was asked and delivered, urgency and flags took most of its answer.
-- The needs that count (confirmed, not cancelled) are also counted in need_tally by those, kept by triggers
-- as a ledger, as the map's need_map_cells (030): each change appends what it adds (+) and takes away (−), so
-- concurrent writers never wait on one another's rows; reads sum the rows, and pruning folds them.
-- The tiers stay the server's to assign (the policy is the solver's), so the flags are kept, not a tier.
CREATE TABLE need_tally (
  quantity         integer NOT NULL,
  fulfilled        integer NOT NULL,
  urgency          text NOT NULL,
  elderly_alone    boolean NOT NULL,
  chronic_illness  boolean NOT NULL,
  disabled         boolean NOT NULL,
  pregnant         boolean NOT NULL,
  infant           boolean NOT NULL,
  needs            integer NOT NULL
);
-- Derived from needs and households, which are audited themselves.
INSERT INTO audit_policy (table_name, audited) VALUES ('need_tally', false);

-- A need counted (sign 1) or taken away (−1) as it was, with its household's flags.
CREATE TYPE need_tally_change AS (quantity integer, fulfilled integer, urgency text, elderly_alone boolean, chronic_illness boolean, disabled boolean, pregnant boolean, infant boolean, sign integer);

-- Appends the changes' sums by group, leaving out the groups where they cancel (an edit of a need's deadline).
CREATE FUNCTION need_tally_count(changes need_tally_change[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO need_tally (quantity, fulfilled, urgency, elderly_alone, chronic_illness, disabled, pregnant, infant, needs)
  SELECT quantity, fulfilled, urgency, elderly_alone, chronic_illness, disabled, pregnant, infant, sum(sign)
  FROM unnest(changes)
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(sign) <> 0
$$;

-- Needs inserted, updated or deleted: those that counted before (−) and after (+), with their household's flags.
CREATE FUNCTION need_tally_needs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes need_tally_change[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    changes := ARRAY(SELECT ROW(o.quantity, o.fulfilled, o.urgency, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant, -1)::need_tally_change
                     FROM old_rows o JOIN households h ON h.id = o.household_id WHERE o.status <> 'cancelled' AND o.confirmed);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    changes := changes || ARRAY(SELECT ROW(n.quantity, n.fulfilled, n.urgency, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant, 1)::need_tally_change
                                FROM new_rows n JOIN households h ON h.id = n.household_id WHERE n.status <> 'cancelled' AND n.confirmed);
  END IF;
  PERFORM need_tally_count(changes);
  RETURN NULL;
END $$;
CREATE TRIGGER need_tally_needs_inserted AFTER INSERT ON needs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_tally_needs_changed();
CREATE TRIGGER need_tally_needs_updated AFTER UPDATE ON needs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_tally_needs_changed();
CREATE TRIGGER need_tally_needs_deleted AFTER DELETE ON needs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION need_tally_needs_changed();

-- A household's flags changed: its counted needs leave the old flags' groups for the new (other edits add nothing).
CREATE FUNCTION need_tally_households_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM need_tally_count(ARRAY(
    SELECT ROW(n.quantity, n.fulfilled, n.urgency, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant, h.sign)::need_tally_change
    FROM (SELECT o.*, -1 AS sign FROM old_rows o JOIN new_rows c ON c.id = o.id
            WHERE (o.elderly_alone, o.chronic_illness, o.disabled, o.pregnant, o.infant) IS DISTINCT FROM (c.elderly_alone, c.chronic_illness, c.disabled, c.pregnant, c.infant)
          UNION ALL
          SELECT c.*, 1 FROM old_rows o JOIN new_rows c ON c.id = o.id
            WHERE (o.elderly_alone, o.chronic_illness, o.disabled, o.pregnant, o.infant) IS DISTINCT FROM (c.elderly_alone, c.chronic_illness, c.disabled, c.pregnant, c.infant)) h
    JOIN needs n ON n.household_id = h.id AND n.status <> 'cancelled' AND n.confirmed));
  RETURN NULL;
END $$;
CREATE TRIGGER need_tally_households_updated AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_tally_households_changed();

-- Folds the ledger into one row per group (pruning runs it; rows appended meanwhile stay).
CREATE FUNCTION need_tally_fold() RETURNS integer LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM need_tally RETURNING *),
  kept AS (
    INSERT INTO need_tally
    SELECT quantity, fulfilled, urgency, elderly_alone, chronic_illness, disabled, pregnant, infant, sum(needs)
    FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(needs) <> 0
    RETURNING 1)
  SELECT count(*)::integer FROM kept
$$;

INSERT INTO need_tally
SELECT n.quantity, n.fulfilled, n.urgency, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant, count(*)
FROM needs n JOIN households h ON h.id = n.household_id WHERE n.status <> 'cancelled' AND n.confirmed
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
