-- The coordinator's map at district scale (200,000 households, half a million needs). Zoomed out, a view
-- holds the whole district: summing its needs row by row took seconds, so the open needs are also counted
-- in need_map_cells by square cells of the map (64 pixels at zoom 16), community and tier, kept by triggers.
-- That table is a ledger: each change of needs or households appends what it adds (+) and takes away (−),
-- so concurrent writers never wait on one another's cells; reads sum the rows, and pruning folds them.
-- Zoomed in, the map reads the needs of its few streets directly, by the households' place.
CREATE INDEX households_by_place ON households (lat, lon);

-- A need's tier as the allocation's default policy sets it (solver/allocation/policy.ts): infants and
-- pregnancy 1; elderly alone, disabled, chronically ill 2; everyone else 3; a critical need one tier up.
CREATE FUNCTION need_tier(infant boolean, pregnant boolean, elderly_alone boolean, disabled boolean, chronic_illness boolean, urgency text)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT GREATEST(1, CASE WHEN infant OR pregnant THEN 1 WHEN elderly_alone OR disabled OR chronic_illness THEN 2 ELSE 3 END
    - CASE WHEN urgency = 'critical' THEN 1 ELSE 0 END)
$$;

-- The column and row of a point's cell when the world is `cells` cells wide (Web Mercator; 2^(zoom+2)
-- cells of 64 pixels at a zoom). Latitudes past Web Mercator's ±85.05° lie in its first and last rows.
CREATE FUNCTION map_cell_x(lon double precision, cells double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT floor((lon + 180) / 360 * cells)::integer
$$;
CREATE FUNCTION map_cell_y(lat double precision, cells double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT floor((0.5 - ln((1 + sin(radians(l))) / (1 - sin(radians(l)))) / (4 * pi())) * cells)::integer
  FROM (SELECT LEAST(85.0511, GREATEST(-85.0511, lat)) AS l) p
$$;

-- Every open need as the map counts it: its household's community and place, its tier, what it asks and got.
CREATE VIEW need_map_points AS
  SELECT n.id, h.name AS household, h.community, h.lat, h.lon,
         need_tier(h.infant, h.pregnant, h.elderly_alone, h.disabled, h.chronic_illness, n.urgency) AS tier, n.quantity, n.fulfilled
  FROM needs n JOIN households h ON h.id = n.household_id
  WHERE n.status = 'open';

-- gx, gy: the cell at zoom 16 (2^18 cells around the world); a cell at a lower zoom z is (gx, gy) >> (16 − z).
CREATE TABLE need_map_cells (
  community  text NOT NULL,
  gx         integer NOT NULL,
  gy         integer NOT NULL,
  tier       integer NOT NULL,
  needs      integer NOT NULL,
  quantity   bigint NOT NULL,
  fulfilled  bigint NOT NULL,
  lat_sum    double precision NOT NULL,
  lon_sum    double precision NOT NULL
);
CREATE INDEX need_map_cells_by_cell ON need_map_cells (gx, gy);
-- Derived from needs and households, which are audited themselves.
INSERT INTO audit_policy (table_name, audited) VALUES ('need_map_cells', false);

-- An open need counted (sign 1) or taken away (−1) as it was: where, of which community and tier, how much.
CREATE TYPE need_map_change AS (community text, lat double precision, lon double precision, tier integer, quantity integer, fulfilled integer, sign integer);

-- Appends the changes' sums by cell, leaving out the cells where they cancel (an edit of a need's note).
CREATE FUNCTION need_map_count(changes need_map_change[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO need_map_cells (community, gx, gy, tier, needs, quantity, fulfilled, lat_sum, lon_sum)
  SELECT community, map_cell_x(lon, 262144), map_cell_y(lat, 262144), tier,
         sum(sign), sum(sign * quantity), sum(sign * fulfilled), sum(sign * lat), sum(sign * lon)
  FROM unnest(changes)
  GROUP BY 1, 2, 3, 4
  HAVING sum(sign) <> 0 OR sum(sign * quantity) <> 0 OR sum(sign * fulfilled) <> 0 OR sum(sign * lat) <> 0 OR sum(sign * lon) <> 0
$$;

-- Needs inserted, updated or deleted: the open ones before (−) and after (+), at their household's place.
CREATE FUNCTION need_map_needs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes need_map_change[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    changes := ARRAY(SELECT ROW(h.community, h.lat, h.lon, need_tier(h.infant, h.pregnant, h.elderly_alone, h.disabled, h.chronic_illness, o.urgency), o.quantity, o.fulfilled, -1)::need_map_change
                     FROM old_rows o JOIN households h ON h.id = o.household_id WHERE o.status = 'open');
  END IF;
  IF TG_OP <> 'DELETE' THEN
    changes := changes || ARRAY(SELECT ROW(h.community, h.lat, h.lon, need_tier(h.infant, h.pregnant, h.elderly_alone, h.disabled, h.chronic_illness, n.urgency), n.quantity, n.fulfilled, 1)::need_map_change
                                FROM new_rows n JOIN households h ON h.id = n.household_id WHERE n.status = 'open');
  END IF;
  PERFORM need_map_count(changes);
  RETURN NULL;
END $$;
CREATE TRIGGER need_map_needs_inserted AFTER INSERT ON needs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_map_needs_changed();
CREATE TRIGGER need_map_needs_updated AFTER UPDATE ON needs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_map_needs_changed();
CREATE TRIGGER need_map_needs_deleted AFTER DELETE ON needs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION need_map_needs_changed();

-- A household moved, changed community or flags: its open needs leave the old cell and tier for the new.
CREATE FUNCTION need_map_households_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM need_map_count(ARRAY(
    SELECT ROW(h.community, h.lat, h.lon, need_tier(h.infant, h.pregnant, h.elderly_alone, h.disabled, h.chronic_illness, n.urgency), n.quantity, n.fulfilled, h.sign)::need_map_change
    FROM (SELECT *, -1 AS sign FROM old_rows UNION ALL SELECT *, 1 FROM new_rows) h
    JOIN needs n ON n.household_id = h.id AND n.status = 'open'));
  RETURN NULL;
END $$;
CREATE TRIGGER need_map_households_updated AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_map_households_changed();

-- Folds the ledger into one row per cell, community and tier (pruning runs it; rows appended meanwhile stay).
CREATE FUNCTION need_map_fold() RETURNS integer LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM need_map_cells RETURNING *),
  kept AS (
    INSERT INTO need_map_cells
    SELECT community, gx, gy, tier, sum(needs), sum(quantity), sum(fulfilled), sum(lat_sum), sum(lon_sum)
    FROM gone GROUP BY community, gx, gy, tier HAVING sum(needs) <> 0
    RETURNING 1)
  SELECT count(*)::integer FROM kept
$$;

SELECT need_map_count(ARRAY(SELECT ROW(community, lat, lon, tier, quantity, fulfilled, 1)::need_map_change FROM need_map_points));
