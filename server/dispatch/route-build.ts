// Dispatch: turns an approved plan into routes. Each driver leaves their home warehouse with the goods
// allocated from it, reloading there between trips; households in a sealed zone are served through its
// gate (one vehicle stop with all their goods) and gate volunteers walk the goods in, the most vulnerable
// first. Pledges waiting at a collection point are picked up on the routes of their warehouse and brought
// back to it. Travel times come from today's road network; the vehicle router solves each warehouse on worker threads.
import type { Queryable } from '../db/database.ts';
import type { RoadMap } from '../network/network.service.ts';
import { availableParallelism } from 'node:os';
import { runAllInWorkers } from '../workers/ts-worker.ts';
import { beyondHandling, planGateDeliveries, type DeliveryStop, type GatePlan, type SealedZone } from '../../solver/routing/last-mile.ts';
import type { Customer, Vehicle } from '../../solver/routing/problem.ts';
import type { RoutingSolution } from '../../solver/routing/solve.ts';
import type { UnassignedReason } from '../../solver/routing/unservable.ts';
import type { RouterJob } from './route.worker.ts';
import type { LatLon, TravelMatrix } from '../../solver/network/index.ts';
import * as repo from './dispatch.repo.ts';
import { groupBy } from '../db/rows.ts';
import type { AllocationLine } from './dispatch.repo.ts';
import { activeDrivers, CARRY_KG_PER_HOUR, carryInKg, DEFAULT_TRIPS, gateTeams, seconds } from '../drivers/drivers.service.ts';
import type { Driver } from '../drivers/drivers.schema.ts';
import type { DayLimits } from './dispatch.schema.ts';
import { viaGateOf } from '../plans/plans.service.ts';
import { allWarehouses } from '../warehouses/warehouses.service.ts';
import { allGates, type Gate } from '../zones/zones.service.ts';
import { pledgesToCollect } from '../donations/donations.service.ts';
import { covers, type WarehouseScope } from '../auth/warehouse-scope.ts';
import type { PledgeToCollect } from '../donations/donations.repo.ts';

export const ROUTER = new URL('./route.worker.ts', import.meta.url);
/** Minutes at a door to hand over goods, and at a gate to unload for the volunteers. */
export const SERVICE_S = 180;
export const GATE_SERVICE_S = 600;
/** A cargo bike keeps 60 % of a van's pace in town; cars and vans are taken as equal. */
const SPEED: Record<string, number> = { car: 1, van: 1, cargo_bike: 0.6, on_foot: 0.25 };
/** Time to load the next trip at the warehouse. */
export const RELOAD_S = 900;
/** Critical medicine is due before noon. */
const NOON_S = 12 * 3600;

export interface ItemLine {
  needId: number;
  lotId: number;
  commodityId: number;
  quantity: number;
}

export interface PlannedStop {
  kind: 'delivery' | 'gate' | 'door' | 'collection';
  householdId: number | null;
  gateId: number | null;
  /** The pledge a collection stop picks up. */
  donationId?: number;
  trip: number | null;
  at: LatLon;
  etaS: number | null;
  items: ItemLine[];
}

export interface PlannedRoute {
  driverId: number;
  kind: 'vehicle' | 'walking';
  warehouseId: number | null;
  zoneId: number | null;
  gateId: number | null;
  departureS: number | null;
  distanceM: number | null;
  durationS: number | null;
  stops: PlannedStop[];
}

export interface Unassigned {
  householdId: number;
  warehouseId: number;
  needIds: number[];
  reason: string;
}

/** A pledge waiting at its collection point that no route picks up today, and why. */
export interface Uncollected {
  donationId: number;
  trackingCode: string;
  warehouseId: number;
  reason: string;
}

export interface DispatchResult {
  routes: PlannedRoute[];
  unassigned: Unassigned[];
  uncollected: Uncollected[];
  stats: RoutingSolution['stats'] | null;
}

