// The vehicle-routing problem as callers state it (depots, customers, fleet, matrices), validated once
// and compiled into flat typed arrays that the search reads without re-checking anything.
import { InvalidProblemError } from '../errors.ts';

export type TimeWindow = [earliest: number, latest: number];

export interface Depot {
  id: string;
  /** Row/column of this place in the matrices. */
  location: number;
  /** Opening hours: vehicles leave no earlier and return no later. */
  timeWindow?: TimeWindow;
}

export interface Customer {
  id: string;
  location: number;
  /** One quantity per capacity dimension (e.g. [weight, volume]), loaded at the start depot and dropped here. */
  demand: number[];
  /** Quantities collected here and carried to the end depot (default none); the load is checked after every stop. */
  pickup?: number[];
  /**
   * Weight of serving it when not everyone can be served (default 0): the search first maximises the sum
   * of the priorities of the customers served, then their number, then minimises the cost (VROOM's rule).
   */
  priority?: number;
  /** Window for the start of service. */
  timeWindow?: TimeWindow;
  serviceTime?: number;
  /** Only these vehicles may serve the stop (e.g. goods already on board, a cargo bike that cannot carry it). */
  allowedVehicles?: string[];
  /** The vehicle that serves it now; moving it elsewhere costs `reassignmentCost` (re-planning). */
  currentVehicle?: string;
}

/** One end of a shipment: where goods are collected, or where they are handed over. */
export interface ShipmentStop {
  /** Unique among customers and shipment stops: the id routes list it by. */
  id: string;
  location: number;
  timeWindow?: TimeWindow;
  serviceTime?: number;
}

/**
 * Goods collected at one place and brought to another by the same vehicle, on the same trip (e.g. a
 * donation from a donor's door to a warehouse): on board from the pickup until the delivery.
 */
export interface Shipment {
  id: string;
  pickup: ShipmentStop;
  delivery: ShipmentStop;
  /** One quantity per capacity dimension. */
  amount: number[];
  /** As for customers: both stops count it once each. */
  priority?: number;
  allowedVehicles?: string[];
}

/** Terms added to the cost of each route, beyond distance (both default to 0: off). */
export interface ObjectiveOptions {
  /**
   * Even workloads: each route used adds `evenWorkload × duration²`. With the work fixed, the sum of
   * squares is least when the durations are equal, so long routes give work to short ones.
   */
  evenWorkload?: number;
  /**
   * Priority means served earlier: each task adds `servedEarlier × priority × t`, t being the driving and
   * service time from the route's departure to the task (waiting not counted). Insulin before eggs.
   */
  servedEarlier?: number;
  /**
   * Fewest vehicles first (default false): the search minimises the number of routes used before the
   * cost, as the Solomon and Homberger VRPTW literature ranks solutions (a van kept home saves a driver).
   * Serving everyone still comes first: a vehicle is never saved by leaving a customer out.
   */
  fewestVehicles?: boolean;
}

/** A pause the driver must take on every route the vehicle drives, where it happens to be (no travel). */
export interface Break {
  id: string;
  /** Window for the start of the pause. */
  timeWindow?: TimeWindow;
  duration: number;
}

export interface Vehicle {
  id: string;
  /** Identical copies of this vehicle (default 1); routes of copies share the id and differ by `copy`. */
  count?: number;
  startDepot: string;
  /** Defaults to the start depot. */
  endDepot?: string;
  /** One limit per capacity dimension, same order as the demands. */
  capacity: number[];
  /** Travel time is the matrix duration divided by this (a cargo bike is slower than a van). Default 1. */
  speedFactor?: number;
  /** Working hours of the driver: leaves the depot no earlier, is back no later. */
  shift?: TimeWindow;
  /** Longest allowed route duration (travel, service and waiting). */
  maxDuration?: number;
  /** Most customers on one route. */
  maxStops?: number;
  /** Longest allowed driving time on one route (travel only, after the speed factor). */
  maxTravelTime?: number;
  /** Longest allowed route length, in the units of `lengths`. */
  maxDistance?: number;
  /** Pauses taken on every route of this vehicle that serves anyone, in any order their windows allow. */
  breaks?: Break[];
  /**
   * Trips per route (default 1): above 1 the vehicle may return to `reloadDepot` during its shift to drop
   * what it collected and load the next trip's goods; capacity then holds trip by trip.
   */
  maxTrips?: number;
  /** Where it reloads (default its start depot). */
  reloadDepot?: string;
  /** Time a reload takes at the depot (default 0). */
  reloadTime?: number;
}

