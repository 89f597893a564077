// Re-planning while routes are under way: an urgent stop, a driver who drops out, or a road closure.
// Stops already served stay as they are; goods already on board stay on their vehicle; every other stop
// may move, but moving it to another vehicle costs `reassignmentCost`, so the plan changes as little as it can.
import { InvalidProblemError } from '../errors.ts';
import type { PlannedRoute } from './check.ts';
import type { Customer, Depot, RoutingProblem, Vehicle } from './problem.ts';
import { solveRouting, type RoutingSolution, type SolveOptions } from './solve.ts';

export interface VehicleProgress {
  vehicleId: string;
  /** Stops already served, in order: never changed. */
  done: string[];
  /**
   * Where the vehicle is now (a matrix index) and the time. Present once it has left the depot with its
   * goods: its remaining stops then stay on it. Absent: it is still at its depot and can be reloaded.
   */
  position?: { location: number; time: number };
}

export interface CurrentPlan {
  /** The problem the plan was made for; its vehicles are individual (count 1). */
  problem: RoutingProblem;
  routes: PlannedRoute[];
  progress: VehicleProgress[];
  /** The time of the re-plan: vehicles still at their depot leave no earlier (absent: whenever their shift allows). */
  now?: number;
}

export type ReplanEvent =
  | { kind: 'urgent-stop'; stop: Customer }
  | { kind: 'driver-dropped'; vehicleId: string }
  | { kind: 'closure'; distances: ArrayLike<number>[]; durations?: ArrayLike<number>[] };

export interface ReplannedRoute {
  vehicleId: string;
  done: string[];
  /** The stops still to serve, in order. */
  stops: string[];
}

export interface ReplanResult {
  routes: ReplannedRoute[];
  /** Stops that changed vehicle (from undefined for a new stop). */
  moved: { id: string; from?: string; to: string }[];
  unassigned: RoutingSolution['unassigned'];
  /** The solution of the remaining work (vehicles start where they are now). */
  solution: RoutingSolution;
  /** The problem of the remaining work, for checking or displaying it. */
  remaining: RoutingProblem;
}

export async function replanRoutes(
  current: CurrentPlan,
  event: ReplanEvent,
  options: Pick<SolveOptions, 'seed' | 'timeLimitMs' | 'maxIterations'> & { reassignmentCost?: number },
): Promise<ReplanResult> {
  const { problem } = current;
  const progress = new Map(current.progress.map((p) => [p.vehicleId, p]));
  problem.vehicles.forEach((v, i) => {
    if ((v.count ?? 1) !== 1) throw new InvalidProblemError(`vehicles[${i}].count`, 're-planning needs individual vehicles');
  });
  const dropped = event.kind === 'driver-dropped' ? event.vehicleId : undefined;
  if (dropped !== undefined && !problem.vehicles.some((v) => v.id === dropped)) {
    throw new InvalidProblemError('event.vehicleId', `no vehicle "${dropped}"`);
  }
  const plannedOn = new Map<string, string>();
  for (const r of current.routes) for (const id of r.stops) plannedOn.set(id, r.vehicleId);
  const done = new Set(current.progress.flatMap((p) => p.done));
  const departed = (id: string) => progress.get(id)?.position !== undefined;

  const vehicles = problem.vehicles.filter((v) => v.id !== dropped);
  const atDepot = vehicles.filter((v) => !departed(v.id)).map((v) => v.id);
  const depots: Depot[] = problem.depots.slice();
  const remainingVehicles: Vehicle[] = vehicles.map((v) => {
    const at = progress.get(v.id)?.position;
    if (!at) return current.now !== undefined && v.shift ? { ...v, shift: fromNow(v.shift, current.now) } : v;
    const here: Depot = { id: `now:${v.id}`, location: at.location, timeWindow: [at.time, Infinity] };
    depots.push(here);
    const started = v.shift?.[0] ?? problem.depots.find((d) => d.id === v.startDepot)?.timeWindow?.[0] ?? at.time;
    return {
      ...v,
      startDepot: here.id,
      endDepot: v.endDepot ?? v.startDepot,
      ...(v.shift ? { shift: fromNow(v.shift, at.time) } : {}),
      ...(v.maxDuration !== undefined ? { maxDuration: Math.max(0, v.maxDuration - (at.time - started)) } : {}),
    };
  });

  const customers: Customer[] = [];
  for (const c of problem.customers) {
    if (done.has(c.id)) continue;
    const vehicle = plannedOn.get(c.id);
    // Goods on board of a vehicle that is still driving stay on it; everything else may be reloaded.
    const onBoard = vehicle !== undefined && vehicle !== dropped && departed(vehicle);
    customers.push({
      ...c,
      allowedVehicles: within(onBoard ? [vehicle] : atDepot, c.allowedVehicles),
      ...(vehicle !== undefined && vehicle !== dropped ? { currentVehicle: vehicle } : {}),
    });
  }
  if (event.kind === 'urgent-stop') customers.push({ ...event.stop, allowedVehicles: within(atDepot, event.stop.allowedVehicles) });

  const reassignmentCost = options.reassignmentCost ?? problem.reassignmentCost;
  const matrices = event.kind === 'closure' ? event : problem;
  const remaining: RoutingProblem = {
    depots,
    customers,
    vehicles: remainingVehicles,
    distances: matrices.distances,
    ...(matrices.durations ? { durations: matrices.durations } : {}),
    ...(reassignmentCost !== undefined ? { reassignmentCost } : {}),
  };
  const initialRoutes = current.routes
    .filter((r) => r.vehicleId !== dropped)
    .map((r) => ({ vehicleId: r.vehicleId, stops: r.stops.filter((id) => !done.has(id)) }));
  const solution = await solveRouting(remaining, { ...options, initialRoutes });

  const servedBy = new Map<string, string>();
  for (const r of solution.routes) for (const id of r.stops) servedBy.set(id, r.vehicleId);
  const moved: ReplanResult['moved'] = [];
  for (const c of customers) {
    const to = servedBy.get(c.id);
    const from = c.currentVehicle;
    if (to !== undefined && to !== from) moved.push({ id: c.id, ...(from !== undefined ? { from } : {}), to });
  }
  return {
    routes: vehicles.map((v) => ({
      vehicleId: v.id,
      done: progress.get(v.id)?.done ?? [],
      stops: solution.routes.find((r) => r.vehicleId === v.id)?.stops ?? [],
    })),
    moved,
    unassigned: solution.unassigned,
    solution,
    remaining,
  };
}

/** What is left of a shift from `now`; a driver past the end of theirs takes nothing more on (it ends now). */
function fromNow([start, end]: [number, number], now: number): [number, number] {
  return [Math.max(start, now), Math.max(start, now, end)];
}

/** The vehicles of `candidates` that the stop's own restriction (if any) also allows. */
function within(candidates: string[], allowed: string[] | undefined): string[] {
  return allowed ? candidates.filter((id) => allowed.includes(id)) : candidates;
}