/** Households of one warehouse: what each receives, as the router's stop. */
export interface HouseholdStop {
  key: string;
  warehouseId: number;
  householdId: number;
  at: LatLon;
  zoneId: number | null;
  sealed: boolean;
  items: ItemLine[];
  demand: [number, number];
  priority: number;
  dueS: number | undefined;
}

/**
 * Routes for an approved plan. `scope` is the dispatching coordinator's warehouses: only pledges brought to
 * those are collected (another warehouse's pledges are not theirs to send a driver for, nor to read).
 */
export async function buildRoutes(
  db: Queryable,
  roads: RoadMap,
  planId: number,
  options: { timeLimitMs?: number; seed: number; limits?: Partial<Record<string, DayLimits>> },
  scope: WarehouseScope,
): Promise<DispatchResult> {
  const lines = await allocationLines(db, planId);
  const drivers = await activeDrivers(db);
  const gates = await allGates(db);
  const warehouses = await allWarehouses(db);
  const households = householdStops(lines);
  const vehicles = drivers.filter((d) => d.kind === 'driver' && d.homeWarehouseId !== null);
  const volunteers = drivers.filter((d) => d.kind === 'gate_volunteer');
  // Looked up by warehouse, zone and id: a district has 40 warehouses, 2,000 gates and as many volunteers.
  const fleetOf = groupBy(vehicles, (v) => v.homeWarehouseId!);
  const gatesOf = groupBy(gates, (g) => g.zoneId);
  const teamOf = gateTeams(volunteers);
  const gateById = new Map(gates.map((g) => [String(g.id), g]));
  const unassigned: Unassigned[] = [];
  const uncollected: Uncollected[] = [];
  const noDriver = (warehouseId: number) => `no active driver is based at warehouse ${warehouseId}`;

  // Goods at a warehouse with no driver based there cannot leave it, nor pledges reach it.
  const served = households.filter((h) => {
    if (fleetOf.has(h.warehouseId)) return true;
    unassigned.push(unassignedOf(h, noDriver(h.warehouseId)));
    return false;
  });
  const pledges = (await pledgesToCollect(db)).filter((p) => {
    if (!covers(scope, [p.warehouseId])) return false;
    if (fleetOf.has(p.warehouseId)) return true;
    uncollected.push(uncollectedOf(p, noDriver(p.warehouseId)));
    return false;
  });
  const pledgeByKey = new Map(pledges.map((p) => [pledgeKey(p), p]));

  // Points: warehouses, gates, then households outside sealed zones (vehicle matrix). Inside sealed zones
  // people walk, and only within their own zone: one small foot matrix per zone (its gates, then its doors).
  const vehiclePoints: LatLon[] = [...warehouses.map(at), ...gates.map(at)];
  const vehicleIndex = new Map<string, number>();
  warehouses.forEach((w, i) => vehicleIndex.set(`w${w.id}`, i));
  gates.forEach((g, i) => vehicleIndex.set(`g${g.id}`, warehouses.length + i));
  for (const h of served) if (!h.sealed) vehicleIndex.set(h.key, vehiclePoints.push(h.at) - 1);
  for (const p of pledges) vehicleIndex.set(pledgeKey(p), vehiclePoints.push(at(p)) - 1);
  const walks = await footMatrices(roads, gatesOf, served.filter((h) => h.sealed));

  // The last hundred metres, per warehouse (a gate stop carries one warehouse's goods).
  const vehicleStops = new Map<number, Customer[]>();
  const stopsOf = (warehouseId: number) => vehicleStops.get(warehouseId) ?? vehicleStops.set(warehouseId, []).get(warehouseId)!;
  const gatePlans: { warehouseId: number; plan: GatePlan }[] = [];
  const byKey = new Map(served.map((h) => [h.key, h]));
  const carry = carryCapacity(volunteers);
  const zones = new Map(
    [...walks].map(([zoneId, walk]): [number, SealedZone] => [
      zoneId,
      {
        id: String(zoneId),
        footDistances: walk.distances,
        gates: (gatesOf.get(zoneId) ?? []).map((g) => ({
          id: String(g.id),
          location: vehicleIndex.get(`g${g.id}`)!,
          footLocation: walk.index.get(`g${g.id}`)!,
          volunteers: Math.max(1, teamOf.get(zoneId)?.length ?? 0),
        })),
        // A zone without volunteers of its own keeps the old way: goods left at the gate, no limit.
        ...(teamOf.has(zoneId) ? { handlingCapacity: [carryInKg(teamOf.get(zoneId)!), Infinity] } : {}),
      },
    ]),
  );
  const deliveryStop = (h: HouseholdStop): DeliveryStop => ({
    id: h.key,
    location: h.sealed ? 0 : vehicleIndex.get(h.key)!,
    demand: h.demand,
    serviceTime: SERVICE_S,
    timeWindow: h.dueS !== undefined ? [0, h.dueS] : undefined,
    zoneId: h.sealed ? String(h.zoneId) : undefined,
    footLocation: h.sealed ? walks.get(h.zoneId!)!.index.get(h.key) : undefined,
    priority: h.priority,
  });
  // A gate takes in no more than its volunteers carry, from all warehouses together (a zone's goods come from
  // seven of them on average in a generated district): the least vulnerable households wait, whatever their warehouse.
  const beyond = beyondHandling({ stops: served.filter((h) => h.sealed).map(deliveryStop), zones: [...zones.values()] });
  for (const key of beyond) unassigned.push(unassignedOf(byKey.get(key)!, GATE_REASONS['gate-capacity']));
  const withoutHandling = ({ handlingCapacity: _cut, ...zone }: SealedZone): SealedZone => zone;
  for (const [warehouseId, own] of groupBy(served.filter((h) => !beyond.has(h.key)), (h) => h.warehouseId)) {
    const fleet = fleetOf.get(warehouseId)!;
    const allowed = fleet.map((v) => `d${v.id}`);
    const maxLoad = fleet.reduce((m, v) => [Math.max(m[0]!, v.capacityWeightKg), Math.max(m[1]!, v.capacityVolumeM3)], [0, 0]);
    const zonesHere = [...new Set(own.filter((h) => h.sealed).map((h) => h.zoneId!))];
    const plan = planGateDeliveries({
      stops: own.map((h) => ({ ...deliveryStop(h), allowedVehicles: allowed })),
      zones: zonesHere.map((zoneId) => withoutHandling(zones.get(zoneId)!)),
      carryCapacity: carry,
      gateServiceTime: GATE_SERVICE_S,
      maxStopLoad: [Math.max(maxLoad[0]!, carry[0]!), Math.max(maxLoad[1]!, carry[1]!)],
    });
    for (const u of plan.unassigned) unassigned.push(unassignedOf(byKey.get(u.id)!, GATE_REASONS[u.reason]));
    const stopsHere = stopsOf(warehouseId);
    for (const stop of plan.vehicleStops) {
      stopsHere.push({ ...stop, id: stop.id.startsWith('gate:') ? `${stop.id}@${warehouseId}` : stop.id, allowedVehicles: allowed });
    }
    gatePlans.push({ warehouseId, plan });
  }
  // A pledge is picked up on a route of its warehouse and carried back to it (dropped there at a reload too).
  for (const p of pledges) {
    stopsOf(p.warehouseId).push({
      id: pledgeKey(p),
      location: vehicleIndex.get(pledgeKey(p))!,
      demand: [0, 0],
      pickup: [p.weightKg, p.volumeM3],
      serviceTime: SERVICE_S,
      allowedVehicles: fleetOf.get(p.warehouseId)!.map((v) => `d${v.id}`),
    });
  }

  // A warehouse's vehicles drive only between its own points: a matrix per warehouse, not one between every point
  // of the district (after a 200,000-household day's import, ~33,000 points outside sealed zones: 17 GB).
  const pointsOf = [...vehicleStops].map(([warehouseId, customers]) => [warehouseId, warehousePoints(warehouseId, customers, vehicleIndex)] as const);
  const matrices = await roads.travelMatrices(pointsOf.map(([, points]) => points.map((i) => vehiclePoints[i]!)), 'van');
  const drive = new Map(pointsOf.map(([warehouseId, points], k) => [warehouseId, { points, matrix: matrices[k]! }]));
  const solution = await routeWarehouses(vehicleStops, fleetOf, drive, options);
  const gateStops: GateStops = new Map(gatePlans.flatMap(({ warehouseId, plan }) => plan.gateStops.map((g) => [`${g.stopId}@${warehouseId}`, g] as [string, typeof g])));

  for (const u of solution?.unassigned ?? []) {
    const pledge = pledgeByKey.get(u.id);
    if (pledge) {
      // From the warehouse, its matrix's first point.
      const { points, matrix } = drive.get(pledge.warehouseId)!;
      const there = matrix.timesS[points.indexOf(vehicleIndex.get(u.id)!)]!;
      uncollected.push(uncollectedOf(pledge, Number.isFinite(there) ? PICKUP_REASONS[u.reason] : 'no road open to vehicles reaches it (a sealed zone or a closure)'));
      continue;
    }
    const households = u.id.startsWith('gate:') ? gateStops.get(u.id)!.households.map((key) => byKey.get(key)!) : [byKey.get(u.id)!];
    for (const h of households) unassigned.push(unassignedOf(h, u.reason));
  }
  const routes = vehicleRoutes(solution, byKey, pledgeByKey, gateStops, gateById, vehicles);
  routes.push(...walkingRoutes(gatePlans, byKey, gateById, teamOf, routes));
  return { routes, unassigned, uncollected, stats: solution?.stats ?? null };
}

