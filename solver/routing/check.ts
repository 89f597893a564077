// Independent checker of a routing solution: recomputes every route from the problem's own data (not
// from the search's summaries) and lists what is broken. Used by tests, the benchmark and the solver's output.
import type { RoutingProblem, Vehicle } from './problem.ts';

const TOLERANCE = 1e-6;

export interface PlannedRoute {
  vehicleId: string;
  /** Which copy of a vehicle with `count` > 1 (default 0). */
  copy?: number;
  /** Customer ids in visiting order. */
  stops: string[];
  /** The vehicle's breaks, each taken after `after` stops (before driving on). */
  breaks?: BreakTaken[];
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

/** Times, load and breaches of one route driven by `vehicle`, computed from the problem alone. */
export function scheduleRoute(problem: RoutingProblem, vehicle: Vehicle, stops: string[], breaks: BreakTaken[] = []): RouteSchedule {
  const customers = new Map(problem.customers.map((c) => [c.id, c]));
  const start = problem.depots.find((d) => d.id === vehicle.startDepot)!;
  const end = problem.depots.find((d) => d.id === (vehicle.endDepot ?? vehicle.startDepot))!;
  const durations = problem.durations ?? problem.distances;
  const lengths = problem.lengths ?? problem.distances;
  const speed = vehicle.speedFactor ?? 1;
  const violations: string[] = [];
  const load = vehicle.capacity.map(() => 0);
  const known = stops.flatMap((id) => customers.get(id) ?? []);
  // On board: every delivery from the start; each stop drops its delivery and takes its pickup.
  const onBoard = vehicle.capacity.map((_, k) => known.reduce((sum, c) => sum + c.demand[k]!, 0));
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
  const pauses = new Map((vehicle.breaks ?? []).map((b) => [b.id, b]));
  /** Takes the breaks due after `served` stops, where the vehicle stands. */
  const takeBreaks = (served: number) => {
    for (const taken of breaks) {
      if (taken.after !== served) continue;
      const b = pauses.get(taken.id);
      if (!b) {
        violations.push(`unknown break "${taken.id}"`);
        continue;
      }
      const [ready, due] = b.timeWindow ?? [-Infinity, Infinity];
      const begin = Math.max(time, ready);
      waitSoFar += begin - time;
      if (begin > due + TOLERANCE) violations.push(`break ${b.id} starts at ${begin}, after its window closes at ${due}`);
      slack = Math.min(slack, waitSoFar + due - begin);
      breakStarts.push(begin);
      time = begin + b.duration;
    }
  };
  for (const [served, id] of stops.entries()) {
    takeBreaks(served);
    const c = customers.get(id);
    if (!c) {
      violations.push(`unknown customer "${id}"`);
      continue;
    }
    distance += Number(problem.distances[at]![c.location]);
    length += Number(lengths[at]![c.location]);
    const drive = Number(durations[at]![c.location]) / speed;
    travelTime += drive;
    const arrival = time + drive;
    const [ready, due] = c.timeWindow ?? [-Infinity, Infinity];
    const begin = Math.max(arrival, ready);
    waitSoFar += begin - arrival;
    if (begin > due + TOLERANCE) violations.push(`${id} served at ${begin}, after its window closes at ${due}`);
    slack = Math.min(slack, waitSoFar + due - begin);
    serviceStarts.push(begin);
    c.demand.forEach((q, k) => {
      load[k]! += q;
      onBoard[k]! += (c.pickup?.[k] ?? 0) - q;
    });
    overload(`after ${id}`);
    time = begin + (c.serviceTime ?? 0);
    at = c.location;
  }
  if (stops.length > 0) takeBreaks(stops.length);
  if (stops.length > 0) {
    distance += Number(problem.distances[at]![end.location]);
    length += Number(lengths[at]![end.location]);
    travelTime += Number(durations[at]![end.location]) / speed;
  }
  const arrivalBack = stops.length > 0 ? time + Number(durations[at]![end.location]) / speed : departure;
  const latestBack = Math.min(end.timeWindow?.[1] ?? Infinity, vehicle.shift?.[1] ?? Infinity);
  if (arrivalBack > latestBack + TOLERANCE) violations.push(`back at ${arrivalBack}, after ${latestBack}`);
  slack = Math.min(slack, waitSoFar + latestBack - arrivalBack);
  const delay = Math.max(0, Math.min(slack, waitSoFar));
  const duration = arrivalBack - departure - delay;
  if (vehicle.maxDuration !== undefined && duration > vehicle.maxDuration + TOLERANCE) {
    violations.push(`lasts ${duration}, longer than ${vehicle.maxDuration}`);
  }
  if (vehicle.maxStops !== undefined && stops.length > vehicle.maxStops) violations.push(`has ${stops.length} stops, more than ${vehicle.maxStops}`);
  if (vehicle.maxTravelTime !== undefined && travelTime > vehicle.maxTravelTime + TOLERANCE) {
    violations.push(`drives ${travelTime}, longer than ${vehicle.maxTravelTime}`);
  }
  if (vehicle.maxDistance !== undefined && length > vehicle.maxDistance + TOLERANCE) violations.push(`is ${length} long, more than ${vehicle.maxDistance}`);
  if (stops.length > 0) {
    for (const b of vehicle.breaks ?? []) {
      const times = breaks.filter((t) => t.id === b.id).length;
      if (times !== 1) violations.push(`takes break ${b.id} ${times} times`);
    }
  }
  return { distance, duration, departure: departure + delay, serviceStarts, breakStarts, arrivalBack, load, travelTime, length, violations };
}

/**
 * Checks every route against the problem: each customer served at most once (and exactly once unless
 * listed as unassigned), vehicles used within their counts, capacities, windows, durations, allowed vehicles.
 */
export function checkSolution(
  problem: RoutingProblem,
  solution: { routes: PlannedRoute[]; unassigned?: { id: string }[] },
): CheckResult {
  const violations: string[] = [];
  const vehicles = new Map(problem.vehicles.map((v) => [v.id, v]));
  const customers = new Map(problem.customers.map((c) => [c.id, c]));
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
    const schedule = scheduleRoute(problem, vehicle, route.stops, route.breaks);
    cost += schedule.distance;
    violations.push(...schedule.violations.map((v) => `route ${i}: ${v}`));
    for (const id of route.stops) {
      served.set(id, (served.get(id) ?? 0) + 1);
      const allowed = customers.get(id)?.allowedVehicles;
      if (allowed && !allowed.includes(route.vehicleId)) violations.push(`route ${i}: ${id} may not ride in ${route.vehicleId}`);
    }
  });
  const leftOut = new Set((solution.unassigned ?? []).map((u) => u.id));
  for (const c of problem.customers) {
    const times = served.get(c.id) ?? 0;
    if (times > 1) violations.push(`${c.id} served ${times} times`);
    if (times === 0 && !leftOut.has(c.id)) violations.push(`${c.id} neither served nor reported unassigned`);
    if (times > 0 && leftOut.has(c.id)) violations.push(`${c.id} served and also reported unassigned`);
  }
  return { feasible: violations.length === 0, cost, violations };
}
