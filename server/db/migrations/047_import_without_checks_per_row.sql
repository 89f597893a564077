-- A CSV import writes households, their field history and their needs 250 rows a statement; per row, each
-- statement still ran a foreign key's check (a trigger call and a lookup) and its audit rows serialised the
-- row twice (046's audit_rows now reads it once). Both together: −8 % of a batch's database CPU (an import's
-- first 40 batches into a 200,000-household district, replayed on PGlite: 43.8 → 40.3 ms a batch).
--
-- Dropped, since the ids they check are never wrong: a need's and a history entry's household is one its
-- writer inserted or read (locked, for a merge) in the same transaction, a history entry's author is the
-- signed-in user, and no household or user is ever deleted (users are deactivated). Kept: what the import's
-- rows take from their input (a need's commodity, a household's zone).
ALTER TABLE needs DROP CONSTRAINT needs_household_id_fkey;
ALTER TABLE household_field_history DROP CONSTRAINT household_field_history_household_id_fkey;
ALTER TABLE household_field_history DROP CONSTRAINT household_field_history_set_by_fkey;
-- The other way round, a household its needs, history or stops refer to stays undeletable (with 046, which
-- dropped the stops' key, nothing else refused it): checked per deleted household, which is rare, not per
-- row written.
CREATE FUNCTION refuse_deleting_referenced_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT FROM needs WHERE household_id = OLD.id) OR EXISTS (SELECT FROM household_field_history WHERE household_id = OLD.id)
     OR EXISTS (SELECT FROM stops WHERE household_id = OLD.id) THEN
    RAISE EXCEPTION 'household % is still referenced by its needs, history or stops (foreign key)', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER households_referenced_are_kept BEFORE DELETE ON households
  FOR EACH ROW EXECUTE FUNCTION refuse_deleting_referenced_household();

-- The three ledgers a new need counts in (030's map, 037's tally, 038's counts) each joined the inserted needs
-- to their households: one trigger now joins them once for all three (each function below builds the rows
-- its ledger's own trigger built for new needs, which still counts updates and deletes). −5 % of a batch's
-- database CPU in the replay above.
CREATE FUNCTION need_ledgers_needs_inserted() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  map     need_map_change[];
  tally   need_tally_change[];
  counts  need_counts_change[];
BEGIN
  WITH inserted AS MATERIALIZED (
    SELECT n.quantity, n.fulfilled, n.urgency, n.status, n.confirmed, n.commodity_id,
           h.community, h.lat, h.lon, h.infant, h.pregnant, h.elderly_alone, h.disabled, h.chronic_illness
    FROM new_rows n JOIN households h ON h.id = n.household_id)
  SELECT ARRAY(SELECT ROW(community, lat, lon, need_tier(infant, pregnant, elderly_alone, disabled, chronic_illness, urgency), quantity, fulfilled, 1)::need_map_change
               FROM inserted WHERE status = 'open'),
         ARRAY(SELECT ROW(quantity, fulfilled, urgency, elderly_alone, chronic_illness, disabled, pregnant, infant, 1)::need_tally_change
               FROM inserted WHERE status <> 'cancelled' AND confirmed),
         ARRAY(SELECT ROW(community, status, commodity_id, urgency, 1)::need_counts_change FROM inserted)
  INTO map, tally, counts;
  PERFORM need_map_count(map);
  PERFORM need_tally_count(tally);
  PERFORM need_counts_count(counts);
  RETURN NULL;
END $$;
DROP TRIGGER need_map_needs_inserted ON needs;
DROP TRIGGER need_tally_needs_inserted ON needs;
DROP TRIGGER need_counts_needs_inserted ON needs;
CREATE TRIGGER need_ledgers_needs_inserted AFTER INSERT ON needs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_ledgers_needs_inserted();