const pledgeKey = (p: PledgeToCollect) => `pledge:${p.donationId}`;

function uncollectedOf(p: PledgeToCollect, reason: string): Uncollected {
  return { donationId: p.donationId, trackingCode: p.trackingCode, warehouseId: p.warehouseId, reason };
}

/** The router's reasons, as a coordinator reads them for a pledge left where it is. */
const PICKUP_REASONS: Record<UnassignedReason, string> = {
  'exceeds-capacity': 'it weighs or fills more than any vehicle of its warehouse carries',
  'window-unreachable': 'no vehicle of its warehouse can drive there and back within its shift',
  'exceeds-max-duration': 'the trip there and back is longer than a route may last',
  'exceeds-route-limits': "the trip there and back is longer than today's limits allow",
  'no-allowed-vehicle': 'no vehicle of its warehouse may take it',
  'no-vehicle-left': 'the vehicles of its warehouse are full today',
};

const GATE_REASONS: Record<GatePlan['unassigned'][number]['reason'], string> = {
  'zone-without-gate': 'its sealed zone has no gate',
  'unreachable-on-foot': 'no walking path from the gate',
  'gate-capacity': `the gate's volunteers cannot carry more in today (${CARRY_KG_PER_HOUR} kg an hour each over their shifts)`,
};

