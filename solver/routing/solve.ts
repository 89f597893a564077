// solveRouting: the routing engine's entry point. Savings construction (or cheapest insertion when the
// fleet is short), then iterated ruin and recreate with granular local search under simulated-annealing
// acceptance, and a set-partitioning step (HiGHS) over the pool of routes met on the way. On plain CVRP
// up to RELAX_MAX_CUSTOMERS, HGS-CVRP's genetic search takes the place of ruin and recreate. Anytime: the
// best solution found is returned.
import { InvalidProblemError } from '../errors.ts';
import { Random } from '../random.ts';
import { CapacityPenalty, repairOverload } from './capacity-penalty.ts';
import { scheduleRoute, type PlannedRoute } from './check.ts';
import { minimiseFleet } from './fleet-minimisation.ts';
import { GeneticSearch } from './genetic-search.ts';
import { LocalSearch } from './local-search.ts';
import { nearestNeighbours } from './neighbours.ts';
import { compileProblem, type Instance, type RoutingProblem } from './problem.ts';
import { RoutePool } from './route-pool.ts';
import { RuinRecreate } from './ruin-recreate.ts';
import { savingsConstruction } from './savings.ts';
import { SearchState } from './search-state.ts';
import { preloadHighs, solveSetPartitioning } from './set-partitioning.ts';
import { unservableCustomers, type UnassignedReason } from './unservable.ts';

export interface SolveOptions {
  seed: number;
  /** Budget on `clock`; the best solution so far is returned when it runs out. */
  timeLimitMs?: number;
  /**
   * Milliseconds from any origin (default: wall clock). A benchmark on a shared machine passes the
   * process's CPU time, so that it is measured as peers that limit CPU time are (HGS-CVRP).
   */
  clock?: () => number;
  /** Ruin-and-recreate iterations; with it alone the result depends only on the seed and the input. */
  maxIterations?: number;
  /**
   * Routes to start from (e.g. the plan under way when re-planning): kept as far as they stay within
   * the limits; the stops that no longer fit, and those not listed, are inserted where they cost least.
   */
  initialRoutes?: PlannedRoute[];
}

export interface SolvedRoute {
  vehicleId: string;
  copy: number;
  /** Customer ids in visiting order. */
  stops: string[];
  /** The vehicle's breaks: each taken after `after` stops, starting at `start` (only for vehicles with breaks). */
  breaks?: { id: string; after: number; start: number }[];
  /** Its returns to the reload depot (only for vehicles that reload): each after `after` stops, starting at `start`. */
  reloads?: { after: number; breaksBefore: number; start: number }[];
  distance: number;
  duration: number;
  departure: number;
  serviceStarts: number[];
  load: number[];
}

export interface RoutingSolution {
  routes: SolvedRoute[];
  /** Total distance. */
  cost: number;
  unassigned: { id: string; reason: UnassignedReason }[];
  /** Every route within its limits and every servable customer served. */
  feasible: boolean;
  stats: { iterations: number; ms: number; poolSize: number; improvedByPartitioning: boolean; partitionMs: number };
}

const NEIGHBOURS = 40;
const LS_NEIGHBOURS = 20;
const POOL_CAPACITY = 30_000;
/** Annealing temperatures relative to the average edge of the first solution. */
const START_TEMPERATURE = 0.3;
const END_TEMPERATURE = 0.005;
/** Share of the budget after which the route pool is recombined. */
const PARTITION_AT = 0.85;
/** Share of the remaining budget given to HiGHS (it may overrun its limit a little). */
const PARTITION_SHARE = 0.25;
const PARTITION_NODES = 200;
const PARTITION_MS_PER_CUSTOMER = 2;
/** Largest problem that gets the set-partitioning step when stopped by iterations only. */
const PARTITION_MAX_CUSTOMERS = 150;
/**
 * Share of the outcomes of local search kept within capacity by the cost of overload (see
 * capacity-penalty.ts); only outcomes within capacity are accepted. At 5 s on the 16 CVRP instances up
 * to 302 customers (two seeds) the relaxation took the average gap from 0.57 % to 0.40 %, and a target
 * of 0.2 (HGS's, whose population keeps overloaded solutions) gave 0.45 %; on the weak spots, accepting
 * overloaded outcomes into the annealing, or skipping the repair, did worse.
 */
