-- Lists and dashboards at district scale (200,000 households, half a million needs): the need sheet reads a
-- household's needs of any status and pages needs by status, and the planner needs statistics to choose
-- hash joins over nested loops (PGlite has no autovacuum: without ANALYZE a freshly loaded district is
-- estimated at a few hundred rows and a count over the need sheet took seconds).
CREATE INDEX needs_by_household ON needs (household_id, id);
CREATE INDEX needs_by_status ON needs (status, id);
ANALYZE;