export const at = (p: { lat: number; lon: number }): LatLon => ({ lat: p.lat, lon: p.lon });

/**
 * A driver as the router sees them: leaves from their home warehouse within their shift (or the day's),
 * reloads there between trips, and keeps the day's limits of their vehicle type.
 */
export function asVehicle(v: Driver, limits: DayLimits = {}): Vehicle {
  const trips = limits.maxTrips ?? DEFAULT_TRIPS[v.vehicleType] ?? 1;
  return {
    id: `d${v.id}`,
    startDepot: `w${v.homeWarehouseId}`,
    capacity: [v.capacityWeightKg, v.capacityVolumeM3],
    speedFactor: SPEED[v.vehicleType] ?? 1,
    shift: limits.shift ? [seconds(limits.shift.start), seconds(limits.shift.end)] : [seconds(v.shiftStart), seconds(v.shiftEnd)],
    ...(limits.maxStops !== undefined ? { maxStops: limits.maxStops } : {}),
    ...(limits.maxTravelTimeS !== undefined ? { maxTravelTime: limits.maxTravelTimeS } : {}),
    ...(limits.maxDistanceM !== undefined ? { maxDistance: limits.maxDistanceM } : {}),
    ...(trips > 1 ? { maxTrips: trips, reloadTime: RELOAD_S } : {}),
  };
}

