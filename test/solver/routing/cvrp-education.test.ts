import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import { checkSolution } from '../../../solver/routing/check.ts';
import { CvrpEducation, type CvrpMove } from '../../../solver/routing/cvrp-education.ts';
import { nearestNeighbours } from '../../../solver/routing/neighbours.ts';
import { compileProblem, type RoutingProblem } from '../../../solver/routing/problem.ts';

/** Plain CVRP: customers on a 100×100 square, one capacity of 30, Euclidean distances, a fleet large enough. */
function plainProblem(seed: number, customers: number): RoutingProblem {
  const random = new Random(seed);
  const points = Array.from({ length: customers + 1 }, () => ({ x: random.int(100), y: random.int(100) }));
  return {
    depots: [{ id: 'D', location: customers }],
    customers: Array.from({ length: customers }, (_, i) => ({ id: `C${i}`, location: i, demand: [1 + random.int(9)] })),
    vehicles: [{ id: 'V', count: customers, startDepot: 'D', capacity: [30] }],
    distances: points.map((a) => points.map((b) => Math.hypot(a.x - b.x, a.y - b.y))),
  };
}

function education(problem: RoutingProblem, seed: number, onMove?: (move: CvrpMove, delta: number) => void): CvrpEducation {
  const inst = compileProblem(problem);
  const depot = inst.slots[0]!.startNode;
  const p = { dist: inst.dist, nodeCount: inst.nodeCount, depot, customers: inst.customerCount, demand: inst.demand, capacity: 30, routes: inst.slots.length };
  return new CvrpEducation(p, nearestNeighbours(inst, 10), new Random(seed), onMove);
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
      const edu = education(problem, seed, (move, delta) => {
        const after = edu.cost();
        seen.add(move);
        if (Math.abs(after - before - delta) > 1e-6) mismatches.push(`${move}: priced ${delta}, changed ${after - before}`);
        expect(delta).toBeLessThan(0);
        before = after;
      });
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
