// SQL for the coordinator's map (030_needs_on_the_map.sql): the open needs of a view summed by map cell from
// the need_map_cells ledger (a few thousand rows for a district's half a million needs), and needs one by one
// from the need_map_points view, by the households' place.
import type { Queryable } from '../db/database.ts';

/** The zoom need_map_cells counts at; a cell at a lower zoom is 2^(16 − zoom) of its cells a side. */
export const LEDGER_ZOOM = 16;
/** Cells around the world at a zoom: 64-pixel squares of Web Mercator's 256 · 2^zoom pixels. */
export const cellsAround = (zoom: number) => 2 ** (zoom + 2);

/** West, south, east, north in degrees. */
export type Bbox = readonly [number, number, number, number];

/** Only these communities (a community worker's); null: every one. */
export type Communities = readonly string[] | null;

export interface CellRow {
  gx: number;
  gy: number;
  count: number;
  lat: number;
  lon: number;
  /** The cell's extent. */
  west: number;
  south: number;
  east: number;
  north: number;
  tier1: number;
  tier2: number;
  tier3: number;
  quantity: number;
  fulfilled: number;
}

export interface MapNeedRow {
  id: number;
  lat: number;
  lon: number;
  tier: number;
  quantity: number;
  fulfilled: number;
  household: string;
}

/**
 * The open needs of the ledger cells the view touches, summed by cell at `zoom` (at most LEDGER_ZOOM): how
 * many, their mean place, of which tier, how much asked and delivered; with each cell's extent.
 */
export async function needCells(db: Queryable, bbox: Bbox, zoom: number, communities: Communities): Promise<CellRow[]> {
  const [cells, shift] = [cellsAround(zoom), LEDGER_ZOOM - zoom];
  return db.query<CellRow>(
    `SELECT gx, gy, count, lat, lon,
            gx * 360 / $6::float8 - 180 AS west, (gx + 1) * 360 / $6 - 180 AS east,
            degrees(atan(sinh(pi() * (1 - 2 * (gy + 1) / $6)))) AS south, degrees(atan(sinh(pi() * (1 - 2 * gy / $6)))) AS north,
            tier1, tier2, tier3, quantity, fulfilled
     FROM (
       SELECT gx >> $7 AS gx, gy >> $7 AS gy, sum(needs)::int AS count, sum(lat_sum) / sum(needs) AS lat, sum(lon_sum) / sum(needs) AS lon,
              coalesce(sum(needs) FILTER (WHERE tier = 1), 0)::int AS tier1, coalesce(sum(needs) FILTER (WHERE tier = 2), 0)::int AS tier2,
              coalesce(sum(needs) FILTER (WHERE tier = 3), 0)::int AS tier3, sum(quantity)::float8 AS quantity, sum(fulfilled)::float8 AS fulfilled
       FROM need_map_cells
       WHERE gx BETWEEN map_cell_x($1, $8) AND map_cell_x($3, $8) AND gy BETWEEN map_cell_y($4, $8) AND map_cell_y($2, $8)
         AND ($5::text[] IS NULL OR community = ANY($5))
       GROUP BY 1, 2 HAVING sum(needs) > 0
     ) c`,
    [...bbox, communities, cells, shift, cellsAround(LEDGER_ZOOM)],
  );
}

/**
 * The open needs in the view one by one, in id order, at most `limit`. With `cells` (cells at a zoom up to
 * LEDGER_ZOOM), only those cells' needs that needCells counted: read within the cells' extent, and in the
 * ledger cells the view touches.
 */
export async function needPoints(db: Queryable, view: Bbox, communities: Communities, limit: number, cells?: { zoom: number; at: Pick<CellRow, 'gx' | 'gy'>[]; extent: Bbox }): Promise<MapNeedRow[]> {
  return db.query<MapNeedRow>(
    `SELECT id, lat, lon, tier, quantity, fulfilled, household FROM need_map_points
     WHERE lon BETWEEN $1 AND $3 AND lat BETWEEN $2 AND $4 AND ($5::text[] IS NULL OR community = ANY($5))
       AND ($7::float8 IS NULL OR (
         (map_cell_x(lon, $7), map_cell_y(lat, $7)) IN (SELECT * FROM unnest($8::int[], $9::int[]))
         AND map_cell_x(lon, $14) BETWEEN map_cell_x($10, $14) AND map_cell_x($12, $14) AND map_cell_y(lat, $14) BETWEEN map_cell_y($13, $14) AND map_cell_y($11, $14)))
     ORDER BY id LIMIT $6`,
    [...(cells?.extent ?? view), communities, limit, cells ? cellsAround(cells.zoom) : null, cells?.at.map((c) => c.gx) ?? [], cells?.at.map((c) => c.gy) ?? [], ...view, cellsAround(LEDGER_ZOOM)],
  );
}

/** Folds the ledger into one row per cell, community and tier (the pruner runs it hourly); the rows left. */
export async function foldNeedCells(db: Queryable): Promise<number> {
  const [row] = await db.query<{ rows: number }>('SELECT need_map_fold() AS rows');
  return row!.rows;
}
