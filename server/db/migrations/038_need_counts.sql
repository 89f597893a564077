-- The need sheet's total (X-Total-Count) at district scale: counting half a million needs joined to their
-- households took 250–500 ms of every first page. The needs are also counted in need_counts by their
-- household's community, status, commodity and urgency, kept by triggers as a ledger, as need_map_cells
-- (030) and need_tally (037): each change appends what it adds (+) and takes away (−); reads sum the rows
-- of the filters asked, and pruning folds them. Filters these do not cover (a household, a zone, a search)
-- count the needs themselves, which those filters narrow to a few.
CREATE TABLE need_counts (
  community     text NOT NULL,
  status        text NOT NULL,
  commodity_id  integer NOT NULL,
  urgency       text NOT NULL,
  needs         integer NOT NULL
);
-- Derived from needs and households, which are audited themselves.
INSERT INTO audit_policy (table_name, audited) VALUES ('need_counts', false);

-- A need counted (sign 1) or taken away (−1) as it was, with its household's community.
CREATE TYPE need_counts_change AS (community text, status text, commodity_id integer, urgency text, sign integer);

-- Appends the changes' sums by group, leaving out the groups where they cancel (a delivery that leaves a need open).
CREATE FUNCTION need_counts_count(changes need_counts_change[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO need_counts (community, status, commodity_id, urgency, needs)
  SELECT community, status, commodity_id, urgency, sum(sign)
  FROM unnest(changes)
  GROUP BY 1, 2, 3, 4
  HAVING sum(sign) <> 0
$$;

-- Needs inserted, updated or deleted: as they were (−) and are (+), with their household's community.
CREATE FUNCTION need_counts_needs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes need_counts_change[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    changes := ARRAY(SELECT ROW(h.community, o.status, o.commodity_id, o.urgency, -1)::need_counts_change FROM old_rows o JOIN households h ON h.id = o.household_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    changes := changes || ARRAY(SELECT ROW(h.community, n.status, n.commodity_id, n.urgency, 1)::need_counts_change FROM new_rows n JOIN households h ON h.id = n.household_id);
  END IF;
  PERFORM need_counts_count(changes);
  RETURN NULL;
END $$;
CREATE TRIGGER need_counts_needs_inserted AFTER INSERT ON needs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_counts_needs_changed();
CREATE TRIGGER need_counts_needs_updated AFTER UPDATE ON needs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_counts_needs_changed();
CREATE TRIGGER need_counts_needs_deleted AFTER DELETE ON needs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION need_counts_needs_changed();

-- A household moved to another community: its needs are counted there (other edits add nothing).
CREATE FUNCTION need_counts_households_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM need_counts_count(ARRAY(
    SELECT ROW(h.community, n.status, n.commodity_id, n.urgency, h.sign)::need_counts_change
    FROM (SELECT o.id, o.community, -1 AS sign FROM old_rows o JOIN new_rows c ON c.id = o.id WHERE o.community IS DISTINCT FROM c.community
          UNION ALL
          SELECT c.id, c.community, 1 FROM old_rows o JOIN new_rows c ON c.id = o.id WHERE o.community IS DISTINCT FROM c.community) h
    JOIN needs n ON n.household_id = h.id));
  RETURN NULL;
END $$;
CREATE TRIGGER need_counts_households_updated AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_counts_households_changed();

-- Folds the ledger into one row per group (pruning runs it; rows appended meanwhile stay).
CREATE FUNCTION need_counts_fold() RETURNS integer LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM need_counts RETURNING *),
  kept AS (
    INSERT INTO need_counts
    SELECT community, status, commodity_id, urgency, sum(needs) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(needs) <> 0
    RETURNING 1)
  SELECT count(*)::integer FROM kept
$$;

INSERT INTO need_counts
SELECT h.community, n.status, n.commodity_id, n.urgency, count(*)
FROM needs n JOIN households h ON h.id = n.household_id
GROUP BY 1, 2, 3, 4;