export interface RoutingProblem {
  depots: Depot[];
  customers: Customer[];
  /** Pickup-and-delivery pairs (default none). */
  shipments?: Shipment[];
  vehicles: Vehicle[];
  objective?: ObjectiveOptions;
  /** Square matrix of travel costs between locations (the objective). */
  distances: ArrayLike<number>[];
  /** Square matrix of travel times; defaults to the distances. */
  durations?: ArrayLike<number>[];
  /**
   * Square matrix of route lengths for `maxDistance`, when `distances` holds costs of another kind;
   * defaults to the distances.
   */
  lengths?: ArrayLike<number>[];
  /** Cost of moving a stop away from its `currentVehicle` (default: the largest distance in the matrix). */
  reassignmentCost?: number;
  /**
   * Planar position of each location, in the matrices' order (e.g. projected longitude and latitude).
   * Optional, and only a guide for the search (on plain CVRP, SWAP* then tries the route pairs whose polar
   * sectors around the depot overlap, as HGS-CVRP does): costs always come from the matrices.
   */
  coordinates?: [x: number, y: number][];
}

/** One route slot of the compiled fleet: a vehicle copy with its depots and limits. */
export interface VehicleSlot {
  vehicleId: string;
  copy: number;
  /** Index into `problem.vehicles`. */
  vehicle: number;
  startNode: number;
  endNode: number;
  capacity: Float64Array;
  /** Index into `Instance.time`. */
  profile: number;
  departEarliest: number;
  departLatest: number;
  returnLatest: number;
  maxDuration: number;
  maxStops: number;
  maxTravelTime: number;
  maxDistance: number;
  /** Its break nodes (see `Instance.isBreak`), all of which a route that serves anyone must hold. */
  breaks: number[];
  /** Its reload nodes (see `Instance.isReload`): maxTrips − 1 of them, used as needed. */
  reloads: number[];
  /** Slots with equal class are interchangeable (same vehicle, depots and limits). */
  vehicleClass: number;
}

/**
 * The compiled problem. Nodes 0..n-1 are the customers (in input order), each shipment's pickup and
 * delivery, one node per break of each vehicle slot, then one per reload; nodes n.. are the depots.
 * Matrices are flat `N*N` arrays over nodes.
 */
export interface Instance {
  problem: RoutingProblem;
  /** Customers and break nodes: everything a route can hold. */
  customerCount: number;
  /** The problem's own tasks: customers, then shipment pickups and deliveries (nodes 0..realCount-1). */
  realCount: number;
  /** Number of customers: nodes from here to realCount-1 are shipment stops, pickup then delivery. */
  customerTasks: number;
  /** Per node below customerCount, 1 for a break: taken where the vehicle is, so no travel to it. Null without breaks. */
  isBreak: Uint8Array | null;
  /** Per break node (index − realCount), the break's id. */
  breakIds: string[];
  /** Per node, 1 for a reload at a depot (load reset: a new trip starts). Null when no vehicle reloads. */
  isReload: Uint8Array | null;
  /** Per node, the other stop of its shipment, or -1. Null without shipments. */
  pairOf: Int32Array | null;
  /** Per node, 1 for a shipment's pickup, -1 for its delivery, 0 otherwise. Null without shipments. */
  pairRole: Int8Array | null;
  /** Extra cost terms (0 when off). */
  evenWorkload: number;
  servedEarlier: number;
  /** `objective.fewestVehicles`: routes used are minimised first, then the cost. */
  fewestVehicles: boolean;
  nodeCount: number;
  dims: number;
  demand: Float64Array;
  /**
   * Per customer and dimension, what it hands in; null when nobody does and nobody reloads. A shipment's
   * pickup hands in its amount and its delivery hands in the negative: on board in between.
   */
  pickup: Float64Array | null;
  /** Per customer, its priority; null when every customer has priority 0. */
  priority: Float64Array | null;
  ready: Float64Array;
  due: Float64Array;
  service: Float64Array;
  dist: Float64Array;
  /** Route lengths for `maxDistance` (the same array as `dist` unless `lengths` is given). */
  length: Float64Array;
  /** One travel-time matrix per distinct speed factor. */
  time: Float64Array[];
  slots: VehicleSlot[];
  /** Slot indices of each vehicle class, in order. */
  classSlots: number[][];
  /** Per customer, 0 where a slot may not serve it; null when every slot may serve every customer. */
  allowed: Uint8Array | null;
  /** Per customer, the slot that serves it now, or -1. Null when nobody has one. */
  currentSlot: Int32Array | null;
  reassignmentCost: number;
  /** Per node, its position from `problem.coordinates` (x at 2·node, y at 2·node + 1); null without them. */
  position: Float64Array | null;
}

