// The constraints real fleets run with: shipments, repeat trips, even workloads, priority served earlier,
// and the one limits check the checker and the unservable helper share.
import { describe, expect, it } from 'vitest';
import { checkSolution } from '../../../solver/routing/check.ts';
import { brokenLimits } from '../../../solver/routing/limits.ts';
import type { RoutingProblem, Shipment } from '../../../solver/routing/problem.ts';
import { solveRouting, type RoutingSolution } from '../../../solver/routing/solve.ts';
import { randomProblem } from './fixtures.ts';

const line = (xs: number[]) => xs.map((x) => xs.map((y) => Math.abs(x - y)));
const routeOf = (solution: RoutingSolution, id: string) => solution.routes.find((r) => r.stops.includes(id));

describe('shipments', () => {
  it('carries each shipment on one vehicle, picked up before it is delivered, even where splitting it would cost less', async () => {
    // Two depots far apart; each shipment is collected near depot A and brought near depot B.
    const xs = [0, 100, 1, 2, 99, 98];
    const problem: RoutingProblem = {
      depots: [{ id: 'A', location: 0 }, { id: 'B', location: 1 }],
      customers: [],
      shipments: [
        { id: 's1', pickup: { id: 's1-in', location: 2 }, delivery: { id: 's1-out', location: 4 }, amount: [1] },
        { id: 's2', pickup: { id: 's2-in', location: 3 }, delivery: { id: 's2-out', location: 5 }, amount: [1] },
      ],
      vehicles: [{ id: 'a', startDepot: 'A', capacity: [5] }, { id: 'b', startDepot: 'B', capacity: [5] }],
      distances: line(xs),
    };
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 100 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    for (const s of problem.shipments!) {
      const route = routeOf(solution, s.pickup.id)!;
      expect(route.stops.indexOf(s.pickup.id)).toBeLessThan(route.stops.indexOf(s.delivery.id));
    }
  });

  it('counts a shipment on board from its pickup to its delivery', async () => {
    // The cheapest order collects the shipment first, but then 8 + 5 would be on board of a van for 10.
    const xs = [0, 1, 5, 6];
    const problem: RoutingProblem = {
      depots: [{ id: 'depot', location: 0 }],
      customers: [{ id: 'x', location: 2, demand: [8] }],
      shipments: [{ id: 's', pickup: { id: 'in', location: 1 }, delivery: { id: 'out', location: 3 }, amount: [5] }],
      vehicles: [{ id: 'van', startDepot: 'depot', capacity: [10] }],
      distances: line(xs),
    };
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 50 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.routes[0]!.stops).toEqual(['x', 'in', 'out']);
  });

  it('keeps shipments and deliveries feasible on larger random problems with windows', async () => {
    const base = randomProblem(11, 40, { timeWindows: true });
    const shipments: Shipment[] = base.customers.slice(30).map((c, k) => ({
      id: `ship${k}`,
      pickup: { id: `${c.id}-in`, location: c.location, serviceTime: 5 },
      delivery: { id: `${c.id}-out`, location: base.customers[k]!.location, serviceTime: 5 },
      amount: [2, 1],
    }));
    const problem: RoutingProblem = { ...base, customers: base.customers.slice(0, 30), shipments };
    const solution = await solveRouting(problem, { seed: 3, maxIterations: 60 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    const served = new Set(solution.routes.flatMap((r) => r.stops));
    for (const s of shipments) expect(served.has(s.pickup.id)).toBe(served.has(s.delivery.id));
  });

  it('the checker refuses a shipment split between vehicles or delivered before it is collected', () => {
    const problem: RoutingProblem = {
      depots: [{ id: 'd', location: 0 }],
      customers: [],
      shipments: [{ id: 's', pickup: { id: 'in', location: 1 }, delivery: { id: 'out', location: 2 }, amount: [1] }],
      vehicles: [{ id: 'v', count: 2, startDepot: 'd', capacity: [1] }],
      distances: line([0, 1, 2]),
    };
    const split = checkSolution(problem, { routes: [{ vehicleId: 'v', stops: ['in'] }, { vehicleId: 'v', copy: 1, stops: ['out'] }] });
    expect(split.violations.join('\n')).toMatch(/never delivers it[\s\S]*before picking it up/);
    expect(checkSolution(problem, { routes: [{ vehicleId: 'v', stops: ['out', 'in'] }] }).feasible).toBe(false);
  });
});

describe('repeat trips', () => {
  const problem = (maxTrips: number): RoutingProblem => ({
    depots: [{ id: 'depot', location: 0 }],
    customers: [1, 2, 3, 4, 5].map((x) => ({ id: `c${x}`, location: x, demand: [4], serviceTime: 1 })),
    vehicles: [{ id: 'van', startDepot: 'depot', capacity: [10], maxTrips, reloadTime: 7, shift: [0, 1000] }],
    distances: line([0, 10, 11, 12, 13, 14]),
  });

  it('goes back to its depot to reload when one load does not cover the day', async () => {
    const p = problem(3);
    const solution = await solveRouting(p, { seed: 1, maxIterations: 100 });
    expect(checkSolution(p, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    const route = solution.routes[0]!;
    expect(route.reloads).toHaveLength(2);
    // Each reload starts after the drive back and ends 7 later; the trips carry at most 10.
    expect(route.reloads!.every((r) => r.start > 0)).toBe(true);
  });

  it('makes no more trips than allowed, and leaves out what does not fit', async () => {
    const p = problem(2);
    const solution = await solveRouting(p, { seed: 1, maxIterations: 100 });
    expect(checkSolution(p, solution).violations).toEqual([]);
    expect(solution.unassigned).toHaveLength(1);
  });

  it('the checker counts the load trip by trip, and the trips against the limit', () => {
    const p = problem(2);
    const over = checkSolution(p, { routes: [{ vehicleId: 'van', stops: ['c1', 'c2', 'c3', 'c4', 'c5'], reloads: [{ after: 1 }] }] });
    expect(over.violations.join('\n')).toMatch(/carries 16 in dimension 0 after reload 1/);
    const many = checkSolution(p, { routes: [{ vehicleId: 'van', stops: ['c1', 'c2', 'c3', 'c4', 'c5'], reloads: [{ after: 2 }, { after: 4 }] }] });
    expect(many.violations.join('\n')).toMatch(/makes 3 trips, more than 2/);
  });
});

describe('objective options', () => {
  it('evens the workload: two vans share the work that one would do more cheaply', async () => {
    const xs = [0, 10, 11, 12, 13, 14, 15];
    const base: RoutingProblem = {
      depots: [{ id: 'depot', location: 0 }],
      customers: xs.slice(1).map((_, i) => ({ id: `c${i}`, location: i + 1, demand: [1], serviceTime: 30 })),
      vehicles: [{ id: 'van', count: 2, startDepot: 'depot', capacity: [100] }],
      distances: line(xs),
    };
    const longest = (s: RoutingSolution) => Math.max(...s.routes.map((r) => r.duration));
    const plain = await solveRouting(base, { seed: 1, maxIterations: 100 });
    expect(plain.routes).toHaveLength(1);
    const even = { ...base, objective: { evenWorkload: 0.01 } };
    const balanced = await solveRouting(even, { seed: 1, maxIterations: 100 });
    expect(checkSolution(even, balanced).violations).toEqual([]);
    expect(balanced.routes).toHaveLength(2);
    expect(longest(balanced)).toBeLessThan(longest(plain) * 0.7);
  });

  it('serves higher priorities earlier when asked, even where that costs more', async () => {
    // Going out by the urgent stop costs 1 more than coming back by it.
    const distances = [
      [0, 5, 8, 8],
      [4, 0, 6, 6],
      [8, 6, 0, 1],
      [8, 6, 1, 0],
    ];
    const base: RoutingProblem = {
      depots: [{ id: 'depot', location: 0 }],
      customers: [
        { id: 'insulin', location: 1, demand: [1], priority: 10 },
        { id: 'eggs', location: 2, demand: [1] },
        { id: 'rice', location: 3, demand: [1] },
      ],
      vehicles: [{ id: 'van', startDepot: 'depot', capacity: [10] }],
      distances,
    };
    const plain = await solveRouting(base, { seed: 1, maxIterations: 50 });
    expect(plain.routes[0]!.stops.at(-1)).toBe('insulin');
    const earlier = { ...base, objective: { servedEarlier: 1 } };
    const solution = await solveRouting(earlier, { seed: 1, maxIterations: 50 });
    expect(checkSolution(earlier, solution).violations).toEqual([]);
    expect(solution.routes[0]!.stops[0]).toBe('insulin');
  });
});

describe('route limits, spelled out once', () => {
  it('names each broken limit and none that holds', () => {
    const limits = { maxDuration: 10, maxStops: 3, maxTravelTime: 5, maxDistance: 100, maxTrips: 1 };
    expect(brokenLimits(limits, { duration: 10, stops: 3, travelTime: 5, length: 100, trips: 1 })).toEqual([]);
    expect(brokenLimits(limits, { duration: 11, stops: 4, travelTime: 6, length: 101, trips: 2 }).map((b) => b.limit)).toEqual([
      'maxDuration',
      'maxStops',
      'maxTravelTime',
      'maxDistance',
      'maxTrips',
    ]);
  });

  it('gives the same verdict ahead of time (unassigned reason) as the checker on a route', async () => {
    const problem: RoutingProblem = {
      depots: [{ id: 'd', location: 0 }],
      customers: [{ id: 'far', location: 1, demand: [1] }],
      vehicles: [{ id: 'v', startDepot: 'd', capacity: [1], maxTravelTime: 10 }],
      distances: line([0, 6]),
    };
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 5 });
    expect(solution.unassigned).toEqual([{ id: 'far', reason: 'exceeds-route-limits' }]);
    expect(checkSolution(problem, { routes: [{ vehicleId: 'v', stops: ['far'] }] }).violations).toEqual(['route 0: drives 12, longer than 10']);
  });
});
