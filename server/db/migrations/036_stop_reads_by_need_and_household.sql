-- A district's dispatch stores a stop item per need on a vehicle's gate stop and again on the door visit that
-- walks it in (66,000 at 20,000 households). Reads that find items by their need scanned them all: a door
-- delivered looks up the gate stop that brought its goods (240 ms on PGlite at 20,000 households, for each of
-- tens of thousands of doors), a failed gate stop the doors it fed (530 ms), and a resident's page its needs' legs.
CREATE INDEX stop_items_by_need ON stop_items (need_id, lot_id);
-- A household's deliveries (its page for the community worker) scanned every stop.
CREATE INDEX stops_by_household ON stops (household_id) WHERE household_id IS NOT NULL;
-- Dispatch refreshes these statistics whenever it stores routes; a database dispatched before gets them here.
ANALYZE routes, stops, stop_items;
