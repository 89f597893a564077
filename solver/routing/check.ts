// Independent checker of a routing solution: recomputes every route from the problem's own data (not
// from the search's summaries) and lists what is broken. Used by tests, the benchmark and the solver's output.
import { brokenLimits, describeBroken } from './limits.ts';
import type { RoutingProblem, TimeWindow, Vehicle } from './problem.ts';

const TOLERANCE = 1e-6;

export interface PlannedRoute {
  vehicleId: string;
  /** Which copy of a vehicle with `count` > 1 (default 0). */
  copy?: number;
  /** Customer ids in visiting order. */
  stops: string[];
  /** The vehicle's breaks, each taken after `after` stops (before driving on). */
  breaks?: BreakTaken[];
  /** Returns to the reload depot, each after `after` stops: a new trip starts there. */
  reloads?: ReloadTaken[];
}

export interface ReloadTaken {
  after: number;
  /** How many of the breaks taken at the same place come before the reload (default 0). */
  breaksBefore?: number;
}

export interface BreakTaken {
  id: string;
  after: number;
}

export interface RouteSchedule {
  distance: number;
  /** Minimal duration: departure delayed as far as it saves waiting without breaking a window. */
  duration: number;
  departure: number;
  /** Start of service at each stop. */
  serviceStarts: number[];
  /** Start of each break, in the order given. */
  breakStarts: number[];
  /** Start of each reload at the depot. */
  reloadStarts: number[];
  arrivalBack: number;
  /** What it delivers, in total. */
  load: number[];
  /** Driving time (after the speed factor) and length (`lengths`, else `distances`). */
  travelTime: number;
  length: number;
  /** Human-readable breaches of windows, capacity and duration. */
  violations: string[];
}

export interface CheckResult {
  feasible: boolean;
  /** Total distance recomputed from the matrix. */
  cost: number;
  violations: string[];
}

/** A stop as the checker sees it: a customer, or one end of a shipment. */
interface Task {
  id: string;
  location: number;
  timeWindow?: TimeWindow;
  serviceTime?: number;
  /** Loaded at the start of its trip, dropped here. */
  demand: number[];
  /** Taken on board here (negative: a shipment's goods handed over). */
  pickup: number[];
  shipment?: { id: string; role: 'pickup' | 'delivery' };
  allowedVehicles?: string[];
}

/** Every stop of the problem by id: customers, shipments' pickups and deliveries. */
export function tasksOf(problem: RoutingProblem): Map<string, Task> {
  const tasks = new Map<string, Task>();
  const zero = (problem.vehicles[0]?.capacity ?? []).map(() => 0);
  for (const c of problem.customers) tasks.set(c.id, { ...c, pickup: c.pickup ?? zero });
  for (const sh of problem.shipments ?? []) {
    const common = { demand: zero, ...(sh.allowedVehicles ? { allowedVehicles: sh.allowedVehicles } : {}) };
    tasks.set(sh.pickup.id, { ...sh.pickup, ...common, pickup: sh.amount, shipment: { id: sh.id, role: 'pickup' } });
    tasks.set(sh.delivery.id, { ...sh.delivery, ...common, pickup: sh.amount.map((q) => -q), shipment: { id: sh.id, role: 'delivery' } });
  }
  return tasks;
}