/** A travel matrix as the router takes it: rows. */
export function matrixRows(m: { size: number; timesS: Float64Array; distancesM: Float64Array }, field: 'timesS' | 'distancesM'): number[][] {
  return Array.from({ length: m.size }, (_, i) => Array.from(m[field].subarray(i * m.size, (i + 1) * m.size)));
}

/** Threads that solve the warehouses' routing problems, each taking the next as it finishes one. */
const ROUTER_THREADS = Math.min(2, availableParallelism());
/** Least search time a warehouse's problem gets, however few its stops. */
const MIN_SEARCH_MS = 200;

/**
 * The router's time when the coordinator gives none: 5 s, and 1 s more per 1,000 vehicle stops, at most 30 s.
 * A generated 200,000-household district (served mostly through its compounds' gates) left 20,000-30,000 households
 * without a vehicle at a flat 5 s, 19,178 at the 13.5 s this gives it (2 cores, under load).
 */
export const defaultRouteLimitMs = (vehicleStops: number): number => Math.min(30_000, 5_000 + vehicleStops);

/** A warehouse's own points, as indices of the vehicle points: the warehouse, then its stops' places, each once. */
export const warehousePoints = (warehouseId: number, customers: readonly Customer[], vehicleIndex: Map<string, number>): number[] => [
  ...new Set([vehicleIndex.get(`w${warehouseId}`)!, ...customers.map((c) => c.location)]),
];

/** A warehouse's own points (warehousePoints: the warehouse first) and the travel matrix between them. */
export interface WarehouseDrive {
  points: number[];
  matrix: TravelMatrix;
}

/**
 * The vehicle routes of every warehouse. A warehouse's vehicles serve only its stops, so each warehouse is a
 * routing problem of its own, on the travel times between its own points (`drive`, per warehouse): the problems
 * are solved side by side on the router's threads, the largest first, each searched for its share of the time
 * (the threads × the limit, by its number of stops), so that the whole takes about the limit whatever the
 * district's size. `fleetOf` gives each warehouse's vehicles.
 */
export async function routeWarehouses(
  stops: Map<number, Customer[]>,
  fleetOf: Map<number, Driver[]>,
  drive: Map<number, WarehouseDrive>,
  options: { timeLimitMs?: number; seed: number; limits?: Partial<Record<string, DayLimits>> },
): Promise<RoutingSolution | null> {
  const total = [...stops.values()].reduce((sum, s) => sum + s.length, 0);
  if (total === 0) return null;
  const timeLimitMs = options.timeLimitMs ?? defaultRouteLimitMs(total);
  const jobs = [...stops].sort(([a, x], [b, y]) => y.length - x.length || a - b).map(([warehouseId, customers]): RouterJob => {
    const { points, matrix } = drive.get(warehouseId)!;
    const local = new Map(points.map((p, i) => [p, i]));
    return {
      op: 'solve',
      problem: {
        depots: [{ id: `w${warehouseId}`, location: 0 }],
        customers: customers.map((c) => ({ ...c, location: local.get(c.location)! })),
        vehicles: (fleetOf.get(warehouseId) ?? []).map((v) => asVehicle(v, options.limits?.[v.vehicleType])),
        distances: matrixRows(matrix, 'distancesM'),
        durations: matrixRows(matrix, 'timesS'),
      },
      options: { seed: options.seed, timeLimitMs: Math.max(MIN_SEARCH_MS, Math.round((timeLimitMs * ROUTER_THREADS * customers.length) / total)) },
    };
  });
  const solutions = await runAllInWorkers<RouterJob, RoutingSolution>(ROUTER, jobs, ROUTER_THREADS);
  return {
    routes: solutions.flatMap((s) => s.routes),
    cost: solutions.reduce((sum, s) => sum + s.cost, 0),
    unassigned: solutions.flatMap((s) => s.unassigned),
    feasible: solutions.every((s) => s.feasible),
    stats: {
      iterations: solutions.reduce((sum, s) => sum + s.stats.iterations, 0),
      ms: solutions.reduce((sum, s) => sum + s.stats.ms, 0),
      poolSize: solutions.reduce((sum, s) => sum + s.stats.poolSize, 0),
      improvedByPartitioning: solutions.some((s) => s.stats.improvedByPartitioning),
      partitionMs: solutions.reduce((sum, s) => sum + s.stats.partitionMs, 0),
    },
  };
}

