-- The dashboard's time to delivery at district scale: averaging over every delivered item joined to its need
-- read every stop of the day (a sequential scan of 113,000 stops before a single delivery at 200,000
-- households, and a join of every item delivered by its end). Each delivered item's hours from its need's
-- report to the delivery are also summed in delivery_times, kept by a trigger on stops as a ledger, as
-- need_tally (037): each change appends what it adds and takes away; the read sums the rows, pruning folds them.
-- A delivered stop's goods and a need's report time never change afterwards, so the stops alone are followed.
CREATE TABLE delivery_times (
  items  integer NOT NULL,
  hours  double precision NOT NULL
);
-- Derived from stops, stop_items and needs.
INSERT INTO audit_policy (table_name, audited) VALUES ('delivery_times', false);

-- Stops updated (stops are never deleted): the delivered ones whose delivery changed (a stop delivered now, in
-- practice) come off as they were (−) and on as they are (+); a stop moved to another route or renumbered adds nothing.
CREATE FUNCTION delivery_times_stops_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_times (items, hours)
  SELECT sum(c.sign), coalesce(sum(c.sign * extract(epoch FROM c.done_at - n.created_at) / 3600), 0)
  FROM (SELECT o.id, o.done_at, -1 AS sign FROM old_rows o JOIN new_rows s ON s.id = o.id
          WHERE o.status = 'delivered' AND o.kind IN ('delivery', 'door') AND (s.status, s.kind, s.done_at) IS DISTINCT FROM (o.status, o.kind, o.done_at)
        UNION ALL
        SELECT s.id, s.done_at, 1 FROM old_rows o JOIN new_rows s ON s.id = o.id
          WHERE s.status = 'delivered' AND s.kind IN ('delivery', 'door') AND (s.status, s.kind, s.done_at) IS DISTINCT FROM (o.status, o.kind, o.done_at)) c
  JOIN stop_items si ON si.stop_id = c.id JOIN needs n ON n.id = si.need_id
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
CREATE TRIGGER delivery_times_stops_updated AFTER UPDATE ON stops REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_times_stops_changed();

-- Folds the ledger into one row (pruning runs it; rows appended meanwhile stay).
CREATE FUNCTION delivery_times_fold() RETURNS integer LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM delivery_times RETURNING *),
  kept AS (INSERT INTO delivery_times SELECT sum(items), sum(hours) FROM gone HAVING sum(items) <> 0 RETURNING 1)
  SELECT count(*)::integer FROM kept
$$;

INSERT INTO delivery_times (items, hours)
SELECT count(*), coalesce(sum(extract(epoch FROM s.done_at - n.created_at) / 3600), 0)
FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN needs n ON n.id = si.need_id
WHERE s.status = 'delivered' AND s.kind IN ('delivery', 'door')
HAVING count(*) > 0;
