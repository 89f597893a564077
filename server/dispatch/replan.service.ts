// Re-planning routes under way: an urgent need, a driver who drops out, or a closure. Delivered stops
// stay as they are; goods already on board stay on their vehicle; other stops may move, and moving
// one to another driver costs, so the plan changes as little as it can. Affected drivers get the new
// route live.
import type { Queryable, Tx } from '../db/database.ts';
import { ConflictError, NotFoundError, invalidField } from '../http/errors.ts';
import type { Outbox } from '../live/outbox.ts';
import { tellRoute } from './dispatch.service.ts';
import type { RoadMap } from '../network/network.service.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { checkRecord, warehouseScope, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { checkPlanInScope, planStatus } from '../plans/plans.service.ts';
import { activeDrivers, getDriver } from '../drivers/drivers.service.ts';
import { allWarehouses } from '../warehouses/warehouses.service.ts';
import { findNeed } from '../needs/needs.repo.ts';
import { recordMovement } from '../stock/stock.service.ts';
import { runInWorker } from '../workers/ts-worker.ts';
import type { Customer, RoutingProblem } from '../../solver/routing/problem.ts';
import type { CurrentPlan, ReplanEvent, ReplanResult, VehicleProgress } from '../../solver/routing/replan.ts';
import type { LatLon } from '../../solver/network/index.ts';
import { ROUTER, SERVICE_S, GATE_SERVICE_S, asVehicle, at, matrixRows, type PlannedStop } from './route-build.ts';
import type { RouterJob } from './route.worker.ts';
import type { ReplanInput } from './dispatch.schema.ts';
import * as repo from './dispatch.repo.ts';
import type { RouteUnderWay } from './dispatch.repo.ts';
import * as stops from './stops.repo.ts';
import type { PendingStop } from './stops.repo.ts';

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
  const status = await planStatus(db, planId);
  if (!status) throw new NotFoundError('plan', planId);
  const scope = warehouseScope(user);
  await checkPlanInScope(db, planId, scope, 're-plan');
  if (status !== 'dispatched') throw new ConflictError(`plan ${planId} is ${status}; only dispatched routes can be re-planned`);
  const routes = await repo.routesUnderWay(db, planId);
  const drivers = (await activeDrivers(db)).filter((d) => d.kind === 'driver' && d.homeWarehouseId !== null);
  const event = input.event;
  if (event.kind === 'driver-dropped' && !routes.some((r) => r.driverId === event.driverId)) {
    throw invalidField('body.event.driverId', `driver ${event.driverId} has no route under way in plan ${planId}`);
  }
  const pending = await stops.pendingStops(db, planId);
  const urgent = event.kind === 'urgent-need' ? await urgentNeed(db, event, scope) : undefined;
  const warehouses = await allWarehouses(db);
  const positions = await repo.positions(db);

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
  const busy = await repo.busyDrivers(db, planId);
  const fleet = drivers.filter((d) => routes.some((r) => r.driverId === d.id) || !busy.has(d.id));
  const customers: Customer[] = pending.map((s) => ({
    id: `s${s.id}`,
    location: index.get(`s${s.id}`)!,
    demand: s.demand,
    ...(s.kind === 'collection' ? { pickup: s.pickup } : {}),
    serviceTime: s.kind === 'gate' ? GATE_SERVICE_S : SERVICE_S,
    allowedVehicles: fleet.filter((d) => d.homeWarehouseId === s.warehouseId).map((d) => `d${d.id}`),
  }));
  const problem: RoutingProblem = {
    depots: warehouses.map((w) => ({ id: `w${w.id}`, location: index.get(`w${w.id}`)! })),
    customers,
    vehicles: fleet.map((v) => asVehicle(v)),
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

async function urgentNeed(db: Queryable, event: Extract<ReplanInput, { kind: 'urgent-need' }>, scope: WarehouseScope): Promise<Urgent> {
  const row = await repo.urgentLine(db, event.needId, event.lotId);
  if (!row) {
    throw (await findNeed(db, event.needId)) ? new NotFoundError('lot', event.lotId, 'body.event.lotId') : new NotFoundError('need', event.needId, 'body.event.needId');
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
  routes: RouteUnderWay[],
  pending: PendingStop[],
  result: ReplanResult,
  urgent: Urgent | undefined,
  event: ReplanInput,
  user: SignedInUser,
): Promise<ReplanOutcome> {
  const outcome: ReplanOutcome = { routes: [], moved: [], unassigned: [] };
  await outbox.transaction(async (tx, notify) => {
    if ((await planStatus(tx, planId, true)) !== 'dispatched') throw new ConflictError(`plan ${planId} changed meanwhile`);
    const routeOf = new Map(routes.map((r) => [r.driverId, r.id]));
    const touched = new Set<number>();
    // Park every pending stop out of the way of the (route, seq) uniqueness before numbering them anew.
    await stops.parkStops(tx, pending.map((s) => s.id));
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
        const onBoard = pending.filter((s) => s.routeId === dropped).map((s) => s.id);
        for (const item of await stops.itemsOfStops(tx, onBoard)) {
          for (const kind of ['returned', 'reserved'] as const) {
            await recordMovement(tx, { lotId: item.lotId, kind, quantity: item.quantity, needId: item.needId, stopId: item.stopId, planId, actorId: user.id, reason: `driver ${event.driverId} dropped out` });
          }
        }
      }
      await repo.setRouteStatus(tx, dropped, 'cancelled');
      touched.add(dropped);
    }
    for (const routeId of touched) await tellRoute(tx, notify, routeId, `re-planned: ${event.kind}`);
    outcome.routes = [...touched];
  });
  return outcome;
}