const FEASIBLE_TARGET = 0.5;
/**
 * Largest problem searched with capacity relaxed: on larger ones it cost too many iterations (at 30 s on
 * X-n401…X-n1001, 3 to 8 times fewer, and the average gap went from 0.83 % to 1.14 %).
 */
const RELAX_MAX_CUSTOMERS = 300;
/**
 * With `fewestVehicles`, the share of the budget that fleet minimisation may take, and the share without a
 * route cut after which it stops (it also stops at the capacity bound). At 5 s CPU (seed 1) its last cut
 * came at 0.05 of the budget on R201 and R101 (4 and 19 routes), 0.06 on R102 (17) and 0.11 on RC101
 * (14), none later in the half it had, while C1_2_1, already at its 20 routes, spent that half and ended
 * 0.10 % off (0.00 % with the stall); a longer phase (0.8, stall 0.6) gave no fewer routes.
 */
const FLEET_SHARE = 0.5;
const FLEET_STALL = 0.1;

type PartitionLimits = { timeLimitSeconds: number; maxNodes?: number };

export async function solveRouting(problem: RoutingProblem, options: SolveOptions): Promise<RoutingSolution> {
  const { seed, timeLimitMs, maxIterations } = options;
  const now = options.clock ?? (() => performance.now());
  if (timeLimitMs === undefined && maxIterations === undefined) {
    throw new InvalidProblemError('options', 'give timeLimitMs and/or maxIterations');
  }
  if (!Number.isInteger(seed)) throw new InvalidProblemError('options.seed', 'must be an integer');
  const started = now();
  const inst = compileProblem(problem);
  const random = new Random(seed);
  const s = new SearchState(inst);
  const excluded = unservableCustomers(inst, s);
  const servable = Array.from({ length: inst.realCount }, (_, c) => c).filter((c) => !excluded.has(c));
  // HiGHS's WebAssembly compiles while the search runs, only where the step may run: it costs about
  // 350 ms of CPU, a tenth of a 5 s budget, and at 5 s the step runs only up to about 93 customers.
  if (partitionMayRun(inst, servable.length, timeLimitMs, maxIterations)) void preloadHighs();
  const neighbours = nearestNeighbours(inst, NEIGHBOURS);
  const lsNeighbours = neighbours.map((list) => list.subarray(0, LS_NEIGHBOURS));
  const rr = new RuinRecreate(s, neighbours, random);
  const ls = new LocalSearch(s, lsNeighbours, random);
  const pool = new RoutePool(POOL_CAPACITY);

  // Every vehicle carries its breaks from the start, in window order; the search moves them with the stops.
  for (const route of s.routes) if (route.slot.breaks.length > 0) s.setRoute(route.index, route.slot.breaks.slice().sort((a, b) => inst.ready[a]! - inst.ready[b]!));
  if (options.initialRoutes) warmStart(inst, s, options.initialRoutes, excluded);
  else construct(inst, s, servable, neighbours);
  /** Servable customers the fleet has no room for at the moment; retried at every iteration. */
  let waiting = rr.recreate(servable.filter((c) => s.routeOf[c] === -1));
  // Only where everyone fits within capacity: an overload must not stand in for leaving customers out.
  const fewest = inst.fewestVehicles;
  // Capacity relaxation and the genetic search open routes freely: they serve distance alone.
  const relaxed = !fewest && s.relaxable && servable.length > 0 && servable.length <= RELAX_MAX_CUSTOMERS && waiting.length === 0;
  /**
   * Where Split can cut tours into routes, HGS-CVRP's genetic search takes the whole budget instead of
   * ruin and recreate. Half of it each, the genetic search's best then annealed, did worse once children
   * were cheap: at 5 s CPU on CMT5, seeds 1–6, 0.77 % on average (0.02 to 1.66 %) against 0.50 %, and
   * with SWAP* by sectors, on the 11 CVRP instances of 78–255 customers (seeds 1, 2), 0.11 % against
   * 0.075 % (X-n256-k16 0.46 / 0.32 % against 0.22 / 0.26 %).
   */
  const genetic = relaxed && GeneticSearch.applies(s) ? new GeneticSearch(s, random, servable, pool, lsNeighbours) : null;
  // The genetic search educates the first solution itself, faster (a general search of it took 0.3 s on CMT5).
  if (!genetic) ls.run();
  const progress = (iteration: number) =>
    Math.max(
      maxIterations === undefined ? 0 : iteration / maxIterations,
      timeLimitMs === undefined ? 0 : (now() - started) / timeLimitMs,
    );
  let iteration = 0;
  // Vehicles first: cut routes while everyone is served, then search distance with no route opened again.
  if (fewest && waiting.length === 0 && servable.length > 0) {
    iteration += minimiseFleet(s, rr, random, neighbours, servable, { progress: (i) => progress(iteration + i), until: FLEET_SHARE, stall: FLEET_STALL });
    ls.run();
  }
  let current = s.totalCost();
  let currentRank = fleetRank(s, fewest);
  let best = current;
  let bestRank = currentRank;
  let bestRoutes = s.snapshot();
  const used = s.routesUsed();
  const averageEdge = current / Math.max(1, servable.length + used) || 1;
  const t0 = START_TEMPERATURE * averageEdge;
  const t1 = END_TEMPERATURE * averageEdge;
  s.routes.forEach((r) => pool.add(r.slot.vehicleClass, r.nodes, r.cost));
  /** Takes the genetic search's best solution when it beats ours. */
  const takeGenetic = (improved: boolean) => {
    const found = improved ? genetic!.best() : null;
    if (found && found.cost < best - 1e-9) {
      best = found.cost;
      bestRoutes = found.routes;
    }
  };
  if (genetic) takeGenetic(genetic.adopt(bestRoutes));
  const penalty = relaxed && !genetic ? new CapacityPenalty(s, FEASIBLE_TARGET) : null;

  let partitioned = false;
  let improvedByPartitioning = false;
  let partitionMs = 0;
  for (;;) {
    const done = progress(iteration);
    if (done >= 1 || servable.length === 0) break;
    if (!partitioned && done >= PARTITION_AT) {
      partitioned = true;
      // Pooled routes carry one vehicle's breaks and reloads, so they cannot be handed to another copy.
      if (inst.isBreak || inst.isReload) continue;
      const limits = partitionLimits(servable.length, timeLimitMs, now() - started);
      if (!limits) continue;
      const partitionStart = now();
      const recombined = await recombine(inst, s, pool, servable, bestRoutes, limits, fewest ? bestRank.used : undefined);
      partitionMs = now() - partitionStart;
      const recombinedRank = recombined ? fleetRank(s, fewest) : bestRank;
      if (recombined && ranksBefore(recombinedRank, recombined.cost, bestRank, best)) {
        improvedByPartitioning = true;
        best = current = recombined.cost;
        bestRank = currentRank = recombinedRank;
        bestRoutes = recombined.routes;
        if (genetic) takeGenetic(genetic.adopt(bestRoutes));
      }
      s.restore(bestRoutes);
      current = best;
      currentRank = bestRank;
      waiting = servable.filter((c) => s.routeOf[c] === -1);
      continue;
    }
    iteration++;
    if (genetic) {
      takeGenetic(genetic.step());
      continue;
    }
    const temperature = t0 * Math.pow(t1 / t0, done);
    s.beginTrial();
    const removed = rr.ruin();
    const left = rr.recreate(removed.concat(waiting));
    ls.run(removed);
    if (penalty) {
      const within = s.withinCapacity();
      if (!within) repairOverload(s, ls);
      penalty.record(within);
    }
    const candidate = s.totalCost();
    const rank = fleetRank(s, fewest);
    const order = compareRanks(rank, currentRank);
    if (s.withinCapacity() && (order < 0 || (order === 0 && candidate < current - temperature * Math.log(random.next())))) {
      current = candidate;
      currentRank = rank;
      waiting = left;
      for (const r of s.commit()) {
        const route = s.routes[r]!;
        pool.add(route.slot.vehicleClass, route.nodes, route.cost);
      }
      if (ranksBefore(currentRank, current, bestRank, best)) {
        best = current;
        bestRank = currentRank;
        bestRoutes = s.snapshot();
      }
    } else {
      s.rollback();
    }
  }
  s.capacityPenalty = Infinity;
  s.restore(bestRoutes);
  return describe(inst, s, excluded, {
    iterations: iteration,
    ms: now() - started,
    poolSize: pool.size,
    improvedByPartitioning,
    partitionMs,
  });
}

