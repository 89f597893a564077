-- The ledgers kept by statement triggers (the map's cells, the dashboard's tally, the need sheet's counts, the
-- delivery times) join the rows a statement changed to the tables they describe. A statement's rows have no
-- statistics, so the planner guessed a thousand and hashed the whole table to join them: every batch of an
-- import hashed all households (87 ms at 20,000 of them for 350 needs, where looking them up by key took 2-7
-- ms; ten times that at 200,000), every delivery all stop lines and needs. These functions look rows up by
-- their keys instead.
ALTER FUNCTION need_map_needs_changed() SET enable_hashjoin = off;
ALTER FUNCTION need_map_needs_changed() SET enable_mergejoin = off;
ALTER FUNCTION need_map_households_changed() SET enable_hashjoin = off;
ALTER FUNCTION need_map_households_changed() SET enable_mergejoin = off;
ALTER FUNCTION need_tally_needs_changed() SET enable_hashjoin = off;
ALTER FUNCTION need_tally_needs_changed() SET enable_mergejoin = off;
ALTER FUNCTION need_tally_households_changed() SET enable_hashjoin = off;
ALTER FUNCTION need_tally_households_changed() SET enable_mergejoin = off;
ALTER FUNCTION need_counts_needs_changed() SET enable_hashjoin = off;
ALTER FUNCTION need_counts_needs_changed() SET enable_mergejoin = off;
ALTER FUNCTION need_counts_households_changed() SET enable_hashjoin = off;
ALTER FUNCTION need_counts_households_changed() SET enable_mergejoin = off;
ALTER FUNCTION delivery_times_stops_changed() SET enable_hashjoin = off;
ALTER FUNCTION delivery_times_stops_changed() SET enable_mergejoin = off;