/** Times, load and breaches of one route driven by `vehicle`, computed from the problem alone. */
export function scheduleRoute(problem: RoutingProblem, vehicle: Vehicle, stops: string[], breaks: BreakTaken[] = [], reloads: ReloadTaken[] = []): RouteSchedule {
  const tasks = tasksOf(problem);
  const depotOf = (id: string) => problem.depots.find((d) => d.id === id)!;
  const start = depotOf(vehicle.startDepot);
  const end = depotOf(vehicle.endDepot ?? vehicle.startDepot);
  const reloadAt = depotOf(vehicle.reloadDepot ?? vehicle.startDepot);
  const durations = problem.durations ?? problem.distances;
  const lengths = problem.lengths ?? problem.distances;
  const speed = vehicle.speedFactor ?? 1;
  const violations: string[] = [];
  const load = vehicle.capacity.map(() => 0);
  /** Deliveries of the trip that starts after `served` stops: loaded at the depot. */
  const tripLoad = (served: number) => {
    const next = Math.min(...reloads.filter((r) => r.after > served).map((r) => r.after), stops.length);
    return vehicle.capacity.map((_, k) => stops.slice(served, next).reduce((sum, id) => sum + (tasks.get(id)?.demand[k] ?? 0), 0));
  };
  // On board: the trip's deliveries from its start; each stop drops its delivery and takes its pickup.
  let onBoard = tripLoad(0);
  const overload = (where: string) =>
    onBoard.forEach((q, k) => {
      if (q > vehicle.capacity[k]! + TOLERANCE) violations.push(`carries ${q} in dimension ${k} ${where}, above ${vehicle.capacity[k]}`);
    });
  overload('at the start');
  let travelTime = 0;
  let length = 0;
  const departure = Math.max(start.timeWindow?.[0] ?? -Infinity, vehicle.shift?.[0] ?? -Infinity, 0);
  let time = departure;
  let at = start.location;
  let distance = 0;
  let waitSoFar = 0;
  /** How far the departure could move later without making any stop late. */
  let slack = Math.min(start.timeWindow?.[1] ?? Infinity, vehicle.shift?.[1] ?? Infinity) - departure;
  const serviceStarts: number[] = [];
  const breakStarts: number[] = [];
  const reloadStarts: number[] = [];
  /** Shipments picked up and not yet delivered. */
  const carrying = new Set<string>();
  const pauses = new Map((vehicle.breaks ?? []).map((b) => [b.id, b]));
  const drive = (to: number) => {
    distance += Number(problem.distances[at]![to]);
    length += Number(lengths[at]![to]);
    const t = Number(durations[at]![to]) / speed;
    travelTime += t;
    time += t;
    at = to;
  };
  /** Starts something with a window at the current time (waiting if early); returns when it starts. */
  const begin = (window: TimeWindow | undefined, what: string, verb = 'starts') => {
    const [ready, due] = window ?? [-Infinity, Infinity];
    const starts = Math.max(time, ready);
    waitSoFar += starts - time;
    if (starts > due + TOLERANCE) violations.push(`${what} ${verb} at ${starts}, after its window closes at ${due}`);
    slack = Math.min(slack, waitSoFar + due - starts);
    return starts;
  };
  const takeBreak = (taken: BreakTaken) => {
    const b = pauses.get(taken.id);
    if (!b) return violations.push(`unknown break "${taken.id}"`);
    const starts = begin(b.timeWindow, `break ${b.id}`);
    breakStarts.push(starts);
    time = starts + b.duration;
  };
  const takeReload = (served: number) => {
    drive(reloadAt.location);
    const starts = begin(reloadAt.timeWindow, 'reload');
    reloadStarts.push(starts);
    time = starts + (vehicle.reloadTime ?? 0);
    for (const id of carrying) violations.push(`reloads with shipment ${id} on board`);
    onBoard = tripLoad(served);
    overload(`after reload ${reloadStarts.length}`);
  };
  /** Breaks and reloads due after `served` stops, in their order (a reload after `breaksBefore` of the breaks there). */
  const between = (served: number) => {
    const here = breaks.filter((b) => b.after === served);
    let taken = 0;
    for (const reload of reloads.filter((r) => r.after === served)) {
      while (taken < Math.min(reload.breaksBefore ?? 0, here.length)) takeBreak(here[taken++]!);
      takeReload(served);
    }
    while (taken < here.length) takeBreak(here[taken++]!);
  };
  for (const [served, id] of stops.entries()) {
    between(served);
    const c = tasks.get(id);
    if (!c) {
      violations.push(`unknown customer "${id}"`);
      continue;
    }
    drive(c.location);
    const starts = begin(c.timeWindow, id, 'served');
    serviceStarts.push(starts);
    c.demand.forEach((q, k) => {
      load[k]! += q;
      onBoard[k]! += c.pickup[k]! - q;
    });
    if (c.shipment?.role === 'pickup') carrying.add(c.shipment.id);
    if (c.shipment?.role === 'delivery' && !carrying.delete(c.shipment.id)) violations.push(`delivers shipment ${c.shipment.id} before picking it up`);
    overload(`after ${id}`);
    time = starts + (c.serviceTime ?? 0);
  }
  if (stops.length > 0) between(stops.length);
  for (const id of carrying) violations.push(`picks up shipment ${id} and never delivers it`);
  if (stops.length > 0) drive(end.location);
  const arrivalBack = stops.length > 0 ? time : departure;
  const latestBack = Math.min(end.timeWindow?.[1] ?? Infinity, vehicle.shift?.[1] ?? Infinity);
  if (arrivalBack > latestBack + TOLERANCE) violations.push(`back at ${arrivalBack}, after ${latestBack}`);
  slack = Math.min(slack, waitSoFar + latestBack - arrivalBack);
  const delay = Math.max(0, Math.min(slack, waitSoFar));
  const duration = arrivalBack - departure - delay;
  const measured = { duration, stops: stops.length, travelTime, length, trips: reloads.length + 1 };
  violations.push(...brokenLimits({ ...vehicle, maxTrips: vehicle.maxTrips ?? 1 }, measured, TOLERANCE).map(describeBroken));
  if (stops.length > 0) {
    for (const b of vehicle.breaks ?? []) {
      const times = breaks.filter((t) => t.id === b.id).length;
      if (times !== 1) violations.push(`takes break ${b.id} ${times} times`);
    }
  }
  return { distance, duration, departure: departure + delay, serviceStarts, breakStarts, reloadStarts, arrivalBack, load, travelTime, length, violations };
}

