// SQL for routes and drivers' positions (stops and their goods: stops.repo.ts). Each table has one
// writer, its owner's repo; a read may join other nouns' tables into the one view dispatch works from
// (a plan's lines with their households, an urgent need with its lot and gate), while a plain read of
// another noun's table goes through that noun (plans, drivers, zones, warehouses, needs).
import type { Queryable } from '../db/database.ts';
import { insertRows, limitOffset, orderBy, selectColumns, toCamel, type Page, type Paging } from '../db/rows.ts';
import type { PlannedRoute } from './route-build.ts';
import { insertStops } from './stops.repo.ts';

/** A stored route: what dispatch planned, without its stops, plus its identity and progress. */
export interface RouteRow extends Omit<PlannedRoute, 'stops'> {
  id: number;
  planId: number;
  status: 'assigned' | 'accepted' | 'picked_up' | 'completed' | 'cancelled';
  version: number;
  /** The warehouses its goods come from: its own for a vehicle, its lots' for a walk from a gate. */
  warehouseIds: number[];
}

/** SQL for `warehouseIds` of the route `r`. */
const WAREHOUSES_OF_ROUTE = `CASE WHEN r.warehouse_id IS NOT NULL THEN ARRAY[r.warehouse_id] ELSE ARRAY(
  SELECT DISTINCT l.warehouse_id FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN lots l ON l.id = si.lot_id WHERE s.route_id = r.id ORDER BY 1) END`;

/** A line of a plan as dispatch needs it: the goods, what they weigh, and the household they go to. */
export interface AllocationLine {
  needId: number;
  lotId: number;
  commodityId: number;
  quantity: number;
  warehouseId: number;
  weightKg: number;
  volumeM3: number;
  category: string;
  urgency: string;
  householdId: number;
  lat: number;
  lon: number;
  zoneId: number | null;
  sealed: boolean;
  vulnerable: number;
}

/** A vehicle route of a plan still under way, as the re-planner sees it. */
export interface RouteUnderWay {
  id: number;
  driverId: number;
  status: string;
  warehouseId: number;
}

/** What an urgent need and the lot to serve it from are, and the sealed zone's gate the goods would go through. */
export interface UrgentLine {
  needId: number;
  status: string;
  commodityId: number;
  remaining: number;
  householdId: number;
  lat: number;
  lon: number;
  lotCommodity: number;
  warehouseId: number;
  available: number;
  weightKg: number;
  volumeM3: number;
  gateId: number | null;
  gateLat: number | null;
  gateLon: number | null;
}

/**
 * Routes with their stops and goods in a few multi-row statements: a district's dispatch stores tens of
 * thousands of stops, which one statement each would keep in one long transaction. Their ids and versions, in order.
 */
export async function insertRoutes(tx: Queryable, planId: number, routes: PlannedRoute[]): Promise<Pick<RouteRow, 'id' | 'version'>[]> {
  const rows = routes.map((r) => ({ planId, driverId: r.driverId, kind: r.kind, warehouseId: r.warehouseId, zoneId: r.zoneId, gateId: r.gateId, departureS: r.departureS, distanceM: r.distanceM, durationS: r.durationS }));
  const stored = await insertRows<Pick<RouteRow, 'id' | 'version'>>(tx, 'routes', rows, 'id, version');
  await insertStops(tx, routes.flatMap((route, i) => route.stops.map((stop, k) => ({ routeId: stored[i]!.id, seq: k + 1, stop }))));
  return stored;
}

export const insertRoute = async (tx: Queryable, planId: number, route: PlannedRoute): Promise<number> => (await insertRoutes(tx, planId, [route]))[0]!.id;

/**
 * These routes, in the order of the ids given (missing ones left out). The walks' warehouses come from one
 * grouped read of their goods: a lookup per route (WAREHOUSES_OF_ROUTE), planned on statistics that still
 * saw the tables empty, cost 87 s of PGlite time to read a 20,000-household dispatch's routes twice (4 s now).
 */
export async function findRoutes(db: Queryable, ids: number[]): Promise<RouteRow[]> {
  const rows = await db.query(
    `SELECT r.*, CASE WHEN r.warehouse_id IS NOT NULL THEN ARRAY[r.warehouse_id] ELSE coalesce(w.ids, '{}') END AS warehouse_ids
     FROM routes r LEFT JOIN (
       SELECT s.route_id, array_agg(DISTINCT l.warehouse_id ORDER BY l.warehouse_id) AS ids
       FROM routes walk JOIN stops s ON s.route_id = walk.id JOIN stop_items si ON si.stop_id = s.id JOIN lots l ON l.id = si.lot_id
       WHERE walk.id = ANY($1::int[]) AND walk.warehouse_id IS NULL GROUP BY s.route_id
     ) w ON w.route_id = r.id
     WHERE r.id = ANY($1::int[]) ORDER BY array_position($1::int[], r.id)`,
    [ids],
  );
  return rows.map((row) => toCamel<RouteRow>(row));
}

