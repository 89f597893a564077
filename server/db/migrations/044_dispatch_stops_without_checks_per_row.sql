-- A dispatch's stops and their goods are checked against their route and stop one row at a time: each foreign
-- key is a trigger call and a lookup per row (a 20,000-household dispatch: 29,356 stops and 66,383 goods lines,
-- 1.1 s of these two checks on PGlite in an insert of 8.8 s; ten times that at 200,000). Dropped, since a stop
-- is written only by its route's own save (dispatch, re-plan) with the id that insert returned, a stop's goods
-- only with their stop's, and routes and stops are never deleted. Kept: what the goods and stops point at
-- outside their route (need, lot, commodity, household, gate, pledge).
ALTER TABLE stops DROP CONSTRAINT stops_route_id_fkey;
ALTER TABLE stop_items DROP CONSTRAINT stop_items_stop_id_fkey;
