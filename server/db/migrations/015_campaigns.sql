-- Campaigns release a scarce quantity of one commodity to households who ask within a window. At opening
-- the SHA-256 of a secret seed is published; at closing the seed is revealed and the draw (need tier, then
-- a lottery seeded by it) decides. One entry per household per campaign, kept by the primary key, so a
-- repeat or a retry after a crash finds the first entry and its receipt.
CREATE TABLE campaigns (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  commodity_id       integer NOT NULL REFERENCES commodities(id),
  quantity           integer NOT NULL CHECK (quantity > 0),
  opens_at           timestamptz NOT NULL,
  closes_at          timestamptz NOT NULL,
  per_household_cap  integer NOT NULL CHECK (per_household_cap > 0),
  eligibility        jsonb NOT NULL DEFAULT '{}',
  seed               text NOT NULL,
  seed_hash          text NOT NULL,
  created_by         integer NOT NULL REFERENCES users(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  closed_at          timestamptz,
  CHECK (closes_at > opens_at)
);

CREATE TABLE campaign_entries (
  campaign_id   integer NOT NULL REFERENCES campaigns(id),
  household_id  integer NOT NULL REFERENCES households(id),
  receipt       text NOT NULL,
  receipt_hash  text NOT NULL,
  quantity      integer NOT NULL CHECK (quantity > 0),
  tier          integer NOT NULL CHECK (tier > 0),
  via           text NOT NULL CHECK (via IN ('code', 'worker')),
  entered_at    timestamptz NOT NULL DEFAULT now(),
  -- Set by the draw: the place in the draw's order, its outcome and the units awarded (fixed once drawn).
  rank          integer,
  outcome       text CHECK (outcome IN ('won', 'waiting')),
  awarded       integer NOT NULL DEFAULT 0,
  -- Where the entry stands now, and the units promised to it now: a winner whose delivery fails at the door
  -- forfeits them, and they pass to the first on the waiting list.
  given         integer NOT NULL DEFAULT 0,
  status        text NOT NULL DEFAULT 'entered' CHECK (status IN ('entered', 'won', 'waiting', 'forfeited')),
  need_id       integer REFERENCES needs(id),
  PRIMARY KEY (campaign_id, household_id)
);
CREATE INDEX campaign_entries_by_need ON campaign_entries (need_id) WHERE need_id IS NOT NULL;
