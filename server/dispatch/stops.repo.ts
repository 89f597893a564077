// SQL for the stops of routes and what each stop hands over. Only this module writes stops and
// stop_items; its reads may join the commodities, stock and needs tables into the views dispatch shows.
import type { Queryable } from '../db/database.ts';
import { selectColumns, toCamel } from '../db/rows.ts';
import type { LatLon } from '../../solver/network/index.ts';
import type { PlannedStop } from './route-build.ts';

export interface StopRow {
  id: number;
  routeId: number;
  seq: number;
  kind: 'delivery' | 'gate' | 'door' | 'collection';
  householdId: number | null;
  gateId: number | null;
  /** The pledge a collection stop picks up. */
  donationId: number | null;
  trip: number | null;
  lat: number;
  lon: number;
  etaS: number | null;
  status: 'pending' | 'delivered' | 'failed' | 'collected';
  reason: string | null;
  note: string | null;
  /** When its outcome was recorded (ISO 8601), null while pending. */
  doneAt: string | null;
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

/** A stop of a vehicle route not yet done, as the re-planner sees it: where, and what it weighs and fills. */
export interface PendingStop {
  id: number;
  routeId: number;
  driverId: number;
  warehouseId: number;
  kind: 'delivery' | 'gate' | 'collection';
  at: LatLon;
  demand: [number, number];
  /** What a collection stop's pledge weighs and fills, brought back to the warehouse ([0, 0] otherwise). */
  pickup: [number, number];
}

/**
 * Stops of routes and the goods each hands over: one statement for the stops and one for their goods, each
 * taking its rows as column arrays (a district's dispatch stores tens of thousands). The stops' ids, in order.
 */
export async function insertStops(tx: Queryable, stops: { routeId: number; seq: number; stop: PlannedStop }[]): Promise<number[]> {
  if (stops.length === 0) return [];
  const column = <T>(value: (s: (typeof stops)[number]) => T) => stops.map(value);
  const stored = await tx.query<{ id: number; route_id: number; seq: number }>(
    `INSERT INTO stops (route_id, seq, kind, household_id, gate_id, donation_id, trip, lat, lon, eta_s)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::float8[], $9::float8[], $10::float8[])
     RETURNING id, route_id, seq`,
    [
      column((s) => s.routeId),
      column((s) => s.seq),
      column((s) => s.stop.kind),
      column((s) => s.stop.householdId),
      column((s) => s.stop.gateId),
      column((s) => s.stop.donationId ?? null),
      column((s) => s.stop.trip),
      column((s) => s.stop.at.lat),
      column((s) => s.stop.at.lon),
      column((s) => s.stop.etaS),
    ],
  );
  // A stop is one (route, seq): its id found by that, whatever order the rows come back in.
  const idOf = new Map(stored.map((r) => [`${r.route_id}:${r.seq}`, r.id]));
  const ids = stops.map((s) => idOf.get(`${s.routeId}:${s.seq}`)!);
  const items = stops.flatMap(({ stop }, i) => stop.items.map((item) => ({ stopId: ids[i]!, ...item })));
  if (items.length > 0) {
    await tx.query(
      `INSERT INTO stop_items (stop_id, need_id, lot_id, commodity_id, quantity) SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[])`,
      [items.map((i) => i.stopId), items.map((i) => i.needId), items.map((i) => i.lotId), items.map((i) => i.commodityId), items.map((i) => i.quantity)],
    );
  }
  return ids;
}

export const insertStop = async (tx: Queryable, routeId: number, seq: number, stop: PlannedStop): Promise<number> => (await insertStops(tx, [{ routeId, seq, stop }]))[0]!;

export const stopsOf = (db: Queryable, routeId: number): Promise<StopRow[]> => stopsOfRoutes(db, [routeId]);

const STOP_COLUMNS = ['id', 'routeId', 'seq', 'kind', 'householdId', 'gateId', 'donationId', 'trip', 'lat', 'lon', 'etaS', 'status', 'reason', 'note', 'doneAt'] as const satisfies readonly (keyof StopRow)[];

/**
 * The stops of these routes, each route's in its order. Read as column arrays (selectColumns): a district's
 * dispatch answers with its every stop, and PGlite builds each returned row in JavaScript.
 */
export async function stopsOfRoutes(db: Queryable, routeIds: number[]): Promise<StopRow[]> {
  return selectColumns<StopRow>(
    db,
    STOP_COLUMNS,
    `SELECT id, route_id, seq, kind, household_id, gate_id, donation_id, trip, lat, lon, eta_s, status, reason, note,
            to_char(done_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS done_at
     FROM stops WHERE route_id = ANY($1::int[]) ORDER BY route_id, seq`,
    [routeIds],
  );
}

/** What the board shows of a route instead of its stops: how many in each state, what its goods weigh, its trips and last times. */
export interface StopTally {
  routeId: number;
  stopCount: number;
  stopsByStatus: Record<StopRow['status'], number>;
  weightKg: number;
  trips: number;
  /** When the last stop is due, in seconds after midnight (null: no times). */
  lastEtaS: number | null;
  /** When the last outcome was recorded (null: none yet). */
  lastDoneAt: string | null;
}

/** The stops of these routes counted by state, their goods weighed: one row a route, the items summed in the database. */
export async function stopTallies(db: Queryable, routeIds: number[]): Promise<StopTally[]> {
  const rows = await db.query<Omit<StopTally, 'stopsByStatus'> & StopTally['stopsByStatus']>(
    `SELECT s.route_id AS "routeId", count(*)::int AS "stopCount",
            count(*) FILTER (WHERE s.status = 'pending')::int AS pending, count(*) FILTER (WHERE s.status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE s.status = 'failed')::int AS failed, count(*) FILTER (WHERE s.status = 'collected')::int AS collected,
            coalesce(sum(g.kg), 0)::float AS "weightKg", count(DISTINCT s.trip)::int AS trips, max(s.eta_s) AS "lastEtaS", max(s.done_at) AS "lastDoneAt"
     FROM stops s LEFT JOIN (
       SELECT si.stop_id, sum(si.quantity * c.weight_kg) AS kg
       FROM stops x JOIN stop_items si ON si.stop_id = x.id JOIN commodities c ON c.id = si.commodity_id
       WHERE x.route_id = ANY($1::int[]) GROUP BY si.stop_id
     ) g ON g.stop_id = s.id
     WHERE s.route_id = ANY($1::int[]) GROUP BY s.route_id`,
    [routeIds],
  );
  return rows.map(({ pending, delivered, failed, collected, ...tally }) => ({ ...tally, stopsByStatus: { pending, delivered, failed, collected } }));
}

/** A stop, locked (a second outcome for it waits, then finds it done). */
export async function lockStop(tx: Queryable, stopId: number): Promise<StopRow | undefined> {
  const [row] = await tx.query('SELECT * FROM stops WHERE id = $1 FOR UPDATE', [stopId]);
  return row && toCamel<StopRow>(row);
}

/**
 * The goods of these stops, in the order they were stored. Read as one JSON array of tuples, not a row each:
 * PGlite builds every row it returns in JavaScript, tens of µs each, and a page of 50 routes at 20,000
 * households carries 13,552 items (a gate stop hands over a whole compound's): 240 ms as rows on PGlite.
 * (Arrays of columns were as quick there but twice as slow as rows on a PostgreSQL server, whose driver parses
 * them in JavaScript.) The commodities' names and units come apart, not repeated on every item.
 */
export async function itemsOfStops(db: Queryable, stopIds: number[]): Promise<StopItemRow[]> {
  const [{ items }] = (await db.query<{ items: [stopId: number, needId: number, lotId: number, commodityId: number, quantity: number][] | null }>(
    `SELECT json_agg(json_build_array(stop_id, need_id, lot_id, commodity_id, quantity) ORDER BY id) AS items FROM stop_items WHERE stop_id = ANY($1::int[])`,
    [stopIds],
  )) as [{ items: [number, number, number, number, number][] | null }];
  if (!items) return [];
  const named = new Map(
    (await db.query<{ id: number; name: string; unit: string }>('SELECT id, name, unit FROM commodities WHERE id = ANY($1::int[])', [[...new Set(items.map((i) => i[3]))]])).map((c) => [c.id, c]),
  );
  return items.map(([stopId, needId, lotId, commodityId, quantity]) => {
    const { name, unit } = named.get(commodityId)!;
    return { stopId, needId, lotId, commodityId, quantity, commodity: name, unit };
  });
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

/** A stop's outcome: delivered (a collection: collected), or failed with a reason and a note. */
export async function closeStop(tx: Queryable, stopId: number, outcome: { status: Exclude<StopRow['status'], 'pending'>; reason: string | null; note: string | null }): Promise<StopRow> {
  const [row] = await tx.query('UPDATE stops SET status = $2, reason = $3, note = $4, done_at = now() WHERE id = $1 RETURNING *', [stopId, outcome.status, outcome.reason, outcome.note]);
  return toCamel<StopRow>(row!);
}

/** The door visits still pending whose goods a gate stop brings. */
export async function pendingDoorsFedBy(tx: Queryable, gateStopId: number): Promise<{ id: number; routeId: number }[]> {
  const rows = await tx.query<{ id: number; route_id: number }>(
    `SELECT DISTINCT s.id, s.route_id FROM stops s JOIN stop_items si ON si.stop_id = s.id
     WHERE s.kind = 'door' AND s.status = 'pending' AND (si.need_id, si.lot_id) IN (SELECT need_id, lot_id FROM stop_items WHERE stop_id = $1)`,
    [gateStopId],
  );
  return rows.map((r) => ({ id: r.id, routeId: r.route_id }));
}

/** The vehicle's gate stop that brings a door visit's goods. */
export async function gateStopOf(tx: Queryable, door: Pick<StopRow, 'id' | 'routeId'>): Promise<{ id: number; status: StopRow['status'] } | undefined> {
  const [row] = await tx.query<{ id: number; status: StopRow['status'] }>(
    `SELECT s.id, s.status FROM stops s JOIN stop_items si ON si.stop_id = s.id JOIN routes r ON r.id = s.route_id
     WHERE s.kind = 'gate' AND r.plan_id = (SELECT plan_id FROM routes WHERE id = $2)
       AND (si.need_id, si.lot_id) IN (SELECT need_id, lot_id FROM stop_items WHERE stop_id = $1) LIMIT 1`,
    [door.id, door.routeId],
  );
  return row;
}

/** The pending stops of a plan's vehicle routes under way, in route order, with what they weigh and fill. */
export async function pendingStops(db: Queryable, planId: number): Promise<PendingStop[]> {
  return db.query<PendingStop>(
    `SELECT s.id, s.route_id AS "routeId", r.driver_id AS "driverId", r.warehouse_id AS "warehouseId", s.kind,
            json_build_object('lat', s.lat, 'lon', s.lon) AS at,
            json_build_array(coalesce(sum(si.quantity * c.weight_kg), 0), coalesce(sum(si.quantity * c.volume_m3), 0)) AS demand,
            (SELECT json_build_array(coalesce(sum(i.quantity_pledged * pc.weight_kg), 0), coalesce(sum(i.quantity_pledged * pc.volume_m3), 0))
             FROM donation_items i JOIN commodities pc ON pc.id = i.commodity_id WHERE i.donation_id = s.donation_id) AS pickup
     FROM stops s JOIN routes r ON r.id = s.route_id
     LEFT JOIN stop_items si ON si.stop_id = s.id LEFT JOIN commodities c ON c.id = si.commodity_id
     WHERE r.plan_id = $1 AND r.kind = 'vehicle' AND r.status NOT IN ('completed', 'cancelled') AND s.status = 'pending'
     GROUP BY s.id, r.id ORDER BY r.id, s.seq`,
    [planId],
  );
}

/** Parks stops out of the way of the (route, seq) uniqueness before they are numbered anew. */
export async function parkStops(tx: Queryable, stopIds: number[]): Promise<void> {
  await tx.query('UPDATE stops SET seq = -id WHERE id = ANY($1::int[])', [stopIds]);
}

export async function doneStopCount(tx: Queryable, routeId: number): Promise<number> {
  const [{ done }] = (await tx.query<{ done: number }>(`SELECT count(*) AS done FROM stops WHERE route_id = $1 AND status <> 'pending'`, [routeId])) as [{ done: number }];
  return done;
}

export async function moveStop(tx: Queryable, stopId: number, routeId: number, seq: number): Promise<void> {
  await tx.query('UPDATE stops SET route_id = $2, seq = $3 WHERE id = $1', [stopId, routeId, seq]);
}

/** The first walking route from a gate still under way in a plan, with its last stop's number and trip. */
export async function walkFrom(tx: Queryable, planId: number, gateId: number): Promise<{ id: number; seq: number; trip: number } | undefined> {
  const [walk] = await tx.query<{ id: number; seq: number; trip: number }>(
    `SELECT r.id, coalesce(max(s.seq), 0) AS seq, coalesce(max(s.trip), 0) AS trip FROM routes r LEFT JOIN stops s ON s.route_id = r.id
     WHERE r.plan_id = $1 AND r.kind = 'walking' AND r.gate_id = $2 AND r.status NOT IN ('completed', 'cancelled') GROUP BY r.id ORDER BY r.id LIMIT 1`,
    [planId, gateId],
  );
  return walk;
}

/** The state and plan of the route a stop is on. */
export async function routeOfStop(tx: Queryable, stopId: number): Promise<{ status: string; planId: number }> {
  const [route] = await tx.query<{ status: string; plan_id: number }>('SELECT r.status, r.plan_id FROM routes r JOIN stops s ON s.route_id = r.id WHERE s.id = $1', [stopId]);
  return { status: route!.status, planId: route!.plan_id };
}

/** Items delivered to households, and the mean hours from a need's report to its delivery, for the dashboard. */
export async function deliveryTimes(db: Queryable): Promise<{ hours: number | null; delivered: number }> {
  // Summed from the ledger the database keeps as stops are delivered (delivery_times, 039), not from every item
  // delivered; an aggregate without GROUP BY: always one row.
  const [row] = await db.query<{ hours: number | null; delivered: number }>(
    `SELECT sum(hours) / nullif(sum(items), 0) AS hours, coalesce(sum(items), 0)::int AS delivered FROM delivery_times`,
  );
  return row!;
}

/** Folds the ledger of delivery times into one row (the pruner runs it hourly); the rows left. */
export async function foldDeliveryTimes(db: Queryable): Promise<number> {
  const [row] = await db.query<{ rows: number }>('SELECT delivery_times_fold() AS rows');
  return row!.rows;
}

/** The pending stops, on routes under way, that hand over goods of a lot; door visits last (their goods are their gate stop's). */
export async function pendingStopsWithLot(tx: Queryable, lotId: number): Promise<{ id: number; kind: StopRow['kind']; routeId: number; planId: number }[]> {
  return tx.query(
    `SELECT s.id, s.kind, s.route_id AS "routeId", r.plan_id AS "planId"
     FROM stops s JOIN routes r ON r.id = s.route_id
     WHERE s.id IN (SELECT stop_id FROM stop_items WHERE lot_id = $1) AND s.status = 'pending' AND r.status NOT IN ('completed', 'cancelled')
     ORDER BY s.kind = 'door', s.id FOR UPDATE OF s`,
    [lotId],
  );
}

/** Takes a lot's goods off a stop; whether the stop still hands over anything. */
export async function dropLotFromStop(tx: Queryable, stopId: number, lotId: number): Promise<boolean> {
  await tx.query('DELETE FROM stop_items WHERE stop_id = $1 AND lot_id = $2', [stopId, lotId]);
  return (await tx.query('SELECT 1 FROM stop_items WHERE stop_id = $1 LIMIT 1', [stopId])).length > 0;
}
