-- Lifeline's records: people and roles, warehouses, commodities, the stock ledger, donations,
-- households and their needs, zones with gates, drivers and gate volunteers, idempotent replies.

CREATE TABLE users (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  phone         text,
  role          text NOT NULL CHECK (role IN ('admin', 'coordinator', 'charity', 'community', 'driver')),
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE warehouses (
  id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                text NOT NULL,
  address             text NOT NULL,
  lat                 double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon                 double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  opening_hours       text NOT NULL DEFAULT '08:00-20:00',
  capacity_weight_kg  double precision NOT NULL CHECK (capacity_weight_kg >= 0),
  capacity_volume_m3  double precision NOT NULL CHECK (capacity_volume_m3 >= 0),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commodities (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  unit        text NOT NULL,
  weight_kg   double precision NOT NULL CHECK (weight_kg >= 0),
  volume_m3   double precision NOT NULL CHECK (volume_m3 >= 0),
  perishable  boolean NOT NULL DEFAULT false,
  category    text NOT NULL CHECK (category IN ('food', 'water', 'medicine', 'hygiene', 'infant', 'shelter', 'other')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE donations (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tracking_code  text NOT NULL UNIQUE,
  donor_name     text NOT NULL,
  donor_contact  text,
  charity_user_id integer NOT NULL REFERENCES users(id),
  warehouse_id   integer NOT NULL REFERENCES warehouses(id),
  status         text NOT NULL DEFAULT 'pledged' CHECK (status IN ('pledged', 'received')),
  note           text,
  pledged_at     timestamptz NOT NULL DEFAULT now(),
  received_at    timestamptz,
  received_by    integer REFERENCES users(id)
);

-- A lot is one batch of one commodity in one warehouse. Its balances are maintained by the ledger
-- trigger below and the CHECKs make the database itself refuse any movement that would oversell.
CREATE TABLE lots (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  warehouse_id  integer NOT NULL REFERENCES warehouses(id),
  commodity_id  integer NOT NULL REFERENCES commodities(id),
  lot_code      text NOT NULL,
  expires_on    date,
  donation_id   integer REFERENCES donations(id),
  on_hand       integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved      integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  in_transit    integer NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lot_reserved_within_on_hand CHECK (reserved <= on_hand),
  UNIQUE (warehouse_id, commodity_id, lot_code)
);
CREATE INDEX lots_by_commodity ON lots (commodity_id, warehouse_id);

CREATE TABLE donation_items (
  id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  donation_id       integer NOT NULL REFERENCES donations(id),
  commodity_id      integer NOT NULL REFERENCES commodities(id),
  quantity_pledged  integer NOT NULL CHECK (quantity_pledged > 0),
  quantity_accepted integer CHECK (quantity_accepted >= 0),
  quantity_rejected integer CHECK (quantity_rejected >= 0),
  rejection_reason  text,
  lot_id            integer REFERENCES lots(id)
);
CREATE INDEX donation_items_by_donation ON donation_items (donation_id);

-- The append-only stock ledger. Each kind moves quantity between a lot's buckets:
--   received +on_hand · reserved +reserved · released −reserved · dispatched −on_hand −reserved +in_transit
--   delivered −in_transit · returned −in_transit +on_hand · spoiled −on_hand · adjusted ±on_hand
CREATE TABLE stock_movements (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lot_id       integer NOT NULL REFERENCES lots(id),
  kind         text NOT NULL CHECK (kind IN ('received', 'reserved', 'released', 'dispatched', 'delivered', 'returned', 'spoiled', 'adjusted')),
  quantity     integer NOT NULL CHECK (quantity <> 0 AND (kind = 'adjusted' OR quantity > 0)),
  reason       text,
  plan_id      integer,
  stop_id      integer,
  need_id      integer,
  actor_id     integer REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_by_lot ON stock_movements (lot_id, id);

CREATE FUNCTION apply_stock_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lots SET
    on_hand = on_hand + CASE NEW.kind
      WHEN 'received' THEN NEW.quantity WHEN 'returned' THEN NEW.quantity WHEN 'adjusted' THEN NEW.quantity
      WHEN 'dispatched' THEN -NEW.quantity WHEN 'spoiled' THEN -NEW.quantity ELSE 0 END,
    reserved = reserved + CASE NEW.kind
      WHEN 'reserved' THEN NEW.quantity WHEN 'released' THEN -NEW.quantity WHEN 'dispatched' THEN -NEW.quantity ELSE 0 END,
    in_transit = in_transit + CASE NEW.kind
      WHEN 'dispatched' THEN NEW.quantity WHEN 'delivered' THEN -NEW.quantity WHEN 'returned' THEN -NEW.quantity ELSE 0 END
  WHERE id = NEW.lot_id;
  RETURN NEW;
END $$;

CREATE TRIGGER stock_movement_applies AFTER INSERT ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION apply_stock_movement();

CREATE FUNCTION refuse_ledger_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the stock ledger is append-only' USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER stock_ledger_is_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_rewrite();

CREATE TABLE zones (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  polygon      jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('sealed', 'controlled', 'precaution', 'open')),
  status_on    date NOT NULL DEFAULT CURRENT_DATE,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE zone_status_history (
  id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone_id    integer NOT NULL REFERENCES zones(id),
  status     text NOT NULL,
  status_on  date NOT NULL,
  note       text,
  set_by     integer REFERENCES users(id),
  set_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gates (
  id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone_id  integer NOT NULL REFERENCES zones(id),
  name     text NOT NULL,
  lat      double precision NOT NULL,
  lon      double precision NOT NULL
);

-- Households are merged by normalised address and phone, so that the same family reported by
-- several sources is counted once.
CREATE TABLE households (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name             text NOT NULL,
  address          text NOT NULL,
  address_key      text NOT NULL,
  phone            text,
  phone_key        text NOT NULL DEFAULT '',
  lat              double precision NOT NULL,
  lon              double precision NOT NULL,
  people           integer NOT NULL CHECK (people > 0),
  community        text NOT NULL,
  zone_id          integer REFERENCES zones(id),
  elderly_alone    boolean NOT NULL DEFAULT false,
  chronic_illness  boolean NOT NULL DEFAULT false,
  disabled         boolean NOT NULL DEFAULT false,
  pregnant         boolean NOT NULL DEFAULT false,
  infant           boolean NOT NULL DEFAULT false,
  notes            text,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (address_key, phone_key)
);
CREATE INDEX households_by_community ON households (community);

-- Where each household field's current value came from, and every value it ever had: an import
-- never silently overwrites a value that a person corrected by hand.
CREATE TABLE household_field_history (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id  integer NOT NULL REFERENCES households(id),
  field         text NOT NULL,
  value         jsonb,
  source        text NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('applied', 'kept_manual')),
  set_by        integer REFERENCES users(id),
  set_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX household_field_history_by_household ON household_field_history (household_id, field, id);

CREATE TABLE needs (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id  integer NOT NULL REFERENCES households(id),
  commodity_id  integer NOT NULL REFERENCES commodities(id),
  quantity      integer NOT NULL CHECK (quantity > 0),
  fulfilled     integer NOT NULL DEFAULT 0 CHECK (fulfilled >= 0),
  urgency       text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('low', 'normal', 'high', 'critical')),
  deadline      date,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fulfilled', 'cancelled')),
  sources       text[] NOT NULL DEFAULT '{}',
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT need_fulfilled_within_quantity CHECK (fulfilled <= quantity)
);
-- One open need per household and commodity: a second report of it merges into the first.
CREATE UNIQUE INDEX needs_one_open_per_household_commodity ON needs (household_id, commodity_id) WHERE status = 'open';

CREATE TABLE drivers (
  id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id             integer UNIQUE REFERENCES users(id),
  name                text NOT NULL,
  phone               text,
  kind                text NOT NULL CHECK (kind IN ('driver', 'gate_volunteer')),
  vehicle_type        text NOT NULL CHECK (vehicle_type IN ('car', 'van', 'cargo_bike', 'on_foot')),
  capacity_weight_kg  double precision NOT NULL CHECK (capacity_weight_kg > 0),
  capacity_volume_m3  double precision NOT NULL CHECK (capacity_volume_m3 > 0),
  shift_start         text NOT NULL,
  shift_end           text NOT NULL,
  home_warehouse_id   integer REFERENCES warehouses(id),
  zone_id             integer REFERENCES zones(id),
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT driver_shift_ordered CHECK (shift_start < shift_end)
);

-- The first reply to a create request, replayed for retries that carry the same Idempotency-Key.
CREATE TABLE idempotent_replies (
  user_id       integer NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status        integer,
  body          jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
