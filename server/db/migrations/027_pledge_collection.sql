-- Pledges collected on pickup routes: a pledged donation may name where to collect it (all three of
-- address, lat and lon, or none), and a vehicle route may stop there: a stop of kind `collection`,
-- tied to its donation, ends `collected` (the goods received into stock) or failed.
ALTER TABLE donations
  ADD COLUMN collection_address text,
  ADD COLUMN collection_lat double precision,
  ADD COLUMN collection_lon double precision,
  ADD CONSTRAINT donations_collection_whole CHECK (
    (collection_address IS NULL) = (collection_lat IS NULL) AND (collection_lat IS NULL) = (collection_lon IS NULL));

ALTER TABLE stops DROP CONSTRAINT stops_kind_check;
ALTER TABLE stops ADD CONSTRAINT stops_kind_check CHECK (kind IN ('delivery', 'gate', 'door', 'collection'));
ALTER TABLE stops DROP CONSTRAINT stops_status_check;
ALTER TABLE stops ADD CONSTRAINT stops_status_check CHECK (status IN ('pending', 'delivered', 'failed', 'collected'));
ALTER TABLE stops ADD COLUMN donation_id integer REFERENCES donations(id);
ALTER TABLE stops ADD CONSTRAINT stops_collection_has_donation CHECK ((kind = 'collection') = (donation_id IS NOT NULL));
ALTER TABLE stops ADD CONSTRAINT stops_collected_is_collection CHECK (status <> 'collected' OR kind = 'collection');
CREATE INDEX stops_by_donation ON stops (donation_id) WHERE donation_id IS NOT NULL;