/** A route as stored, with its driver's sign-in account: who may record on it and who hears of it (null: none). */
export interface StoredRoute extends RouteRow {
  driverUserId: number | null;
}

export async function findRoute(db: Queryable, id: number, lock = false): Promise<StoredRoute | undefined> {
  const [row] = await db.query(
    `SELECT r.*, ${WAREHOUSES_OF_ROUTE} AS warehouse_ids, d.user_id AS driver_user_id FROM routes r JOIN drivers d ON d.id = r.driver_id WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return row ? toCamel<StoredRoute>(row) : undefined;
}

/** Routes of a plan or a driver, oldest first; with warehouses, only those whose goods all come from them. */
/** Which routes a list shows: of a plan or a driver, of a kind or state, only those with a failed stop; within a coordinator's warehouses. */
export interface RouteFilter {
  planId?: number;
  driverId?: number;
  kind?: RouteRow['kind'];
  status?: RouteRow['status'];
  failed?: boolean;
  warehouseIds: number[] | null;
}

export async function routeIds(db: Queryable, filter: Paging<'id'> & RouteFilter): Promise<Page<number>> {
  const params: unknown[] = [filter.planId ?? null, filter.driverId ?? null, filter.warehouseIds, filter.kind ?? null, filter.status ?? null, filter.failed ?? null];
  const where = `WHERE ($1::int IS NULL OR r.plan_id = $1) AND ($2::int IS NULL OR r.driver_id = $2) AND ($3::int[] IS NULL OR (${WAREHOUSES_OF_ROUTE}) <@ $3::int[])
    AND ($4::text IS NULL OR r.kind = $4) AND ($5::text IS NULL OR r.status = $5)
    AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM stops s WHERE s.route_id = r.id AND s.status = 'failed'))`;
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM routes r ${where}`, params)) as [{ total: number }];
  const rows = await db.query<{ id: number }>(`SELECT r.id FROM routes r ${where} ${orderBy(filter.sort, { id: 'r.id' }, 'r.id')} ${limitOffset(params, filter)}`, params);
  return { items: rows.map((r) => r.id), total, limit: filter.limit, offset: filter.offset };
}