/**
 * Per sealed zone with households to serve: walking distances between its gates and those doors. Doors at one
 * place share one point of the matrix (a household served from two warehouses, a building's households: a
 * generated district has about 22 to a building), so a zone's matrix grows with its buildings, not its
 * households; between them the walk is 0 m, not a detour to the nearest street corner and back.
 */
export async function footMatrices(roads: RoadMap, gatesOf: Map<number, Gate[]>, sealed: HouseholdStop[]): Promise<Map<number, { index: Map<string, number>; distances: number[][] }>> {
  const zones = new Map<number, { index: Map<string, number>; points: LatLon[] }>();
  const places = new Map<string, number>();
  for (const h of sealed) {
    let zone = zones.get(h.zoneId!);
    if (!zone) {
      const own = gatesOf.get(h.zoneId!) ?? [];
      zone = { index: new Map(own.map((g, i) => [`g${g.id}`, i])), points: own.map(at) };
      zones.set(h.zoneId!, zone);
    }
    const place = `${h.zoneId}:${h.at.lat},${h.at.lon}`;
    if (!places.has(place)) places.set(place, zone.points.push(h.at) - 1);
    zone.index.set(h.key, places.get(place)!);
  }
  // One call for all zones: the network is brought up to date once, and each thread computes whole zones.
  const matrices = await roads.travelMatrices([...zones.values()].map((z) => z.points), 'foot');
  return new Map([...zones].map(([zoneId, { index }], k) => [zoneId, { index, distances: matrixRows(matrices[k]!, 'distancesM') }]));
}

/** What one volunteer carries per trip: the least among them (anyone may walk any trip). */
function carryCapacity(volunteers: Driver[]): [number, number] {
  if (volunteers.length === 0) return [20, 0.06];
  return [Math.min(...volunteers.map((v) => v.capacityWeightKg)), Math.min(...volunteers.map((v) => v.capacityVolumeM3))];
}

/** The plan's lines; households the plan serves through a sealed zone's gate count as inside that zone. */
async function allocationLines(db: Queryable, planId: number): Promise<AllocationLine[]> {
  const [lines, viaGate] = [await repo.allocationLines(db, planId), await viaGateOf(db, planId)];
  return lines.map((l) => (viaGate[l.needId] !== undefined ? { ...l, sealed: true, zoneId: viaGate[l.needId]! } : l));
}

function householdStops(lines: AllocationLine[]): HouseholdStop[] {
  const stops = new Map<string, HouseholdStop>();
  for (const l of lines) {
    const key = `${l.warehouseId}:${l.householdId}`;
    let stop = stops.get(key);
    if (!stop) {
      stop = { key, warehouseId: l.warehouseId, householdId: l.householdId, at: { lat: l.lat, lon: l.lon }, zoneId: l.zoneId, sealed: l.sealed, items: [], demand: [0, 0], priority: l.vulnerable, dueS: undefined };
      stops.set(key, stop);
    }
    stop.items.push({ needId: l.needId, lotId: l.lotId, commodityId: l.commodityId, quantity: l.quantity });
    stop.demand[0] += l.quantity * l.weightKg;
    stop.demand[1] += l.quantity * l.volumeM3;
    if (l.category === 'medicine' && l.urgency === 'critical') {
      stop.dueS = NOON_S;
      stop.priority = Math.max(stop.priority, 3);
    }
  }
  return [...stops.values()];
}

function unassignedOf(h: HouseholdStop, reason: string): Unassigned {
  return { householdId: h.householdId, warehouseId: h.warehouseId, needIds: [...new Set(h.items.map((i) => i.needId))], reason };
}

