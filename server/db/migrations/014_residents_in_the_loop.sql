-- Residents in the loop: households ask for items from a catalogue coordinators open to them, people not yet
-- known ask to be registered, and the community worker confirms both before they count.

-- The catalogue open to residents, and how much they may ask for: per household (one request) and per day (all
-- households of the operation together). NULL: no limit.
ALTER TABLE commodities ADD COLUMN resident_open boolean NOT NULL DEFAULT false;
ALTER TABLE commodities ADD COLUMN resident_max_per_household integer CHECK (resident_max_per_household > 0);
ALTER TABLE commodities ADD COLUMN resident_max_per_day integer CHECK (resident_max_per_day > 0);

-- A need a resident asked for counts in plans only once a community worker confirmed it (confirmed). A resident
-- asking more of an open need never changes its quantity: the larger quantity waits in `requested` for the
-- worker, so a worker's correction stands until a worker says otherwise.
ALTER TABLE needs ADD COLUMN confirmed boolean NOT NULL DEFAULT true;
ALTER TABLE needs ADD COLUMN requested integer CHECK (requested > 0);
CREATE INDEX needs_awaiting_confirmation ON needs (household_id) WHERE status = 'open' AND (NOT confirmed OR requested IS NOT NULL);

-- What residents asked for, one row per household, commodity and day (a second ask that day updates it: a retry
-- or a double tap never counts twice against the day's limit). An urgent medical flag waits for the worker.
CREATE TABLE resident_requests (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id  integer NOT NULL REFERENCES households(id),
  commodity_id  integer NOT NULL REFERENCES commodities(id),
  need_id       integer NOT NULL REFERENCES needs(id),
  quantity      integer NOT NULL CHECK (quantity > 0),
  asked_on      date NOT NULL DEFAULT current_date,
  urgent        text CHECK (urgent IN ('pending', 'confirmed', 'declined')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (household_id, commodity_id, asked_on)
);
CREATE INDEX resident_requests_by_day ON resident_requests (commodity_id, asked_on);
CREATE INDEX resident_requests_urgent ON resident_requests (need_id) WHERE urgent = 'pending';

-- People not yet known asking to be registered. The reference they follow their request with is stored only as
-- its SHA-256 (as access codes are). No client address is kept.
CREATE TABLE registrations (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference_hash   text NOT NULL UNIQUE,
  name             text NOT NULL,
  address          text NOT NULL,
  address_key      text NOT NULL,
  phone            text,
  phone_key        text NOT NULL DEFAULT '',
  people           integer NOT NULL CHECK (people > 0),
  community        text NOT NULL,
  elderly_alone    boolean NOT NULL DEFAULT false,
  chronic_illness  boolean NOT NULL DEFAULT false,
  disabled         boolean NOT NULL DEFAULT false,
  pregnant         boolean NOT NULL DEFAULT false,
  infant           boolean NOT NULL DEFAULT false,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'merged', 'rejected')),
  household_id     integer REFERENCES households(id),
  decided_by       integer REFERENCES users(id),
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT registration_decided CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX registrations_pending ON registrations (community) WHERE status = 'pending';
CREATE INDEX households_by_phone_key ON households (phone_key) WHERE phone_key <> '';