async function newRoute(tx: Tx, planId: number, driverId: number): Promise<number> {
  return repo.insertRoute(tx, planId, { driverId, kind: 'vehicle', warehouseId: (await getDriver(tx, driverId)).homeWarehouseId!, zoneId: null, gateId: null, departureS: null, distanceM: null, durationS: null, stops: [] });
}

/** Puts the route's pending stops in the new order (done stops keep their places before them). */
async function placeStops(tx: Tx, routeId: number, order: string[], urgent: Urgent | undefined, planId: number, user: SignedInUser): Promise<number[]> {
  const done = await stops.doneStopCount(tx, routeId);
  for (const [k, id] of order.entries()) {
    const seq = done + k + 1;
    if (id !== 'urgent') {
      await stops.moveStop(tx, Number(id.slice(1)), routeId, seq);
      continue;
    }
    const u = urgent!;
    const stopId = await stops.insertStop(tx, routeId, seq, urgentStop(u, u.gateId ? 'gate' : 'delivery', u.gateId ? null : u.householdId, u.at));
    await recordMovement(tx, { lotId: u.lotId, kind: 'reserved', quantity: u.quantity, needId: u.needId, planId, stopId, actorId: user.id, reason: 'urgent need' });
    if (u.gateId) return [await walkIn(tx, planId, u)];
  }
  return [];
}

/** A stop carrying the urgent goods. */
function urgentStop(u: Urgent, kind: PlannedStop['kind'], householdId: number | null, at: LatLon, trip: number | null = null): PlannedStop {
  return { kind, householdId, gateId: u.gateId, trip, at, etaS: null, items: [{ needId: u.needId, lotId: u.lotId, commodityId: u.commodityId, quantity: u.quantity }] };
}

/** Urgent goods for a sealed zone: one more trip, first free, for a volunteer walking from that gate. */
async function walkIn(tx: Tx, planId: number, u: Urgent): Promise<number> {
  const walk = await stops.walkFrom(tx, planId, u.gateId!);
  if (!walk) throw new ConflictError(`no gate volunteer is walking from gate ${u.gateId} in plan ${planId}: the urgent goods could not reach the door`);
  await stops.insertStop(tx, walk.id, walk.seq + 1, urgentStop(u, 'door', u.householdId, u.householdAt, walk.trip + 1));
  return walk.id;
}

/** A stop the re-plan could not fit: it fails, and its goods go back to stock for the next plan. */
async function giveBack(tx: Tx, stopId: number, note: string, user: SignedInUser): Promise<void> {
  const route = await stops.routeOfStop(tx, stopId);
  for (const item of await stops.itemsOfStops(tx, [stopId])) {
    await recordMovement(tx, { lotId: item.lotId, kind: route.status === 'picked_up' ? 'returned' : 'released', quantity: item.quantity, needId: item.needId, stopId, planId: route.planId, actorId: user.id, reason: note });
  }
  await stops.closeStop(tx, stopId, { status: 'failed', reason: 'other', note });
}

