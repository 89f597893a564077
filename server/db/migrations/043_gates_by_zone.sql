-- A zone's gates by the zone: the plan reads, for each open need in a sealed zone, its zone's first gate
-- (a subquery per need: without this index each one read the gates table, 2,000 rows in a district),
-- and the road network's check of what changed reads the gates zone by zone.
CREATE INDEX gates_by_zone ON gates (zone_id, id);
