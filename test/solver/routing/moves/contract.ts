// The contract every move must keep, checked on random solutions: a negative delta is exactly the cost
// change once applied, and applying it keeps every route within its limits.
import { expect, it } from 'vitest';
import { Random } from '../../../../solver/random.ts';
import { checkSolution } from '../../../../solver/routing/check.ts';
import type { MoveFactory } from '../../../../solver/routing/moves/move.ts';
import { compileProblem, type RoutingProblem } from '../../../../solver/routing/problem.ts';
import { RuinRecreate } from '../../../../solver/routing/ruin-recreate.ts';
import { SearchState } from '../../../../solver/routing/search-state.ts';
import { nearestNeighbours } from '../../../../solver/routing/neighbours.ts';
import { randomProblem } from '../fixtures.ts';

/** Eight individual vans; each stop has a current van (moving it costs 15) and a few may use only two vans. */
function withReassignmentRules(problem: RoutingProblem, random: Random): RoutingProblem {
  const vans = Array.from({ length: 8 }, (_, k) => ({ id: `van${k}`, startDepot: problem.depots[k % problem.depots.length]!.id, capacity: [40, 25] }));
  return {
    ...problem,
    vehicles: vans,
    reassignmentCost: 15,
    customers: problem.customers.map((c, i) => ({
      ...c,
      currentVehicle: vans[random.int(8)]!.id,
      ...(i % 7 === 0 ? { allowedVehicles: [vans[i % 8]!.id, vans[(i + 3) % 8]!.id] } : {}),
    })),
  };
}

/** Half the stops also hand goods in; vans take at most 6 stops and have driving-time and length limits (lengths ≠ costs). */
function withFleetLimits(problem: RoutingProblem, random: Random): RoutingProblem {
  return {
    ...problem,
    lengths: problem.distances.map((row, i) => Array.from(row, (d, j) => d * (0.5 + ((i + j) % 3)))),
    customers: problem.customers.map((c, i) => (i % 2 === 0 ? { ...c, pickup: [1 + random.int(12), random.int(6)] } : c)),
    vehicles: problem.vehicles.map((v) => ({ ...v, maxStops: 6, maxTravelTime: 200, maxDistance: 300 })),
  };
}

/** Six vans, each with a lunch break and a short pause, windows over the 1000-long day. */
function withBreaks(problem: RoutingProblem): RoutingProblem {
  return {
    ...problem,
    vehicles: Array.from({ length: 6 }, (_, k) => ({
      id: `van${k}`,
      startDepot: problem.depots[k % problem.depots.length]!.id,
      capacity: [60, 40],
      breaks: [
        { id: 'lunch', timeWindow: [300 + 20 * k, 420 + 20 * k] as [number, number], duration: 40 },
        { id: 'pause', timeWindow: [100, 200] as [number, number], duration: 10 },
      ],
    })),
  };
}

/** Four small vans that may make three trips each, reloading in 15 at their depot. */
function withRepeatTrips(problem: RoutingProblem): RoutingProblem {
  return {
    ...problem,
    vehicles: Array.from({ length: 4 }, (_, k) => ({ id: `van${k}`, startDepot: problem.depots[k % problem.depots.length]!.id, capacity: [25, 15], maxTrips: 3, reloadTime: 15 })),
  };
}

/** The last ten stops become five shipments (ids C30…C39, pickup then delivery), some with pickups of their own elsewhere. */
function withShipments(problem: RoutingProblem, random: Random): RoutingProblem {
  const kept = problem.customers.slice(0, 30);
  const rest = problem.customers.slice(30);
  return {
    ...problem,
    customers: kept.map((c, i) => (i % 3 === 0 ? { ...c, pickup: [random.int(6), 0] } : c)),
    shipments: Array.from({ length: 5 }, (_, k) => {
      const [a, b] = [rest[2 * k]!, rest[2 * k + 1]!];
      return { id: `S${k}`, pickup: { id: a.id, location: a.location, serviceTime: 5 }, delivery: { id: b.id, location: b.location, serviceTime: 5, ...(b.timeWindow ? { timeWindow: b.timeWindow } : {}) }, amount: [1 + random.int(8), 1 + random.int(4)] };
    }),
  };
}

/** Even workloads and priority served earlier, with priorities on a third of the stops. */
function withObjectiveOptions(problem: RoutingProblem, random: Random): RoutingProblem {
  return {
    ...problem,
    objective: { evenWorkload: 0.001, servedEarlier: 0.05 },
    customers: problem.customers.map((c, i) => (i % 3 === 0 ? { ...c, priority: 1 + random.int(5) } : c)),
  };
}

const CASES = [
  { name: 'without time windows', timeWindows: false, rules: null },
  { name: 'with time windows', timeWindows: true, rules: null },
  { name: 'with reassignment costs and allowed vehicles', timeWindows: true, rules: withReassignmentRules },
  { name: 'with pickups and limits on stops, driving time and length', timeWindows: true, rules: withFleetLimits },
  { name: 'with breaks in time windows', timeWindows: true, rules: withBreaks },
  { name: 'with repeat trips', timeWindows: false, rules: withRepeatTrips },
  { name: 'with shipments', timeWindows: true, rules: withShipments },
  { name: 'with even workloads and priority served earlier', timeWindows: true, rules: withObjectiveOptions },
  { name: 'with capacity relaxed', timeWindows: false, rules: withSmallVans, overloadCost: 3 },
];

