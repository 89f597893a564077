import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import { splitTour, type SplitProblem } from '../../../solver/routing/split.ts';

/** Customers 0..n-1 and the depot n at random points, one capacity dimension. */
function problem(seed: number, n: number, options: { capacityPenalty: number; maxRoutes: number }): SplitProblem {
  const random = new Random(seed);
  const points = Array.from({ length: n + 1 }, () => [random.int(100), random.int(100)] as const);
  const dist = new Float64Array((n + 1) * (n + 1));
  points.forEach(([x, y], i) => points.forEach(([u, v], j) => (dist[i * (n + 1) + j] = Math.hypot(x - u, y - v))));
  const demand = Float64Array.from({ length: n }, () => 1 + random.int(6));
  return { dist, nodeCount: n + 1, depot: n, demand, capacity: [10], ...options };
}

function routeCost(p: SplitProblem, route: number[]): number {
  const d = (a: number, b: number) => p.dist[a * p.nodeCount + b]!;
  let travel = d(p.depot, route[0]!) + d(route[route.length - 1]!, p.depot);
  for (let k = 1; k < route.length; k++) travel += d(route[k - 1]!, route[k]!);
  const load = route.reduce((sum, c) => sum + p.demand[c]!, 0);
  return travel + p.capacityPenalty * Math.max(0, load - (p.capacity[0] as number));
}

const total = (p: SplitProblem, routes: number[][]) => routes.reduce((sum, r) => sum + routeCost(p, r), 0);

const load = (p: SplitProblem, route: number[]) => route.reduce((sum, c) => sum + p.demand[c]!, 0);

/**
 * Every way to cut the tour (a bit per gap between two customers), with at most maxRoutes routes and,
 * with `longest`, no route of several customers carrying more than that many capacities.
 */
function bruteForce(p: SplitProblem, tour: number[], longest = Infinity): number {
  let least = Infinity;
  for (let cuts = 0; cuts < 1 << (tour.length - 1); cuts++) {
    const routes: number[][] = [[tour[0]!]];
    for (let k = 1; k < tour.length; k++) {
      if (cuts & (1 << (k - 1))) routes.push([]);
      routes[routes.length - 1]!.push(tour[k]!);
    }
    const tooLong = routes.some((r) => r.length > 1 && load(p, r) > longest * (p.capacity[0] as number));
    if (routes.length <= p.maxRoutes && !tooLong) least = Math.min(least, total(p, routes));
  }
  return least;
}

describe('splitTour', () => {
  // Where the fleet does not bind, among the cuttings whose routes of several customers carry at most 1.5 capacities.
  for (const [label, options, longest] of [
    ['an unlimited fleet', { capacityPenalty: 1000, maxRoutes: 9 }, 1.5],
    ['a cheap overload', { capacityPenalty: 0.5, maxRoutes: 9 }, 1.5],
    ['a fleet too small for the unlimited answer', { capacityPenalty: 20, maxRoutes: 2 }, Infinity],
  ] as const) {
    it(`cuts the tour at the least cost that any cutting reaches, with ${label}`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const p = problem(seed, 9, options);
        const tour = new Random(seed).shuffle(Array.from({ length: 9 }, (_, i) => i));
        const routes = splitTour(p, tour);
        expect(routes.flat()).toEqual(tour);
        expect(routes.length).toBeLessThanOrEqual(p.maxRoutes);
        expect(total(p, routes)).toBeCloseTo(bruteForce(p, tour, longest), 9);
      }
    });
  }

  it('never loads a route of several customers with more than 1.5 capacities while the fleet is large enough, however cheap the overload', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const p = problem(seed, 30, { capacityPenalty: 0.01, maxRoutes: 30 });
      const routes = splitTour(p, new Random(seed).shuffle(Array.from({ length: 30 }, (_, i) => i)));
      for (const route of routes) if (route.length > 1) expect(load(p, route)).toBeLessThanOrEqual(15);
    }
  });

  it('gives no routes for an empty tour', () => {
    expect(splitTour(problem(1, 3, { capacityPenalty: 1, maxRoutes: 3 }), [])).toEqual([]);
  });
});
