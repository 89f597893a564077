-- Routes dispatched from an approved plan: a vehicle route per driver (warehouse → households and
-- sealed-zone gates → back), and a walking route per gate volunteer (gate → doors, trip by trip).
CREATE TABLE routes (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id       integer NOT NULL REFERENCES plans(id),
  driver_id     integer NOT NULL REFERENCES drivers(id),
  kind          text NOT NULL CHECK (kind IN ('vehicle', 'walking')),
  status        text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'accepted', 'picked_up', 'completed', 'cancelled')),
  warehouse_id  integer REFERENCES warehouses(id),
  zone_id       integer REFERENCES zones(id),
  gate_id       integer REFERENCES gates(id),
  departure_s   double precision,
  distance_m    double precision,
  duration_s    double precision,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routes_by_driver ON routes (driver_id, id);
CREATE INDEX routes_by_plan ON routes (plan_id);

CREATE TABLE stops (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  route_id      integer NOT NULL REFERENCES routes(id),
  seq           integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('delivery', 'gate', 'door')),
  household_id  integer REFERENCES households(id),
  gate_id       integer REFERENCES gates(id),
  trip          integer,
  lat           double precision NOT NULL,
  lon           double precision NOT NULL,
  eta_s         double precision,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  reason        text CHECK (reason IN ('nobody_home', 'road_blocked', 'refused', 'other')),
  note          text,
  done_at       timestamptz,
  UNIQUE (route_id, seq)
);

-- What is handed over at a stop: each line one lot's goods for one need. A gate stop carries the goods
-- its volunteers then walk to the doors.
CREATE TABLE stop_items (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stop_id       integer NOT NULL REFERENCES stops(id),
  need_id       integer NOT NULL REFERENCES needs(id),
  lot_id        integer NOT NULL REFERENCES lots(id),
  commodity_id  integer NOT NULL REFERENCES commodities(id),
  quantity      integer NOT NULL CHECK (quantity > 0)
);
CREATE INDEX stop_items_by_stop ON stop_items (stop_id);

CREATE TABLE driver_positions (
  driver_id     integer PRIMARY KEY REFERENCES drivers(id),
  lat           double precision NOT NULL,
  lon           double precision NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