/**
 * Savings routes. When the fleet is too small to start with one vehicle per customer, they are built on
 * a copy with enough vehicles and the longest are put on the real fleet; the rest is left to insertion.
 */
function construct(inst: Instance, s: SearchState, servable: number[], neighbours: Int32Array[]): void {
  if (savingsConstruction(s, servable, neighbours) || s.hasRules || s.pairs) return;
  const vehicles = inst.problem.vehicles.map((v) => ({ ...v, count: servable.length }));
  const roomy = new SearchState(compileProblem({ ...inst.problem, vehicles }));
  if (!savingsConstruction(roomy, servable, neighbours)) return;
  const next = inst.classSlots.map(() => 0);
  const routes = roomy.routes.filter((r) => r.size > 0).sort((a, b) => b.size - a.size || a.index - b.index);
  for (const route of routes) {
    const vehicleClass = route.slot.vehicleClass;
    const slot = inst.classSlots[vehicleClass]![next[vehicleClass]!++];
    if (slot !== undefined) s.setRoute(slot, route.nodes.slice());
  }
}

/** Loads the given routes, keeping each stop (in order) only while its route stays within the limits. */
function warmStart(inst: Instance, s: SearchState, routes: PlannedRoute[], excluded: Map<number, UnassignedReason>): void {
  const customerIndex = new Map(inst.problem.customers.map((c, i) => [c.id, i]));
  for (const route of routes) {
    const slot = inst.slots.findIndex((k) => k.vehicleId === route.vehicleId && k.copy === (route.copy ?? 0));
    if (slot < 0 || s.routes[slot]!.tasks > 0) continue;
    const target = s.routes[slot]!;
    // Each stop goes after the previous one kept, before or after the breaks, at the first place that fits.
    let after = 0;
    for (const id of route.stops) {
      const c = customerIndex.get(id);
      if (c === undefined || c >= inst.realCount || excluded.has(c) || s.routeOf[c] !== -1) continue;
      for (let p = after; p <= target.size; p++) {
        if (s.chainA.fromPrefix(target, p).add(c).finish(target, p + 1).cost() === Infinity) continue;
        const nodes = target.nodes.slice();
        nodes.splice(p, 0, c);
        s.setRoute(slot, nodes);
        after = p + 1;
        break;
      }
    }
  }
}

