-- Road closures and checkpoints, with who closed them and why; lifting one keeps the record.
CREATE TABLE closures (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lat          double precision NOT NULL,
  lon          double precision NOT NULL,
  radius_m     double precision NOT NULL CHECK (radius_m > 0),
  layer        text NOT NULL DEFAULT 'drive' CHECK (layer IN ('drive', 'walk')),
  slow_factor  double precision CHECK (slow_factor >= 1),
  reason       text NOT NULL,
  created_by   integer REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  lifted_at    timestamptz,
  lifted_by    integer REFERENCES users(id),
  lift_reason  text
);