/** Vans of half the capacity: with overloads at a low cost, the start overloads several of them. */
function withSmallVans(problem: RoutingProblem): RoutingProblem {
  return { ...problem, vehicles: problem.vehicles.map((v) => ({ ...v, count: 3, capacity: v.capacity.map((q) => q / 2) })) };
}

/** What the routes' load above capacity costs, recomputed from the stops. */
function overloadCost(problem: RoutingProblem, routes: { vehicleId: string; stops: string[] }[], perUnit: number): number {
  let total = 0;
  for (const route of routes) {
    const { capacity } = problem.vehicles.find((v) => v.id === route.vehicleId)!;
    capacity.forEach((q, k) => {
      const load = route.stops.reduce((sum, id) => sum + problem.customers.find((c) => c.id === id)!.demand[k]!, 0);
      total += perUnit * Math.max(0, load - q);
    });
  }
  return total;
}

/** A route of the search as the checker reads it: customer ids, and the breaks with how many stops precede each. */
function plannedRoute(s: SearchState, r: SearchState['routes'][number]) {
  const stops: string[] = [];
  const breaks: { id: string; after: number }[] = [];
  const reloads: { after: number }[] = [];
  for (const c of r.nodes) {
    if (c < s.inst.realCount) stops.push(`C${c}`);
    else if (s.inst.isReload?.[c] === 1) reloads.push({ after: stops.length });
    else breaks.push({ id: s.inst.breakIds[c - s.inst.realCount]!, after: stops.length });
  }
  return { vehicleId: r.slot.vehicleId, copy: r.slot.copy, stops, breaks, reloads };
}

/** Checks the contract on every case, or on those whose names contain one of `only`. */
export function itKeepsTheMoveContract(factory: MoveFactory, only?: string[]): void {
  for (const { name, timeWindows, rules, overloadCost: perUnit } of CASES.filter((c) => !only || only.some((o) => c.name.includes(o)))) {
    it(`finds improvements whose delta equals the recomputed cost change (${name})`, () => {
      let applied = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const plain = randomProblem(seed, 40, { timeWindows, depots: 1 + (seed % 2) });
        const problem = rules ? rules(plain, new Random(seed + 100)) : plain;
        const inst = compileProblem(problem);
        const s = new SearchState(inst);
        const random = new Random(seed);
        const neighbours = nearestNeighbours(inst, 10);
        // A poor but feasible start: customers inserted in random order.
        for (const r of s.routes) s.setRoute(r.index, r.slot.breaks.slice().sort((a, b) => inst.ready[a]! - inst.ready[b]!));
        if (perUnit !== undefined) s.setCapacityPenalty(perUnit);
        new RuinRecreate(s, neighbours, random).recreate(random.shuffle(Array.from({ length: 40 }, (_, c) => c)));
        if (perUnit !== undefined) expect(s.routes.some((r) => r.excess > 0)).toBe(true);
        const move = factory(s);
        for (let round = 0; round < 400; round++) {
          const u = random.int(40);
          const v = neighbours[u]![random.int(10)]!;
          if (s.routeOf[u] === -1 || s.routeOf[v] === -1) continue;
          const before = s.totalCost();
          const delta = move.evaluate(u, v);
          if (!(delta < -1e-9)) continue;
          move.apply();
          applied++;
          expect(s.totalCost() - before).toBeCloseTo(delta, 6);
          const routes = s.routes.filter((r) => r.tasks > 0).map((r) => plannedRoute(s, r));
          const unassigned = Array.from({ length: inst.realCount }, (_, c) => c).filter((c) => s.routeOf[c] === -1).map((c) => ({ id: `C${c}` }));
          const check = checkSolution(problem, { routes, unassigned });
          expect(s.routes.every((r) => r.cost < Infinity)).toBe(true);
          // With capacity relaxed, overloads are allowed (and priced below); nothing else is.
          expect(check.violations.filter((v) => perUnit === undefined || !/: carries /.test(v))).toEqual([]);
          // The objective options add terms the checker does not price.
          if (rules === withObjectiveOptions) continue;
          const currentOf = (id: string) => problem.customers[Number(id.slice(1))]?.currentVehicle;
          const moved = routes.flatMap((r) => r.stops.filter((id) => (currentOf(id) ?? r.vehicleId) !== r.vehicleId));
          const reassignments = rules === withReassignmentRules ? 15 * moved.length : 0;
          const unserved = Array.from(s.unservedCost).reduce((sum, cost, c) => sum + (s.routeOf[c] === -1 ? cost : 0), 0);
          const overloads = perUnit === undefined ? 0 : overloadCost(problem, routes, perUnit);
          expect(check.cost + reassignments + overloads).toBeCloseTo(s.totalCost() - unserved, 6);
        }
      }
      expect(applied).toBeGreaterThan(0);
    });
  }
}