/**
 * Checks every route against the problem: each customer and shipment stop served at most once (and exactly
 * once unless listed as unassigned), vehicles used within their counts, capacities trip by trip, windows,
 * the route limits, allowed vehicles, and each shipment picked up before it is delivered on the same trip.
 */
export function checkSolution(
  problem: RoutingProblem,
  solution: { routes: PlannedRoute[]; unassigned?: { id: string }[] },
): CheckResult {
  const violations: string[] = [];
  const vehicles = new Map(problem.vehicles.map((v) => [v.id, v]));
  const tasks = tasksOf(problem);
  const served = new Map<string, number>();
  const usedCopies = new Set<string>();
  let cost = 0;
  solution.routes.forEach((route, i) => {
    const vehicle = vehicles.get(route.vehicleId);
    if (!vehicle) {
      violations.push(`route ${i}: unknown vehicle "${route.vehicleId}"`);
      return;
    }
    const copy = route.copy ?? 0;
    const key = `${route.vehicleId}#${copy}`;
    if (copy >= (vehicle.count ?? 1) || usedCopies.has(key)) violations.push(`route ${i}: vehicle ${key} not available`);
    usedCopies.add(key);
    const schedule = scheduleRoute(problem, vehicle, route.stops, route.breaks, route.reloads);
    cost += schedule.distance;
    violations.push(...schedule.violations.map((v) => `route ${i}: ${v}`));
    for (const id of route.stops) {
      served.set(id, (served.get(id) ?? 0) + 1);
      const allowed = tasks.get(id)?.allowedVehicles;
      if (allowed && !allowed.includes(route.vehicleId)) violations.push(`route ${i}: ${id} may not ride in ${route.vehicleId}`);
    }
  });
  const leftOut = new Set((solution.unassigned ?? []).map((u) => u.id));
  for (const c of tasks.values()) {
    const times = served.get(c.id) ?? 0;
    if (times > 1) violations.push(`${c.id} served ${times} times`);
    if (times === 0 && !leftOut.has(c.id)) violations.push(`${c.id} neither served nor reported unassigned`);
    if (times > 0 && leftOut.has(c.id)) violations.push(`${c.id} served and also reported unassigned`);
  }
  return { feasible: violations.length === 0, cost, violations };
}
