// Re-planning routes under way: an urgent need, a driver who drops out, or a closure. Delivered stops
// stay as they are; goods already on board stay on their vehicle; other stops may move, and moving
// one to another driver costs, so the plan changes as little as it can. Affected drivers get the new
// route live.
import type { Queryable, Tx } from '../db/database.ts';
import { ConflictError, NotFoundError, invalidField } from '../http/errors.ts';
import type { Outbox } from '../live/outbox.ts';
import { tellRoute } from './routes.service.ts';
import type { RoadMap } from '../network/network.service.ts';
import type { SignedInUser } from '../auth/auth.schema.ts';
import { checkRecord, warehouseScope, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { checkPlanInScope } from '../plans/plans.service.ts';
import { recordMovement } from '../stock/stock.service.ts';
import { runInWorker } from '../workers/ts-worker.ts';
import type { Customer, RoutingProblem } from '../../solver/routing/problem.ts';
import type { CurrentPlan, ReplanEvent, ReplanResult, VehicleProgress } from '../../solver/routing/replan.ts';
import type { LatLon } from '../../solver/network/index.ts';
import { ROUTER, SERVICE_S, GATE_SERVICE_S, asVehicle, at, matrixRows, type DriverRow } from './dispatch.ts';
import { toCamel } from '../db/rows.ts';
import type { RouterJob } from './route.worker.ts';
import type { ReplanInput } from './routes.schema.ts';
import * as repo from './routes.repo.ts';

interface PendingStop {
  id: number;
  routeId: number;
  driverId: number;
  warehouseId: number;
  kind: 'delivery' | 'gate';
  at: LatLon;
  demand: [number, number];
}

interface Urgent {
  needId: number;
  lotId: number;
  quantity: number;
  commodityId: number;
  householdId: number;
  warehouseId: number;
  at: LatLon;
  demand: [number, number];
  /** The gate the goods go through when the household is in a sealed zone. */
  gateId: number | null;
  householdAt: LatLon;
}

export interface ReplanOutcome {
  routes: number[];
  moved: { stopId: number | 'urgent'; from?: number; to: number }[];
  unassigned: { stopId: number | 'urgent'; reason: string }[];
}

/** Seconds since midnight in `timeZone` (the system's when not given): shifts are local times of day. */
export function secondsOfDay(at: Date, timeZone?: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return part('hour') * 3600 + part('minute') * 60 + part('second');
}

export async function replan(deps: { outbox: Outbox; roads: RoadMap; timeZone?: string }, planId: number, input: { event: ReplanInput; timeLimitMs: number; seed: number }, user: SignedInUser): Promise<ReplanOutcome> {
  const db = deps.outbox.db;
  const [plan] = await db.query<{ status: string }>('SELECT status FROM plans WHERE id = $1', [planId]);
  if (!plan) throw new NotFoundError('plan', planId);
  const scope = warehouseScope(user);
  await checkPlanInScope(db, planId, scope, 're-plan');
  if (plan.status !== 'dispatched') throw new ConflictError(`plan ${planId} is ${plan.status}; only dispatched routes can be re-planned`);
  const routes = await db.query<{ id: number; driverId: number; status: string; warehouseId: number }>(
    `SELECT id, driver_id AS "driverId", status, warehouse_id AS "warehouseId" FROM routes
     WHERE plan_id = $1 AND kind = 'vehicle' AND status NOT IN ('completed', 'cancelled') ORDER BY id`,
    [planId],
  );
  const drivers = (await db.query(`SELECT * FROM drivers WHERE active AND kind = 'driver' AND home_warehouse_id IS NOT NULL ORDER BY id`)).map((r) => toCamel<DriverRow>(r));
  const event = input.event;
  if (event.kind === 'driver-dropped' && !routes.some((r) => r.driverId === event.driverId)) {
    throw invalidField('body.event.driverId', `driver ${event.driverId} has no route under way in plan ${planId}`);
  }
  const pending = await pendingStops(db, planId);
  const urgent = event.kind === 'urgent-need' ? await urgentNeed(db, event, scope) : undefined;
  const warehouses = await db.query<{ id: number; lat: number; lon: number }>('SELECT id, lat, lon FROM warehouses ORDER BY id');
  const positions = new Map((await db.query<{ driver_id: number; lat: number; lon: number }>('SELECT driver_id, lat, lon FROM driver_positions')).map((p) => [p.driver_id, at(p)]));

  // Locations: warehouses, pending stops, the urgent stop, the vehicles on the road.
  const points: LatLon[] = warehouses.map(at);
  const index = new Map<string, number>(warehouses.map((w, i) => [`w${w.id}`, i]));
  for (const s of pending) index.set(`s${s.id}`, points.push(s.at) - 1);
  if (urgent) index.set('urgent', points.push(urgent.at) - 1);
  const now = secondsOfDay(new Date(), deps.timeZone);
  const progress: VehicleProgress[] = routes.map((r) => {
    if (r.status !== 'picked_up') return { vehicleId: `d${r.driverId}`, done: [] };
    const where = positions.get(r.driverId) ?? at(warehouses.find((w) => w.id === r.warehouseId)!);
    return { vehicleId: `d${r.driverId}`, done: [], position: { location: points.push(where) - 1, time: now } };
  });
  const matrix = await deps.roads.travelMatrix(points, 'van');
  // The drivers of this plan, and those not out on another plan's route, may take stops.
  const busy = new Set(
    (await db.query<{ driver_id: number }>(`SELECT DISTINCT driver_id FROM routes WHERE plan_id <> $1 AND status IN ('assigned', 'accepted', 'picked_up')`, [planId])).map((r) => r.driver_id),
  );
  const fleet = drivers.filter((d) => routes.some((r) => r.driverId === d.id) || !busy.has(d.id));
  const customers: Customer[] = pending.map((s) => ({
    id: `s${s.id}`,
    location: index.get(`s${s.id}`)!,
    demand: s.demand,
    serviceTime: s.kind === 'gate' ? GATE_SERVICE_S : SERVICE_S,
    allowedVehicles: fleet.filter((d) => d.homeWarehouseId === s.warehouseId).map((d) => `d${d.id}`),
  }));
  const problem: RoutingProblem = {
    depots: warehouses.map((w) => ({ id: `w${w.id}`, location: index.get(`w${w.id}`)! })),
    customers,
    vehicles: fleet.map(asVehicle),
    distances: matrixRows(matrix, 'distancesM'),
    durations: matrixRows(matrix, 'timesS'),
  };
  const current: CurrentPlan = {
    problem,
    routes: routes.map((r) => ({ vehicleId: `d${r.driverId}`, stops: pending.filter((s) => s.routeId === r.id).map((s) => `s${s.id}`) })),
    progress,
    now,
  };
  const solverEvent: ReplanEvent =
    event.kind === 'urgent-need'
      ? {
          kind: 'urgent-stop',
          stop: { id: 'urgent', location: index.get('urgent')!, demand: urgent!.demand, serviceTime: SERVICE_S, allowedVehicles: fleet.filter((d) => d.homeWarehouseId === urgent!.warehouseId).map((d) => `d${d.id}`) },
        }
      : event.kind === 'driver-dropped'
        ? { kind: 'driver-dropped', vehicleId: `d${event.driverId}` }
        : { kind: 'closure', distances: problem.distances, durations: problem.durations };
  const result = await runInWorker<RouterJob, ReplanResult>(ROUTER, { op: 'replan', current, event: solverEvent, options: { seed: input.seed, timeLimitMs: input.timeLimitMs } });
  return apply(deps.outbox, planId, routes, pending, result, urgent, event, user);
}

async function pendingStops(db: Queryable, planId: number): Promise<PendingStop[]> {
  return db.query<PendingStop>(
    `SELECT s.id, s.route_id AS "routeId", r.driver_id AS "driverId", r.warehouse_id AS "warehouseId", s.kind,
            json_build_object('lat', s.lat, 'lon', s.lon) AS at,
            json_build_array(coalesce(sum(si.quantity * c.weight_kg), 0), coalesce(sum(si.quantity * c.volume_m3), 0)) AS demand
     FROM stops s JOIN routes r ON r.id = s.route_id
     LEFT JOIN stop_items si ON si.stop_id = s.id LEFT JOIN commodities c ON c.id = si.commodity_id
     WHERE r.plan_id = $1 AND r.kind = 'vehicle' AND r.status NOT IN ('completed', 'cancelled') AND s.status = 'pending'
     GROUP BY s.id, r.id ORDER BY r.id, s.seq`,
    [planId],
  );
}

async function urgentNeed(db: Queryable, event: Extract<ReplanInput, { kind: 'urgent-need' }>, scope: WarehouseScope): Promise<Urgent> {
  const [row] = await db.query<Urgent & { remaining: number; status: string; lotCommodity: number; available: number; weightKg: number; volumeM3: number; sealed: boolean; gateLat: number | null; gateLon: number | null; lat: number; lon: number }>(
    `SELECT n.id AS "needId", n.status, n.commodity_id AS "commodityId", n.quantity - n.fulfilled AS remaining, h.id AS "householdId", h.lat, h.lon,
            l.commodity_id AS "lotCommodity", l.warehouse_id AS "warehouseId", l.on_hand - l.reserved AS available, c.weight_kg AS "weightKg", c.volume_m3 AS "volumeM3",
            g.id AS "gateId", g.lat AS "gateLat", g.lon AS "gateLon"
     FROM needs n JOIN households h ON h.id = n.household_id
     LEFT JOIN LATERAL (SELECT g.id, g.lat, g.lon FROM gates g JOIN zones z ON z.id = g.zone_id WHERE z.id = h.zone_id AND z.status = 'sealed' ORDER BY g.id LIMIT 1) g ON true,
     lots l JOIN commodities c ON c.id = l.commodity_id
     WHERE n.id = $1 AND l.id = $2`,
    [event.needId, event.lotId],
  );
  if (!row) {
    const [need] = await db.query('SELECT id FROM needs WHERE id = $1', [event.needId]);
    throw need ? new NotFoundError('lot', event.lotId, 'body.event.lotId') : new NotFoundError('need', event.needId, 'body.event.needId');
  }
  checkRecord(scope, [row.warehouseId], 'lot', event.lotId, 'body.event.lotId');
  if (row.status !== 'open') throw new ConflictError(`need ${event.needId} is ${row.status}`);
  if (row.lotCommodity !== row.commodityId) throw invalidField('body.event.lotId', `lot ${event.lotId} holds another commodity than need ${event.needId} asks for`);
  if (event.quantity > row.remaining) throw invalidField('body.event.quantity', `need ${event.needId} asks for ${row.remaining} more at most`);
  if (event.quantity > row.available) throw new ConflictError(`lot ${event.lotId} has only ${row.available} available`);
  const gate = row.gateId !== null ? { lat: row.gateLat!, lon: row.gateLon! } : null;
  return {
    needId: row.needId,
    lotId: event.lotId,
    quantity: event.quantity,
    commodityId: row.commodityId,
    householdId: row.householdId,
    warehouseId: row.warehouseId,
    at: gate ?? { lat: row.lat, lon: row.lon },
    demand: [event.quantity * row.weightKg, event.quantity * row.volumeM3],
    gateId: row.gateId,
    householdAt: { lat: row.lat, lon: row.lon },
  };
}

async function apply(
  outbox: Outbox,
  planId: number,
  routes: { id: number; driverId: number; status: string; warehouseId: number }[],
  pending: PendingStop[],
  result: ReplanResult,
  urgent: Urgent | undefined,
  event: ReplanInput,
  user: SignedInUser,
): Promise<ReplanOutcome> {
  const outcome: ReplanOutcome = { routes: [], moved: [], unassigned: [] };
  await outbox.transaction(async (tx, notify) => {
    const [plan] = await tx.query<{ status: string }>('SELECT status FROM plans WHERE id = $1 FOR UPDATE', [planId]);
    if (plan!.status !== 'dispatched') throw new ConflictError(`plan ${planId} changed meanwhile`);
    const routeOf = new Map(routes.map((r) => [r.driverId, r.id]));
    const touched = new Set<number>();
    // Park every pending stop out of the way of the (route, seq) uniqueness before numbering them anew.
    await tx.query('UPDATE stops SET seq = -id WHERE id = ANY($1::int[])', [pending.map((s) => s.id)]);
    for (const planned of result.routes) {
      const driverId = Number(planned.vehicleId.slice(1));
      if (planned.stops.length === 0 && !routeOf.has(driverId)) continue;
      const routeId = routeOf.get(driverId) ?? (await newRoute(tx, planId, driverId));
      const before = pending.filter((s) => s.routeId === routeId).map((s) => `s${s.id}`).join();
      if (before !== planned.stops.join() || planned.stops.includes('urgent')) touched.add(routeId);
      for (const walking of await placeStops(tx, routeId, planned.stops, urgent, planId, user)) touched.add(walking);
    }
    for (const m of result.moved) outcome.moved.push({ stopId: m.id === 'urgent' ? 'urgent' : Number(m.id.slice(1)), ...(m.from ? { from: Number(m.from.slice(1)) } : {}), to: Number(m.to.slice(1)) });
    for (const u of result.unassigned) {
      outcome.unassigned.push({ stopId: u.id === 'urgent' ? 'urgent' : Number(u.id.slice(1)), reason: u.reason });
      if (u.id !== 'urgent') await giveBack(tx, Number(u.id.slice(1)), `could not be re-planned: ${u.reason}`, user);
    }
    if (event.kind === 'driver-dropped') {
      const dropped = routeOf.get(event.driverId)!;
      // Goods the dropped driver had picked up come back to the warehouse for the driver who takes them over.
      if (routes.find((r) => r.id === dropped)!.status === 'picked_up') {
        const stops = pending.filter((s) => s.routeId === dropped).map((s) => s.id);
        for (const item of await repo.itemsOfStops(tx, stops)) {
          for (const kind of ['returned', 'reserved'] as const) {
            await recordMovement(tx, { lotId: item.lotId, kind, quantity: item.quantity, needId: item.needId, stopId: item.stopId, planId, actorId: user.id, reason: `driver ${event.driverId} dropped out` });
          }
        }
      }
      await tx.query(`UPDATE routes SET status = 'cancelled', version = version + 1, updated_at = now() WHERE id = $1`, [dropped]);
      touched.add(dropped);
    }
    for (const routeId of touched) await tellRoute(tx, notify, routeId, `re-planned: ${event.kind}`);
    outcome.routes = [...touched];
  });
  return outcome;
}

async function newRoute(tx: Tx, planId: number, driverId: number): Promise<number> {
  const [driver] = await tx.query<{ home_warehouse_id: number }>('SELECT home_warehouse_id FROM drivers WHERE id = $1', [driverId]);
  return repo.insertRoute(tx, planId, { driverId, kind: 'vehicle', warehouseId: driver!.home_warehouse_id, zoneId: null, gateId: null, departureS: null, distanceM: null, durationS: null, stops: [] });
}

/** Puts the route's pending stops in the new order (done stops keep their places before them). */
async function placeStops(tx: Tx, routeId: number, order: string[], urgent: Urgent | undefined, planId: number, user: SignedInUser): Promise<number[]> {
  const [{ done }] = (await tx.query<{ done: number }>(`SELECT count(*) AS done FROM stops WHERE route_id = $1 AND status <> 'pending'`, [routeId])) as [{ done: number }];
  for (const [k, id] of order.entries()) {
    const seq = done + k + 1;
    if (id !== 'urgent') {
      await tx.query('UPDATE stops SET route_id = $2, seq = $3 WHERE id = $1', [Number(id.slice(1)), routeId, seq]);
      continue;
    }
    const u = urgent!;
    const stopId = await insertStop(tx, routeId, seq, u.gateId ? 'gate' : 'delivery', u.gateId ? null : u.householdId, u.gateId, u.at, u);
    await recordMovement(tx, { lotId: u.lotId, kind: 'reserved', quantity: u.quantity, needId: u.needId, planId, stopId, actorId: user.id, reason: 'urgent need' });
    if (u.gateId) return [await walkIn(tx, planId, u)];
  }
  return [];
}

async function insertStop(tx: Tx, routeId: number, seq: number, kind: 'delivery' | 'gate' | 'door', householdId: number | null, gateId: number | null, where: LatLon, u: Urgent, trip: number | null = null): Promise<number> {
  const [stop] = await tx.query<{ id: number }>(
    `INSERT INTO stops (route_id, seq, kind, household_id, gate_id, trip, lat, lon) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [routeId, seq, kind, householdId, gateId, trip, where.lat, where.lon],
  );
  await tx.query('INSERT INTO stop_items (stop_id, need_id, lot_id, commodity_id, quantity) VALUES ($1, $2, $3, $4, $5)', [stop!.id, u.needId, u.lotId, u.commodityId, u.quantity]);
  return stop!.id;
}

/** Urgent goods for a sealed zone: one more trip, first free, for a volunteer walking from that gate. */
async function walkIn(tx: Tx, planId: number, u: Urgent): Promise<number> {
  const [walk] = await tx.query<{ id: number; seq: number; trip: number }>(
    `SELECT r.id, coalesce(max(s.seq), 0) AS seq, coalesce(max(s.trip), 0) AS trip FROM routes r LEFT JOIN stops s ON s.route_id = r.id
     WHERE r.plan_id = $1 AND r.kind = 'walking' AND r.gate_id = $2 AND r.status NOT IN ('completed', 'cancelled') GROUP BY r.id ORDER BY r.id LIMIT 1`,
    [planId, u.gateId],
  );
  if (!walk) throw new ConflictError(`no gate volunteer is walking from gate ${u.gateId} in plan ${planId}: the urgent goods could not reach the door`);
  await insertStop(tx, walk.id, walk.seq + 1, 'door', u.householdId, u.gateId, u.householdAt, u, walk.trip + 1);
  return walk.id;
}

/** A stop the re-plan could not fit: it fails, and its goods go back to stock for the next plan. */
async function giveBack(tx: Tx, stopId: number, note: string, user: SignedInUser): Promise<void> {
  const [route] = await tx.query<{ status: string; plan_id: number }>('SELECT r.status, r.plan_id FROM routes r JOIN stops s ON s.route_id = r.id WHERE s.id = $1', [stopId]);
  for (const item of await repo.itemsOfStops(tx, [stopId])) {
    await recordMovement(tx, { lotId: item.lotId, kind: route!.status === 'picked_up' ? 'returned' : 'released', quantity: item.quantity, needId: item.needId, stopId, planId: route!.plan_id, actorId: user.id, reason: note });
  }
  await tx.query(`UPDATE stops SET status = 'failed', reason = 'other', note = $2, done_at = now() WHERE id = $1`, [stopId, note]);
}

