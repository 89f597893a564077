-- A zone's gates by the zone, in order: a zone's page and its edits read and replace them zone by zone, and the
-- road network's check of what changed and the plan's read of open needs take each sealed zone's gates in order
-- (without the index the plan looked up each need's gate in the whole table: 156 s for 447,895 needs at
-- 200,000 households, since read once per zone).
CREATE INDEX gates_by_zone ON gates (zone_id, id);
