-- Lot traceability and recall, and proof of delivery.

-- Each lot's supplier: the donor of the donation it came from, or the vendor it was bought from.
ALTER TABLE lots ADD COLUMN supplier_kind text CHECK (supplier_kind IN ('donor', 'vendor'));
ALTER TABLE lots ADD COLUMN supplier text;
UPDATE lots l SET supplier_kind = 'donor', supplier = d.donor_name FROM donations d WHERE d.id = l.donation_id;

-- A recalled lot is blocked at once: the ledger refuses to reserve or dispatch it (below), so no plan
-- approves it and no route picks it up; what it still has on hand stays there, out of every plan.
ALTER TABLE lots ADD COLUMN recalled_at timestamptz;
ALTER TABLE lots ADD COLUMN recall_reason text;
ALTER TABLE lots ADD COLUMN recalled_by integer REFERENCES users(id);
-- When replacement needs were made for the households that received it (once per recall).
ALTER TABLE lots ADD COLUMN replaced_at timestamptz;
ALTER TABLE lots ADD CONSTRAINT lot_recall_has_reason CHECK ((recalled_at IS NULL) = (recall_reason IS NULL));

CREATE FUNCTION refuse_recalled_lot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind IN ('reserved', 'dispatched') AND EXISTS (SELECT 1 FROM lots WHERE id = NEW.lot_id AND recalled_at IS NOT NULL) THEN
    RAISE EXCEPTION 'lot % is recalled', NEW.lot_id USING ERRCODE = 'restrict_violation', HINT = 'recalled';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER stock_movement_not_of_recalled_lot BEFORE INSERT ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION refuse_recalled_lot();

-- Why a stop failed: also when the volunteer who was to carry it did not show, or its goods were recalled.
ALTER TABLE stops DROP CONSTRAINT stops_reason_check;
ALTER TABLE stops ADD CONSTRAINT stops_reason_check CHECK (reason IN ('nobody_home', 'road_blocked', 'refused', 'volunteer_no_show', 'recalled', 'other'));

-- Proof of delivery: who took the goods (the recipient, a neighbour, the building leader), an optional
-- photo (metadata stripped before it is stored) and signature, and the device's own time and position at
-- the moment of the handover, kept apart from the time the server received it (an offline phone syncs later).
-- A failed stop keeps its device time and position here too, with no receiver.
CREATE TABLE stop_proofs (
  stop_id         integer PRIMARY KEY REFERENCES stops(id),
  handed_to       text CHECK (handed_to IN ('recipient', 'neighbour', 'building_leader')),
  receiver_name   text,
  photo           bytea,
  photo_type      text CHECK (photo_type IN ('image/jpeg', 'image/png', 'image/webp')),
  signature       bytea,
  device_time     timestamptz NOT NULL,
  device_lat      double precision CHECK (device_lat BETWEEN -90 AND 90),
  device_lon      double precision CHECK (device_lon BETWEEN -180 AND 180),
  received_at     timestamptz NOT NULL DEFAULT now(),
  recorded_by     integer NOT NULL REFERENCES users(id),
  CONSTRAINT proof_receiver_named CHECK ((handed_to IS NULL) = (receiver_name IS NULL)),
  CONSTRAINT proof_photo_typed CHECK ((photo IS NULL) = (photo_type IS NULL))
);