/** A warehouse's gate stop as the router knows it (`gate:…@warehouse`): the gate and the households it carries for. */
type GateStops = Map<string, GatePlan['gateStops'][number]>;

function vehicleRoutes(
  solution: RoutingSolution | null,
  byKey: Map<string, HouseholdStop>,
  pledgeByKey: Map<string, PledgeToCollect>,
  gateStops: GateStops,
  gateById: Map<string, Gate>,
  vehicles: Driver[],
): PlannedRoute[] {
  return (solution?.routes ?? [])
    .filter((r) => r.stops.length > 0)
    .map((r) => {
      // A vehicle that reloads numbers its stops by trip: the driver goes back to the warehouse between them.
      const tripOf = (k: number) => (r.reloads === undefined ? null : 1 + r.reloads.filter((x) => x.after <= k).length);
      const stops = r.stops.map((id, k): PlannedStop => {
        const pledge = pledgeByKey.get(id);
        if (pledge) return { kind: 'collection', householdId: null, gateId: null, donationId: pledge.donationId, trip: tripOf(k), at: at(pledge), etaS: r.serviceStarts[k] ?? null, items: [] };
        if (!id.startsWith('gate:')) {
          const h = byKey.get(id)!;
          return { kind: 'delivery', householdId: h.householdId, gateId: null, trip: tripOf(k), at: h.at, etaS: r.serviceStarts[k] ?? null, items: h.items };
        }
        const gateStop = gateStops.get(id)!;
        const gate = gateById.get(gateStop.gateId)!;
        return { kind: 'gate', householdId: null, gateId: gate.id, trip: tripOf(k), at: at(gate), etaS: r.serviceStarts[k] ?? null, items: gateStop.households.flatMap((key) => byKey.get(key)!.items) };
      });
      const driverId = Number(r.vehicleId.slice(1));
      const warehouseId = vehicles.find((v) => v.id === driverId)!.homeWarehouseId!;
      return { driverId, kind: 'vehicle', warehouseId, zoneId: null, gateId: null, departureS: r.departure, distanceM: r.distance, durationS: r.duration, stops };
    });
}

/** Each volunteer of a zone walks the trips the planner gave their number, in priority order. */
function walkingRoutes(
  gatePlans: { warehouseId: number; plan: GatePlan }[],
  byKey: Map<string, HouseholdStop>,
  gateById: Map<string, Gate>,
  teamOf: Map<number, Driver[]>,
  vehicle: PlannedRoute[],
): PlannedRoute[] {
  const delivered = new Set(vehicle.flatMap((r) => r.stops.filter((s) => s.kind === 'gate').flatMap((s) => s.items.map((i) => `${i.needId}:${i.lotId}`))));
  const routes = new Map<string, PlannedRoute>();
  for (const { plan } of gatePlans) {
    for (const tour of plan.walkingTours) {
      const gate = gateById.get(tour.gateId)!;
      const team = teamOf.get(gate.zoneId) ?? [];
      if (team.length === 0) continue;
      for (const trip of tour.trips) {
        const volunteer = team[trip.volunteer % team.length]!;
        const key = `${volunteer.id}:${gate.id}`;
        const route = routes.get(key) ?? { driverId: volunteer.id, kind: 'walking' as const, warehouseId: null, zoneId: gate.zoneId, gateId: gate.id, departureS: null, distanceM: 0, durationS: null, stops: [] };
        routes.set(key, route);
        const tripNo = new Set(route.stops.map((s) => s.trip)).size + 1;
        for (const visit of trip.visits) {
          const h = byKey.get(visit.id)!;
          // Only goods that a vehicle actually brings to the gate can be walked in.
          const items = h.items.filter((i) => delivered.has(`${i.needId}:${i.lotId}`));
          if (items.length) route.stops.push({ kind: 'door', householdId: h.householdId, gateId: gate.id, trip: tripNo, at: h.at, etaS: null, items });
        }
        route.distanceM = (route.distanceM ?? 0) + trip.distance;
      }
    }
  }
  return [...routes.values()].filter((r) => r.stops.length > 0);
}
