-- A dispatch's goods lines and stops are still checked one row at a time against what they point at outside their
-- route (044 kept those keys): three checks per goods line (need, lot, commodity) and one per stop (household),
-- each a trigger call and a lookup. At 200,000 households (PGlite) the goods lines' insert took 14.5 s of CPU with
-- them and 7.2 s without, the stops' 6.8 s and 5.7 s.
-- Dropped, since what a stop and its goods point at is already guaranteed where they are written from:
-- - a dispatch's goods are its plan's allocations, whose need and lot keep their keys (042); the commodity is
--   the lot's own (lots.commodity_id), the household the need's (needs.household_id); and an allocation is never
--   deleted, so those keys go on refusing the deletion of a need or lot on a stop, and through them of its
--   household and commodity;
-- - a re-plan's urgent stop takes its need, lot and household from the rows it has just read in its
--   transaction (urgentLine), and its lot's reservation (stock_movements.lot_id) keeps the lot.
-- No user action deletes a household, need, lot or commodity (a need ends fulfilled or cancelled, and stays). Kept: a stop's
-- gate, which a coordinator does delete when replacing a zone's gates, and its pledge.
ALTER TABLE stop_items DROP CONSTRAINT stop_items_need_id_fkey;
ALTER TABLE stop_items DROP CONSTRAINT stop_items_lot_id_fkey;
ALTER TABLE stop_items DROP CONSTRAINT stop_items_commodity_id_fkey;
ALTER TABLE stops DROP CONSTRAINT stops_household_id_fkey;
-- A dispatch stores thousands of routes in a few statements: audited by statement (032's audit_rows, the same
-- log rows) rather than a PL/pgSQL call and an INSERT per route (4,341 routes: 0.81 → 0.52 s).
INSERT INTO audit_policy (table_name, by_statement) VALUES ('routes', true)
  ON CONFLICT (table_name) DO UPDATE SET by_statement = true;