/** A driver's routes still under way, oldest first. */
export async function openRouteIds(db: Queryable, driverId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM routes WHERE driver_id = $1 AND status NOT IN ('completed', 'cancelled') ORDER BY id`, [driverId]);
  return rows.map((r) => r.id);
}

export async function setRouteStatus(tx: Queryable, id: number, status: RouteRow['status']): Promise<void> {
  await tx.query('UPDATE routes SET status = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, status]);
}

/** Completes a route in one of the given states once none of its stops is pending. */
export async function completeIfDone(tx: Queryable, routeId: number, from: readonly RouteRow['status'][]): Promise<boolean> {
  const done = await tx.query(
    `UPDATE routes SET status = 'completed', version = version + 1, updated_at = now()
     WHERE id = $1 AND status = ANY($2::text[]) AND NOT EXISTS (SELECT 1 FROM stops WHERE route_id = $1 AND status = 'pending') RETURNING id`,
    [routeId, from],
  );
  return done.length > 0;
}

/** The vehicle routes of a plan not yet completed or cancelled. */
export async function routesUnderWay(db: Queryable, planId: number): Promise<RouteUnderWay[]> {
  return db.query<RouteUnderWay>(
    `SELECT id, driver_id AS "driverId", status, warehouse_id AS "warehouseId" FROM routes
     WHERE plan_id = $1 AND kind = 'vehicle' AND status NOT IN ('completed', 'cancelled') ORDER BY id`,
    [planId],
  );
}

/** Drivers out on a route of another plan. */
export async function busyDrivers(db: Queryable, planId: number): Promise<Set<number>> {
  const rows = await db.query<{ driver_id: number }>(`SELECT DISTINCT driver_id FROM routes WHERE plan_id <> $1 AND status IN ('assigned', 'accepted', 'picked_up')`, [planId]);
  return new Set(rows.map((r) => r.driver_id));
}

/** The latest position of a driver, for the live board. */
export async function savePosition(db: Queryable, driverId: number, at: { lat: number; lon: number }): Promise<void> {
  await db.query(`INSERT INTO driver_positions (driver_id, lat, lon) VALUES ($1, $2, $3) ON CONFLICT (driver_id) DO UPDATE SET lat = $2, lon = $3, at = now()`, [driverId, at.lat, at.lon]);
}

/** Where each driver was last seen. */
export async function positions(db: Queryable): Promise<Map<number, { lat: number; lon: number }>> {
  const rows = await db.query<{ driver_id: number; lat: number; lon: number }>('SELECT driver_id, lat, lon FROM driver_positions');
  return new Map(rows.map((p) => [p.driver_id, { lat: p.lat, lon: p.lon }]));
}

const LINE_COLUMNS = ['needId', 'lotId', 'commodityId', 'quantity', 'warehouseId', 'weightKg', 'volumeM3', 'category', 'urgency', 'householdId', 'lat', 'lon', 'zoneId', 'sealed', 'vulnerable'] as const satisfies readonly (keyof AllocationLine)[];

/**
 * The plan's lines, each with its goods' weight and the household it goes to. Read as column arrays
 * (selectColumns): PGlite builds each returned row in JavaScript, and a district's plan has hundreds of thousands.
 */
export async function allocationLines(db: Queryable, planId: number): Promise<AllocationLine[]> {
  return selectColumns<AllocationLine>(
    db,
    LINE_COLUMNS,
    `SELECT pa.need_id, pa.lot_id, pa.commodity_id, pa.quantity, pa.warehouse_id, c.weight_kg, c.volume_m3, c.category, n.urgency,
            h.id AS household_id, h.lat, h.lon, h.zone_id, coalesce(z.status = 'sealed', false) AS sealed,
            (CASE WHEN h.infant OR h.pregnant THEN 3 WHEN h.elderly_alone OR h.disabled OR h.chronic_illness THEN 2 ELSE 1 END) AS vulnerable
     FROM plan_allocations pa
     JOIN commodities c ON c.id = pa.commodity_id
     JOIN needs n ON n.id = pa.need_id
     JOIN households h ON h.id = n.household_id
     LEFT JOIN zones z ON z.id = h.zone_id
     WHERE pa.plan_id = $1 ORDER BY pa.id`,
    [planId],
  );
}

/** An urgent need with the lot to take its goods from; undefined when either does not exist. */
export async function urgentLine(db: Queryable, needId: number, lotId: number): Promise<UrgentLine | undefined> {
  const [row] = await db.query<UrgentLine>(
    `SELECT n.id AS "needId", n.status, n.commodity_id AS "commodityId", n.quantity - n.fulfilled AS remaining, h.id AS "householdId", h.lat, h.lon,
            l.commodity_id AS "lotCommodity", l.warehouse_id AS "warehouseId", l.on_hand - l.reserved AS available, c.weight_kg AS "weightKg", c.volume_m3 AS "volumeM3",
            g.id AS "gateId", g.lat AS "gateLat", g.lon AS "gateLon"
     FROM needs n JOIN households h ON h.id = n.household_id
     LEFT JOIN LATERAL (SELECT g.id, g.lat, g.lon FROM gates g JOIN zones z ON z.id = g.zone_id WHERE z.id = h.zone_id AND z.status = 'sealed' ORDER BY g.id LIMIT 1) g ON true,
     lots l JOIN commodities c ON c.id = l.commodity_id
     WHERE n.id = $1 AND l.id = $2`,
    [needId, lotId],
  );
  return row;
}

/** The warehouses the goods on a plan's routes come from (re-planning may add lots of other warehouses). */
export async function warehousesOfPlanRoutes(db: Queryable, planId: number): Promise<number[]> {
  const rows = await db.query<{ warehouse_id: number }>(
    `SELECT DISTINCT l.warehouse_id FROM routes r JOIN stops s ON s.route_id = r.id JOIN stop_items si ON si.stop_id = s.id JOIN lots l ON l.id = si.lot_id
     WHERE r.plan_id = $1 ORDER BY l.warehouse_id`,
    [planId],
  );
  return rows.map((r) => r.warehouse_id);
}

/** Kilometres driven and vehicle routes per day (cancelled routes left out), for the dashboard. */
export async function kilometresByDay(db: Queryable): Promise<{ day: string; km: number; routes: number }[]> {
  return db.query(
    `SELECT to_char(created_at, 'YYYY-MM-DD') AS day, coalesce(sum(distance_m), 0) / 1000 AS km, count(*) AS routes
     FROM routes WHERE kind = 'vehicle' AND status <> 'cancelled' GROUP BY 1 ORDER BY 1`,
  );
}
