import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../solver/formats/index.ts';
import { Random } from '../../../solver/random.ts';
import { checkSolution } from '../../../solver/routing/check.ts';
import { GeneticSearch } from '../../../solver/routing/genetic-search.ts';
import { nearestNeighbours } from '../../../solver/routing/neighbours.ts';
import { compileProblem, type RoutingProblem } from '../../../solver/routing/problem.ts';
import { RoutePool } from '../../../solver/routing/route-pool.ts';
import { SearchState } from '../../../solver/routing/search-state.ts';
import { solveRouting } from '../../../solver/routing/solve.ts';
import { readFixture } from '../../support/fixtures.ts';
import { randomProblem } from './fixtures.ts';

const cvrp = () => parseInstance('cvrplib/A-n32-k5.vrp', readFixture('cvrplib/A-n32-k5.vrp')).problem;

/** The best routes after `steps` children of a search seeded with `seed`, and the distance it reports. */
function search(problem: RoutingProblem, seed: number, steps: number): { routes: number[][]; cost: number } {
  const inst = compileProblem(problem);
  const s = new SearchState(inst);
  const customers = Array.from({ length: inst.realCount }, (_, c) => c);
  const genetic = new GeneticSearch(s, new Random(seed), customers, new RoutePool(1000), nearestNeighbours(inst, 20));
  for (let k = 0; k < steps; k++) genetic.step();
  return genetic.best()!;
}

describe('GeneticSearch', () => {
  it('runs on plain CVRP only', () => {
    expect(GeneticSearch.applies(new SearchState(compileProblem(cvrp())))).toBe(true);
    const timed = randomProblem(1, 10);
    expect(GeneticSearch.applies(new SearchState(compileProblem(timed)))).toBe(false);
  });

  it('finds routes within capacity that serve every customer once, at the distance it reports', () => {
    const problem = cvrp();
    const inst = compileProblem(problem);
    const { routes, cost } = search(problem, 3, 300);
    const served = routes.flat().sort((a, b) => a - b);
    expect(served).toEqual(Array.from({ length: problem.customers.length }, (_, c) => c));
    const planned = routes.flatMap((nodes, k) => (nodes.length === 0 ? [] : [{ vehicleId: inst.slots[k]!.vehicleId, copy: inst.slots[k]!.copy, stops: nodes.map((c) => problem.customers[c]!.id) }]));
    const check = checkSolution(problem, { routes: planned });
    expect(check.violations).toEqual([]);
    expect(check.cost).toBeCloseTo(cost, 6);
    // A-n32-k5's optimum is 784 (rounded distances; these are not rounded).
    expect(cost).toBeLessThan(784 * 1.02);
  });

  it('keeps routes in the order of their barycentres around the depot, so that a giant tour runs round it', () => {
    const problem = cvrp();
    const at = (location: number) => problem.coordinates![location]!;
    const depot = at(problem.depots[0]!.location);
    const { routes } = search(problem, 5, 100);
    const angles = routes
      .filter((nodes) => nodes.length > 0)
      .map((nodes) => {
        const x = nodes.reduce((sum, c) => sum + at(problem.customers[c]!.location)[0] - depot[0], 0);
        const y = nodes.reduce((sum, c) => sum + at(problem.customers[c]!.location)[1] - depot[1], 0);
        return Math.atan2(y, x);
      });
    expect(angles.length).toBeGreaterThan(3);
    expect(angles).toEqual(angles.slice().sort((a, b) => a - b));
  });

  it('after starting over, keeps the new population while it betters its own best, even short of the best ever', () => {
    const inst = compileProblem(cvrp());
    const customers = Array.from({ length: inst.realCount }, (_, c) => c);
    const genetic = new GeneticSearch(new SearchState(inst), new Random(1), customers, new RoutePool(1000), nearestNeighbours(inst, 20));
    while (genetic.restarts === 0) genetic.step();
    // A new population starts from scratch: 1 000 children later it has bettered its own best, if not the best ever.
    for (let k = 0; k < 1000; k++) genetic.step();
    expect(genetic.restarts).toBe(1);
  });

  it('gives the same solution for the same seed', () => {
    const a = search(cvrp(), 9, 150);
    const b = search(cvrp(), 9, 150);
    expect(b).toEqual(a);
  });

  it('leaves solveRouting on plain CVRP feasible and the same for the same seed', async () => {
    const problem = cvrp();
    const a = await solveRouting(problem, { seed: 4, maxIterations: 200 });
    const b = await solveRouting(problem, { seed: 4, maxIterations: 200 });
    expect(checkSolution(problem, a).violations).toEqual([]);
    expect(a.feasible).toBe(true);
    expect(b.routes).toEqual(a.routes);
  });

  it('educates through the general local search where loads have two dimensions, within both capacities', () => {
    // Without windows or shift ends, so that the genetic search applies; two capacities keep it off the plain-CVRP path.
    const { depots, customers, vehicles, distances } = randomProblem(5, 40);
    const problem: RoutingProblem = {
      depots: depots.map(({ id, location }) => ({ id, location })),
      customers: customers.map(({ id, location, demand }) => ({ id, location, demand })),
      vehicles,
      distances,
    };
    const inst = compileProblem(problem);
    expect(inst.dims).toBe(2);
    const { routes, cost } = search(problem, 2, 100);
    const planned = routes.flatMap((nodes, k) => (nodes.length === 0 ? [] : [{ vehicleId: inst.slots[k]!.vehicleId, copy: inst.slots[k]!.copy, stops: nodes.map((c) => problem.customers[c]!.id) }]));
    const check = checkSolution(problem, { routes: planned });
    expect(check.violations).toEqual([]);
    expect(check.cost).toBeCloseTo(cost, 6);
    expect(planned.flatMap((r) => r.stops)).toHaveLength(40);
  });
});
