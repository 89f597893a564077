// SQL for routes, their stops and what each stop hands over.
import type { Queryable } from '../db/database.ts';
import { toCamel } from '../db/rows.ts';
import type { PlannedRoute } from './dispatch.ts';

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
export const WAREHOUSES_OF_ROUTE = `CASE WHEN r.warehouse_id IS NOT NULL THEN ARRAY[r.warehouse_id] ELSE ARRAY(
  SELECT DISTINCT l.warehouse_id FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN lots l ON l.id = si.lot_id WHERE s.route_id = r.id ORDER BY 1) END`;

export interface StopRow {
  id: number;
  routeId: number;
  seq: number;
  kind: 'delivery' | 'gate' | 'door';
  householdId: number | null;
  gateId: number | null;
  trip: number | null;
  lat: number;
  lon: number;
  etaS: number | null;
  status: 'pending' | 'delivered' | 'failed';
  reason: string | null;
  note: string | null;
}

export interface StopItemRow {
  stopId: number;
  needId: number;
  lotId: number;
  commodityId: number;
  quantity: number;
  commodity: string;
  unit: string;
}

export async function insertRoute(tx: Queryable, planId: number, route: PlannedRoute): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO routes (plan_id, driver_id, kind, warehouse_id, zone_id, gate_id, departure_s, distance_m, duration_s)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [planId, route.driverId, route.kind, route.warehouseId, route.zoneId, route.gateId, route.departureS, route.distanceM, route.durationS],
  );
  for (const [seq, stop] of route.stops.entries()) {
    const [s] = await tx.query<{ id: number }>(
      `INSERT INTO stops (route_id, seq, kind, household_id, gate_id, trip, lat, lon, eta_s) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [row!.id, seq + 1, stop.kind, stop.householdId, stop.gateId, stop.trip, stop.at.lat, stop.at.lon, stop.etaS],
    );
    for (const item of stop.items) {
      await tx.query('INSERT INTO stop_items (stop_id, need_id, lot_id, commodity_id, quantity) VALUES ($1, $2, $3, $4, $5)', [s!.id, item.needId, item.lotId, item.commodityId, item.quantity]);
    }
  }
  return row!.id;
}

export async function findRoute(db: Queryable, id: number, lock = false): Promise<RouteRow | undefined> {
  const [row] = await db.query(`SELECT r.*, ${WAREHOUSES_OF_ROUTE} AS warehouse_ids FROM routes r WHERE r.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row ? toCamel<RouteRow>(row) : undefined;
}

/** Kilometres driven and vehicle routes per day (cancelled routes left out), for the dashboard. */
export async function kilometresByDay(db: Queryable): Promise<{ day: string; km: number; routes: number }[]> {
  return db.query(
    `SELECT to_char(created_at, 'YYYY-MM-DD') AS day, coalesce(sum(distance_m), 0) / 1000 AS km, count(*) AS routes
     FROM routes WHERE kind = 'vehicle' AND status <> 'cancelled' GROUP BY 1 ORDER BY 1`,
  );
}

/** Items delivered to households, and the mean hours from a need's report to its delivery, for the dashboard. */
export async function deliveryTimes(db: Queryable): Promise<{ hours: number | null; delivered: number }> {
  // An aggregate without GROUP BY: always one row.
  const [row] = await db.query<{ hours: number | null; delivered: number }>(
    `SELECT avg(extract(epoch FROM s.done_at - n.created_at) / 3600) AS hours, count(*) AS delivered
     FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN needs n ON n.id = si.need_id
     WHERE s.status = 'delivered' AND s.kind IN ('delivery', 'door')`,
  );
  return row!;
}

export async function stopsOf(db: Queryable, routeId: number): Promise<StopRow[]> {
  return (await db.query('SELECT * FROM stops WHERE route_id = $1 ORDER BY seq', [routeId])).map((r) => toCamel<StopRow>(r));
}

export async function itemsOfStops(db: Queryable, stopIds: number[]): Promise<StopItemRow[]> {
  const rows = await db.query(
    `SELECT si.stop_id, si.need_id, si.lot_id, si.commodity_id, si.quantity, c.name AS commodity, c.unit
     FROM stop_items si JOIN commodities c ON c.id = si.commodity_id WHERE si.stop_id = ANY($1::int[]) ORDER BY si.id`,
    [stopIds],
  );
  return rows.map((r) => toCamel<StopItemRow>(r));
}

/** A line of a stop with how much of it is on the road now. */
export interface LoadLine extends StopItemRow {
  onBoard: number;
}

/**
 * What of each line of a stop is on the road now, from the ledger: dispatched less delivered and returned,
 * for this stop's own goods — a door visit's are that need's goods of that lot on this plan's routes, which
 * the gate stop brought.
 */
export async function loadOf(db: Queryable, planId: number, stop: Pick<StopRow, 'id' | 'kind'>): Promise<LoadLine[]> {
  const rows = await db.query(
    `SELECT si.stop_id, si.need_id, si.lot_id, si.commodity_id, si.quantity, c.name AS commodity, c.unit,
            coalesce((SELECT sum(CASE m.kind WHEN 'dispatched' THEN m.quantity ELSE -m.quantity END) FROM stock_movements m
                      WHERE m.need_id = si.need_id AND m.lot_id = si.lot_id AND m.kind IN ('dispatched', 'delivered', 'returned')
                        AND (m.stop_id = si.stop_id OR ($2::boolean AND m.plan_id = $3))), 0)::int AS on_board
     FROM stop_items si JOIN commodities c ON c.id = si.commodity_id WHERE si.stop_id = $1 ORDER BY si.id`,
    [stop.id, stop.kind === 'door', planId],
  );
  return rows.map((r) => toCamel<LoadLine>(r));
}

/** What a driver needs to hand goods over: who, where, how to call. Never health flags. */
export async function recipients(db: Queryable, householdIds: number[]): Promise<Map<number, { name: string; address: string; phone: string | null; people: number }>> {
  const rows = await db.query<{ id: number; name: string; address: string; phone: string | null; people: number }>(
    'SELECT id, name, address, phone, people FROM households WHERE id = ANY($1::int[])',
    [householdIds],
  );
  return new Map(rows.map(({ id, ...r }) => [id, r]));
}

export async function userOfDriver(db: Queryable, driverId: number): Promise<number | null> {
  const [row] = await db.query<{ user_id: number | null }>('SELECT user_id FROM drivers WHERE id = $1', [driverId]);
  return row?.user_id ?? null;
}