const MAX_DIMS = 8;

export function compileProblem(problem: RoutingProblem): Instance {
  const { depots, customers, vehicles } = problem;
  if (!Array.isArray(depots) || depots.length === 0) throw new InvalidProblemError('depots', 'at least one depot is needed');
  if (!Array.isArray(customers)) throw new InvalidProblemError('customers', 'must be a list');
  if (!Array.isArray(vehicles) || vehicles.length === 0) throw new InvalidProblemError('vehicles', 'at least one vehicle is needed');
  const size = checkMatrix(problem.distances, 'distances');
  for (const field of ['durations', 'lengths'] as const) {
    if (problem[field] !== undefined && checkMatrix(problem[field], field) !== size) {
      throw new InvalidProblemError(field, 'must have the same size as distances');
    }
  }
  const shipments = problem.shipments ?? [];
  if (!Array.isArray(shipments)) throw new InvalidProblemError('shipments', 'must be a list');
  const dims = vehicles[0]!.capacity?.length ?? 0;
  if (dims < 1 || dims > MAX_DIMS) throw new InvalidProblemError('vehicles[0].capacity', `needs 1 to ${MAX_DIMS} dimensions`);

  const depotIndex = uniqueIds(depots, 'depots');
  const vehicleIndex = uniqueIds(vehicles, 'vehicles');
  const stopIds = new Set(uniqueIds(customers, 'customers').keys());
  uniqueIds(shipments, 'shipments');
  depots.forEach((d, i) => {
    checkLocation(d.location, size, `depots[${i}].location`);
    checkWindow(d.timeWindow, `depots[${i}].timeWindow`);
  });

  const customerTasks = customers.length;
  const real = customerTasks + 2 * shipments.length;
  const copiesOf = (v: Vehicle) => (Number.isInteger(v.count ?? 1) && (v.count ?? 1) >= 1 ? Math.min(v.count ?? 1, Math.max(real, 1)) : 1);
  const tripsOf = (v: Vehicle, i: number) => (v.maxTrips === undefined ? 1 : positiveInteger(v.maxTrips, `vehicles[${i}].maxTrips`));
  const breakCount = vehicles.reduce((sum, v) => sum + (Array.isArray(v.breaks) ? v.breaks.length * copiesOf(v) : 0), 0);
  const reloadCount = vehicles.reduce((sum, v, i) => sum + (tripsOf(v, i) - 1) * copiesOf(v), 0);
  const n = real + breakCount + reloadCount;
  const nodeCount = n + depots.length;
  const locationOf = new Int32Array(nodeCount);
  const demand = new Float64Array(n * dims);
  const pickup = customers.some((c) => c.pickup !== undefined) || shipments.length > 0 || reloadCount > 0 ? new Float64Array(n * dims) : null;
  const priority = [...customers, ...shipments].some((c) => (c.priority ?? 0) !== 0) ? new Float64Array(n) : null;
  const pairOf = shipments.length > 0 ? new Int32Array(n).fill(-1) : null;
  const pairRole = shipments.length > 0 ? new Int8Array(n) : null;
  const ready = new Float64Array(nodeCount);
  const due = new Float64Array(nodeCount).fill(Infinity);
  const service = new Float64Array(nodeCount);
  customers.forEach((c, i) => {
    const at = `customers[${i}]`;
    locationOf[i] = checkLocation(c.location, size, `${at}.location`);
    if (!Array.isArray(c.demand) || c.demand.length !== dims) throw new InvalidProblemError(`${at}.demand`, `needs ${dims} quantities`);
    c.demand.forEach((q, k) => (demand[i * dims + k] = nonNegative(q, `${at}.demand[${k}]`)));
    if (c.pickup !== undefined) {
      if (!Array.isArray(c.pickup) || c.pickup.length !== dims) throw new InvalidProblemError(`${at}.pickup`, `needs ${dims} quantities`);
      c.pickup.forEach((q, k) => (pickup![i * dims + k] = nonNegative(q, `${at}.pickup[${k}]`)));
    }
    if (priority) priority[i] = nonNegative(c.priority ?? 0, `${at}.priority`);
    checkWindow(c.timeWindow, `${at}.timeWindow`);
    if (c.timeWindow) [ready[i], due[i]] = c.timeWindow;
    service[i] = nonNegative(c.serviceTime ?? 0, `${at}.serviceTime`);
    for (const [k, v] of (c.allowedVehicles ?? []).entries()) {
      if (!vehicleIndex.has(v)) throw new InvalidProblemError(`${at}.allowedVehicles[${k}]`, `no vehicle "${v}"`);
    }
    if (c.currentVehicle !== undefined && !vehicleIndex.has(c.currentVehicle)) {
      throw new InvalidProblemError(`${at}.currentVehicle`, `no vehicle "${c.currentVehicle}"`);
    }
  });
  shipments.forEach((sh, k) => {
    const at = `shipments[${k}]`;
    if (!Array.isArray(sh.amount) || sh.amount.length !== dims) throw new InvalidProblemError(`${at}.amount`, `needs ${dims} quantities`);
    const [p, d] = [customerTasks + 2 * k, customerTasks + 2 * k + 1];
    ([[p, sh.pickup, 'pickup', 1], [d, sh.delivery, 'delivery', -1]] as const).forEach(([node, stop, field, role]) => {
      if (typeof stop !== 'object' || stop === null) throw new InvalidProblemError(`${at}.${field}`, 'must be an object');
      if (typeof stop.id !== 'string' || stop.id === '' || stopIds.has(stop.id)) throw new InvalidProblemError(`${at}.${field}.id`, 'must be a string no customer or other stop has');
      stopIds.add(stop.id);
      locationOf[node] = checkLocation(stop.location, size, `${at}.${field}.location`);
      checkWindow(stop.timeWindow, `${at}.${field}.timeWindow`);
      if (stop.timeWindow) [ready[node], due[node]] = stop.timeWindow;
      service[node] = nonNegative(stop.serviceTime ?? 0, `${at}.${field}.serviceTime`);
      sh.amount.forEach((q, j) => (pickup![node * dims + j] = role * nonNegative(q, `${at}.amount[${j}]`)));
      if (priority) priority[node] = nonNegative(sh.priority ?? 0, `${at}.priority`);
      pairOf![node] = role === 1 ? d : p;
      pairRole![node] = role;
    });
    for (const [j, v] of (sh.allowedVehicles ?? []).entries()) {
      if (!vehicleIndex.has(v)) throw new InvalidProblemError(`${at}.allowedVehicles[${j}]`, `no vehicle "${v}"`);
    }
  });
  depots.forEach((d, j) => {
    locationOf[n + j] = d.location;
    if (d.timeWindow) [ready[n + j], due[n + j]] = d.timeWindow;
  });
  const isBreak = breakCount > 0 ? new Uint8Array(n) : null;
  const breakIds: string[] = [];
  /** Per vehicle and copy, its break nodes. */
  const breakNodes = vehicles.map((v, i) => {
    if (v.breaks === undefined) return [];
    if (!Array.isArray(v.breaks)) throw new InvalidProblemError(`vehicles[${i}].breaks`, 'must be a list');
    uniqueIds(v.breaks, `vehicles[${i}].breaks`);
    const place = depots[depotIndex.get(v.startDepot) ?? 0]!.location;
    return Array.from({ length: copiesOf(v) }, () =>
      v.breaks!.map((b, k) => {
        const at = `vehicles[${i}].breaks[${k}]`;
        const node = real + breakIds.push(b.id) - 1;
        isBreak![node] = 1;
        locationOf[node] = place;
        checkWindow(b.timeWindow, `${at}.timeWindow`);
        if (b.timeWindow) [ready[node], due[node]] = b.timeWindow;
        service[node] = nonNegative(b.duration, `${at}.duration`);
        return node;
      }),
    );
  });

  const isReload = reloadCount > 0 ? new Uint8Array(n) : null;
  let nextReload = real + breakCount;
  /** Per vehicle and copy, its reload nodes: at the reload depot, open while it is, lasting the reload time. */
  const reloadNodes = vehicles.map((v, i) => {
    const trips = tripsOf(v, i);
    if (trips === 1) return [];
    const depot = depotIndex.get(v.reloadDepot ?? v.startDepot);
    if (depot === undefined) throw new InvalidProblemError(`vehicles[${i}].reloadDepot`, `no depot "${v.reloadDepot}"`);
    const time = nonNegative(v.reloadTime ?? 0, `vehicles[${i}].reloadTime`);
    return Array.from({ length: copiesOf(v) }, () =>
      Array.from({ length: trips - 1 }, () => {
        const node = nextReload++;
        isReload![node] = 1;
        locationOf[node] = depots[depot]!.location;
        [ready[node], due[node]] = [ready[n + depot]!, due[n + depot]!];
        service[node] = time;
        return node;
      }),
    );
  });

  const dist = flatten(problem.distances, locationOf);
  const length = problem.lengths ? flatten(problem.lengths, locationOf) : dist;
  const baseTime = problem.durations ? flatten(problem.durations, locationOf) : dist;
  const speeds: number[] = [];
  const time: Float64Array[] = [];
  const slots: VehicleSlot[] = [];
  const classSlots: number[][] = [];
  vehicles.forEach((v, i) => {
    const at = `vehicles[${i}]`;
    if (!Array.isArray(v.capacity) || v.capacity.length !== dims) throw new InvalidProblemError(`${at}.capacity`, `needs ${dims} limits`);
    v.capacity.forEach((q, k) => nonNegative(q, `${at}.capacity[${k}]`));
    const start = depotIndex.get(v.startDepot);
    if (start === undefined) throw new InvalidProblemError(`${at}.startDepot`, `no depot "${v.startDepot}"`);
    const end = depotIndex.get(v.endDepot ?? v.startDepot);
    if (end === undefined) throw new InvalidProblemError(`${at}.endDepot`, `no depot "${v.endDepot}"`);
    const speed = v.speedFactor ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new InvalidProblemError(`${at}.speedFactor`, 'must be a positive number');
    checkWindow(v.shift, `${at}.shift`);
    const limit = (value: number | undefined, field: string) => (value === undefined ? Infinity : nonNegative(value, `${at}.${field}`));
    const maxDuration = limit(v.maxDuration, 'maxDuration');
    const maxStops = limit(v.maxStops, 'maxStops');
    const maxTravelTime = limit(v.maxTravelTime, 'maxTravelTime');
    const maxDistance = limit(v.maxDistance, 'maxDistance');
    const count = v.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new InvalidProblemError(`${at}.count`, 'must be a positive integer');
    let profile = speeds.indexOf(speed);
    if (profile < 0) {
      profile = speeds.push(speed) - 1;
      time.push(speed === 1 ? baseTime : baseTime.map((t) => t / speed));
    }
    const startNode = n + start;
    const endNode = n + end;
    const [shiftStart, shiftEnd] = v.shift ?? [-Infinity, Infinity];
    const members: number[] = [];
    // More copies than customers can never be used; capping keeps huge "unlimited" fleets cheap.
    for (let copy = 0; copy < copiesOf(v); copy++) {
      members.push(slots.length);
      slots.push({
        vehicleId: v.id,
        copy,
        vehicle: i,
        startNode,
        endNode,
        capacity: Float64Array.from(v.capacity),
        profile,
        departEarliest: Math.max(ready[startNode]!, shiftStart),
        departLatest: Math.min(due[startNode]!, shiftEnd),
        returnLatest: Math.min(due[endNode]!, shiftEnd),
        maxDuration,
        maxStops,
        maxTravelTime,
        maxDistance,
        breaks: breakNodes[i]![copy] ?? [],
        reloads: reloadNodes[i]![copy] ?? [],
        vehicleClass: i,
      });
    }
    classSlots.push(members);
  });

  const slotsOfVehicle = (id: string) => slots.flatMap((s, k) => (s.vehicleId === id ? [k] : []));
  let allowed: Uint8Array | null = null;
  let currentSlot: Int32Array | null = null;
  [...customers, ...shipments.flatMap((sh) => [sh, sh])].forEach((c, i) => {
    if (c.allowedVehicles) {
      allowed ??= new Uint8Array(n * slots.length).fill(1);
      allowed.fill(0, i * slots.length, (i + 1) * slots.length);
      for (const id of c.allowedVehicles) for (const k of slotsOfVehicle(id)) allowed[i * slots.length + k] = 1;
    }
    if ('currentVehicle' in c && c.currentVehicle !== undefined) {
      currentSlot ??= new Int32Array(n).fill(-1);
      currentSlot[i] = slotsOfVehicle(c.currentVehicle)[0]!;
    }
  });
  slots.forEach((slot, k) => {
    for (const node of [...slot.breaks, ...slot.reloads]) {
      allowed ??= new Uint8Array(n * slots.length).fill(1);
      allowed.fill(0, node * slots.length, (node + 1) * slots.length);
      allowed[node * slots.length + k] = 1;
    }
  });
  const reassignmentCost = problem.reassignmentCost ?? dist.reduce((a, b) => (b < Infinity ? Math.max(a, b) : a), 0);
  nonNegative(reassignmentCost, 'reassignmentCost');
  const objective = problem.objective ?? {};
  const evenWorkload = nonNegative(objective.evenWorkload ?? 0, 'objective.evenWorkload');
  const servedEarlier = nonNegative(objective.servedEarlier ?? 0, 'objective.servedEarlier');
  if (servedEarlier > 0 && !priority) throw new InvalidProblemError('objective.servedEarlier', 'needs customers with a priority');
  const fewestVehicles = objective.fewestVehicles ?? false;
  if (typeof fewestVehicles !== 'boolean') throw new InvalidProblemError('objective.fewestVehicles', 'must be true or false');

  return {
    problem,
    customerCount: n,
    realCount: real,
    customerTasks,
    isBreak,
    breakIds,
    isReload,
    pairOf,
    pairRole,
    evenWorkload,
    servedEarlier,
    fewestVehicles,
    nodeCount,
    dims,
    demand,
    pickup,
    priority,
    ready,
    due,
    service,
    dist,
    length,
    time,
    slots,
    classSlots,
    allowed,
    currentSlot,
    reassignmentCost,
    position: problem.coordinates === undefined ? null : positions(problem.coordinates, size, locationOf),
  };
}