/**
 * Limits for HiGHS, or null to skip the step. The WebAssembly HiGHS needs roughly a millisecond or two
 * per customer row just for the LP relaxation, so the step runs only when its share of the time left
 * allows that. Without a time limit it is stopped by nodes, and only small problems get it, so that an
 * iteration-limited run stays deterministic (the time limit there is only a safety net).
 */
function partitionLimits(customers: number, timeLimitMs: number | undefined, elapsedMs: number): PartitionLimits | null {
  if (timeLimitMs === undefined) return customers <= PARTITION_MAX_CUSTOMERS ? { timeLimitSeconds: 20, maxNodes: PARTITION_NODES } : null;
  const budgetMs = PARTITION_SHARE * (timeLimitMs - elapsedMs);
  return budgetMs >= PARTITION_MS_PER_CUSTOMER * customers ? { timeLimitSeconds: budgetMs / 1000 } : null;
}

/**
 * Whether the set-partitioning step may get limits: at the earliest it starts, at once when iterations
 * may bring it, else at PARTITION_AT of the time. Pooled routes of vehicles with breaks or reloads never
 * get it.
 */
function partitionMayRun(inst: Instance, customers: number, timeLimitMs: number | undefined, maxIterations: number | undefined): boolean {
  if (inst.isBreak || inst.isReload) return false;
  const earliestMs = maxIterations === undefined && timeLimitMs !== undefined ? PARTITION_AT * timeLimitMs : 0;
  return partitionLimits(customers, timeLimitMs, earliestMs) !== null;
}

/** Set partitioning over the pool plus the best routes; returns the routes per slot and their cost. */
async function recombine(
  inst: Instance,
  s: SearchState,
  pool: RoutePool,
  servable: number[],
  bestRoutes: number[][],
  limits: PartitionLimits,
  maxRoutes: number | undefined,
): Promise<{ routes: number[][]; cost: number } | null> {
  s.restore(bestRoutes);
  for (const r of s.routes) pool.add(r.slot.vehicleClass, r.nodes, r.cost);
  const covered = servable.filter((c) => s.routeOf[c] !== -1);
  if (covered.length !== servable.length) return null;
  const routes = pool.routes();
  const chosen = await solveSetPartitioning({
    routes,
    customers: covered,
    classCounts: inst.classSlots.map((members) => members.length),
    ...(maxRoutes !== undefined ? { maxRoutes } : {}),
    ...limits,
  });
  if (!chosen) return null;
  const perSlot: number[][] = inst.slots.map(() => []);
  const nextSlot = inst.classSlots.map(() => 0);
  const seen = new Set<number>();
  let placed = 0;
  for (const j of chosen) {
    const route = routes[j]!;
    const slot = inst.classSlots[route.vehicleClass]![nextSlot[route.vehicleClass]!++];
    if (slot === undefined) return null;
    perSlot[slot] = route.nodes.slice();
    for (const c of route.nodes) seen.add(c);
    placed += route.nodes.length;
  }
  if (seen.size !== covered.length || placed !== covered.length) return null;
  s.restore(perSlot);
  return { routes: perSlot, cost: s.totalCost() };
}

