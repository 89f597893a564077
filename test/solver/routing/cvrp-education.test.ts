import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import { checkSolution } from '../../../solver/routing/check.ts';
import { CvrpEducation, polarAngles, sectorsOverlap, type CvrpMove } from '../../../solver/routing/cvrp-education.ts';
import { nearestNeighbours } from '../../../solver/routing/neighbours.ts';
import { compileProblem, type RoutingProblem } from '../../../solver/routing/problem.ts';

/** Plain CVRP: customers on a 100×100 square, one capacity of 30, Euclidean distances, a fleet large enough. */
function plainProblem(seed: number, customers: number): RoutingProblem {
  const random = new Random(seed);
  const points = Array.from({ length: customers + 1 }, () => ({ x: random.int(100), y: random.int(100) }));
  return euclidean(points, Array.from({ length: customers }, () => 1 + random.int(9)), customers);
}

/** Customers at the points before the last, which is the depot; the positions given as coordinates. */
function euclidean(points: { x: number; y: number }[], demands: number[], vehicles: number): RoutingProblem {
  const customers = points.length - 1;
  return {
    depots: [{ id: 'D', location: customers }],
    customers: demands.map((demand, i) => ({ id: `C${i}`, location: i, demand: [demand] })),
    vehicles: [{ id: 'V', count: vehicles, startDepot: 'D', capacity: [30] }],
    distances: points.map((a) => points.map((b) => Math.hypot(a.x - b.x, a.y - b.y))),
    coordinates: points.map((p) => [p.x, p.y]),
  };
}

/** The education of a problem's compiled form; with `sectors`, SWAP* pairs routes by polar sectors. */
function education(problem: RoutingProblem, seed: number, onMove?: (move: CvrpMove, delta: number) => void, options = { sectors: false, neighbours: 10 }): CvrpEducation {
  const inst = compileProblem(problem);
  const depot = inst.slots[0]!.startNode;
  const angles = options.sectors ? polarAngles(inst.position!, inst.customerCount, depot) : undefined;
  const p = { dist: inst.dist, nodeCount: inst.nodeCount, depot, customers: inst.customerCount, demand: inst.demand, capacity: 30, routes: inst.slots.length, angles };
  return new CvrpEducation(p, nearestNeighbours(inst, options.neighbours), new Random(seed), onMove);
}

/** A random tour cut into routes of random length: loads up to about twice the capacity. */
function randomRoutes(customers: number, seed: number, longest: number): number[][] {
  const random = new Random(seed);
  const tour = random.shuffle(Array.from({ length: customers }, (_, c) => c));
  const routes: number[][] = [];
  for (let k = 0; k < tour.length; ) {
    const size = 1 + random.int(longest);
    routes.push(tour.slice(k, k + size));
    k += size;
  }
  return routes;
}

/** Within capacity: the tour cut greedily wherever the next customer would not fit. */
function feasibleRoutes(problem: RoutingProblem, seed: number): number[][] {
  const tour = new Random(seed).shuffle(problem.customers.map((_, c) => c));
  const routes: number[][] = [[]];
  let load = 0;
  for (const c of tour) {
    const demand = problem.customers[c]!.demand[0]!;
    if (load + demand > 30) {
      routes.push([]);
      load = 0;
    }
    routes.at(-1)!.push(c);
    load += demand;
  }
  return routes;
}