function positions(coordinates: [number, number][], size: number, locationOf: Int32Array): Float64Array {
  if (!Array.isArray(coordinates) || coordinates.length !== size) throw new InvalidProblemError('coordinates', `must give ${size} positions, one per location`);
  coordinates.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite)) throw new InvalidProblemError(`coordinates[${i}]`, 'must be [x, y]');
  });
  const out = new Float64Array(2 * locationOf.length);
  locationOf.forEach((location, node) => out.set(coordinates[location]!, 2 * node));
  return out;
}

function checkMatrix(m: ArrayLike<number>[] | undefined, field: string): number {
  if (!Array.isArray(m) || m.length === 0) throw new InvalidProblemError(field, 'must be a non-empty square matrix');
  for (let i = 0; i < m.length; i++) {
    const row = m[i];
    if (!row || row.length !== m.length) throw new InvalidProblemError(`${field}[${i}]`, `must have ${m.length} entries`);
    for (let j = 0; j < row.length; j++) {
      // Infinity is allowed: a pair cut off by a closed road.
      if (!(row[j]! >= 0)) throw new InvalidProblemError(`${field}[${i}][${j}]`, 'must be a number ≥ 0');
    }
  }
  return m.length;
}

function flatten(m: ArrayLike<number>[], locationOf: Int32Array): Float64Array {
  const size = locationOf.length;
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const row = m[locationOf[i]!]!;
    for (let j = 0; j < size; j++) out[i * size + j] = row[locationOf[j]!]!;
  }
  return out;
}

function uniqueIds(items: { id: string }[], field: string): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (typeof item?.id !== 'string' || item.id === '') throw new InvalidProblemError(`${field}[${i}].id`, 'must be a non-empty string');
    if (index.has(item.id)) throw new InvalidProblemError(`${field}[${i}].id`, `duplicate id "${item.id}"`);
    index.set(item.id, i);
  });
  return index;
}

function checkLocation(location: number, size: number, field: string): number {
  if (!Number.isInteger(location) || location < 0 || location >= size) {
    throw new InvalidProblemError(field, `must be a matrix index in 0..${size - 1}`);
  }
  return location;
}

function checkWindow(window: TimeWindow | undefined, field: string): void {
  if (window === undefined) return;
  if (!Array.isArray(window) || window.length !== 2 || Number.isNaN(window[0]) || Number.isNaN(window[1]) || window[0] > window[1]) {
    throw new InvalidProblemError(field, 'must be [earliest, latest] with earliest ≤ latest');
  }
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidProblemError(field, 'must be an integer ≥ 1');
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw new InvalidProblemError(field, 'must be a finite number ≥ 0');
  return value;
}