/**
 * What ranks a solution before its cost: the customers left out (their penalties), then, with
 * `fewestVehicles`, the routes used (0 without it: the cost alone decides, penalties included).
 */
interface FleetRank {
  unserved: number;
  used: number;
}

function fleetRank(s: SearchState, fewest: boolean): FleetRank {
  if (!fewest) return { unserved: 0, used: 0 };
  let unserved = 0;
  for (let c = 0; c < s.routeOf.length; c++) if (s.routeOf[c] === -1) unserved += s.unservedCost[c]!;
  return { unserved, used: s.routesUsed() };
}

/** −1 when a ranks before b (fewer left out, else fewer routes), 1 when after, 0 when the cost decides. */
function compareRanks(a: FleetRank, b: FleetRank): number {
  if (Math.abs(a.unserved - b.unserved) > 1e-9) return a.unserved < b.unserved ? -1 : 1;
  return Math.sign(a.used - b.used);
}

function ranksBefore(a: FleetRank, aCost: number, b: FleetRank, bCost: number): boolean {
  const order = compareRanks(a, b);
  return order < 0 || (order === 0 && aCost < bCost - 1e-9);
}

function describe(inst: Instance, s: SearchState, excluded: Map<number, UnassignedReason>, stats: RoutingSolution['stats']): RoutingSolution {
  const { problem } = inst;
  const routes: SolvedRoute[] = [];
  for (const route of s.routes) {
    if (route.tasks === 0) continue;
    const vehicle = problem.vehicles[route.slot.vehicle]!;
    const stops: string[] = [];
    const breaks: { id: string; after: number }[] = [];
    const reloads: { after: number; breaksBefore: number }[] = [];
    for (const c of route.nodes) {
      if (c < inst.realCount) stops.push(stopId(inst, c));
      else if (inst.isReload?.[c] === 1) reloads.push({ after: stops.length, breaksBefore: breaks.filter((b) => b.after === stops.length).length });
      else breaks.push({ id: inst.breakIds[c - inst.realCount]!, after: stops.length });
    }
    const schedule = scheduleRoute(problem, vehicle, stops, breaks, reloads);
    routes.push({
      vehicleId: vehicle.id,
      copy: route.slot.copy,
      stops,
      ...(route.slot.breaks.length > 0 ? { breaks: breaks.map((b, k) => ({ ...b, start: schedule.breakStarts[k]! })) } : {}),
      ...(route.slot.reloads.length > 0 ? { reloads: reloads.map((r, k) => ({ ...r, start: schedule.reloadStarts[k]! })) } : {}),
      distance: schedule.distance,
      duration: schedule.duration,
      departure: schedule.departure,
      serviceStarts: schedule.serviceStarts,
      load: schedule.load,
    });
  }
  const unassigned: RoutingSolution['unassigned'] = [];
  for (let c = 0; c < inst.realCount; c++) {
    if (s.routeOf[c] !== -1) continue;
    unassigned.push({ id: stopId(inst, c), reason: excluded.get(c) ?? 'no-vehicle-left' });
  }
  const feasible = s.routes.every((r) => r.cost < Infinity) && unassigned.every((u) => u.reason !== 'no-vehicle-left');
  return { routes, cost: routes.reduce((sum, r) => sum + r.distance, 0), unassigned, feasible, stats };
}

/** The id routes list a task by: the customer's, or the shipment stop's. */
function stopId(inst: Instance, c: number): string {
  const { problem, customerTasks } = inst;
  if (c < customerTasks) return problem.customers[c]!.id;
  const shipment = problem.shipments![(c - customerTasks) >> 1]!;
  return (c - customerTasks) % 2 === 0 ? shipment.pickup.id : shipment.delivery.id;
}