describe('CvrpEducation', () => {
  it('prices every move at the change in the recomputed cost', () => {
    const seen = new Set<CvrpMove>();
    for (let seed = 1; seed <= 30; seed++) {
      const problem = plainProblem(seed, 20 + seed * 2);
      const mismatches: string[] = [];
      let before = 0;
      const onMove = (move: CvrpMove, delta: number) => {
        const after = edu.cost();
        seen.add(move);
        if (Math.abs(after - before - delta) > 1e-6) mismatches.push(`${move}: priced ${delta}, changed ${after - before}`);
        expect(delta).toBeLessThan(0);
        before = after;
      };
      const edu = education(problem, seed, onMove, { sectors: seed % 3 === 0, neighbours: 10 });
      edu.penalty = 0.5 + (seed % 7) * 3;
      edu.load(randomRoutes(problem.customers.length, seed, 8));
      before = edu.cost();
      edu.improve(seed % 2 === 0 ? [0, 1, 2, 3] : undefined);
      expect(mismatches).toEqual([]);
    }
    expect([...seen].sort()).toEqual(['2-opt', '2-opt*', '2-opt*-reversed', 'relocate', 'relocate-pair', 'relocate-pair-reversed', 'swap', 'swap*', 'swap-pair-one', 'swap-pairs']);
  });

  it('returns routes within capacity, each customer once, never dearer than its input and at the distance it reports', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const problem = plainProblem(100 + seed, 60);
      const edu = education(problem, seed);
      edu.penalty = 1000;
      edu.load(feasibleRoutes(problem, seed));
      const input = edu.cost();
      edu.improve();
      expect(edu.excess()).toBe(0);
      expect(edu.cost()).toBeLessThan(input);
      const routes = edu.routes().filter((r) => r.nodes.length > 0);
      expect(routes.flatMap((r) => r.nodes).sort((a, b) => a - b)).toEqual(problem.customers.map((_, c) => c));
      const planned = routes.map((r, k) => ({ vehicleId: 'V', copy: k, stops: r.nodes.map((c) => `C${c}`) }));
      const check = checkSolution(problem, { routes: planned });
      expect(check.violations).toEqual([]);
      expect(check.cost).toBeCloseTo(edu.cost(), 6);
    }
  });

  it('measures polar angles in 1/65536 of a turn and sees sectors overlap across the zero angle', () => {
    // East, north, west, south of a depot at (1, 1), then the depot.
    const position = Float64Array.from([5, 1, 1, 4, -2, 1, 1, -9, 1, 1]);
    expect([...polarAngles(position, 4, 4)]).toEqual([0, 16384, 32768, 49152]);
    expect(sectorsOverlap(0, 100, 50, 200)).toBe(true);
    expect(sectorsOverlap(50, 200, 0, 100)).toBe(true);
    expect(sectorsOverlap(0, 100, 200, 300)).toBe(false);
    expect(sectorsOverlap(65000, 100, 50, 60)).toBe(true);
    expect(sectorsOverlap(65000, 100, 200, 65000)).toBe(true);
    expect(sectorsOverlap(65000, 100, 200, 64000)).toBe(false);
  });

  it('with positions, tries SWAP* on the routes whose polar sectors overlap, whether or not near neighbours link them', () => {
    // Two routes of six customers 8° apart, one at radius 10 (over capacity by one) and one at radius 100
    // from `degrees` on; each customer's 3 nearest are on its own route, and there is no third route.
    const arc = (radius: number, degrees: number) =>
      Array.from({ length: 6 }, (_, k) => ({ x: radius * Math.cos(((degrees + k * 8) * Math.PI) / 180), y: radius * Math.sin(((degrees + k * 8) * Math.PI) / 180) }));
    const overload = (outerFrom: number, sectors: boolean) => {
      const problem = euclidean([...arc(10, 0), ...arc(100, outerFrom), { x: 0, y: 0 }], [6, 6, 6, 6, 6, 1, 4, 4, 4, 4, 4, 4], 2);
      const edu = education(problem, 1, undefined, { sectors, neighbours: 3 });
      edu.penalty = 1000;
      edu.load([
        [0, 1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10, 11],
      ]);
      edu.improve();
      return edu.excess();
    };
    // Only SWAP* across the two routes can bring the inner one within capacity: tried in the same
    // wedge, not across the depot, and never without positions.
    expect(overload(0, true)).toBe(0);
    expect(overload(180, true)).toBe(1);
    expect(overload(0, false)).toBe(1);
  });

  it('gives the same routes for the same seed', () => {
    const problem = plainProblem(7, 80);
    const run = () => {
      const edu = education(problem, 3);
      edu.penalty = 5;
      edu.load(randomRoutes(80, 3, 10));
      edu.improve();
      return edu.routes();
    };
    expect(run()).toEqual(run());
  });
});
