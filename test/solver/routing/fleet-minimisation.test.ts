// Vehicles first (objective.fewestVehicles): fewer routes before less distance, never a customer left out
// to save a vehicle.
import { describe, expect, it } from 'vitest';
import { checkSolution } from '../../../solver/routing/check.ts';
import type { RoutingProblem } from '../../../solver/routing/problem.ts';
import { solveRouting } from '../../../solver/routing/solve.ts';
import { randomProblem, riverDistances } from './fixtures.ts';

/** Customers a, b, c at stops 1, 2, 3 of the river (fixtures.ts): one van can serve all three within their windows. */
function riverProblem(): RoutingProblem {
  return {
    depots: [{ id: 'depot', location: 0, timeWindow: [0, 1000] }],
    customers: [
      { id: 'a', location: 1, demand: [1], timeWindow: [0, 300], serviceTime: 5 },
      { id: 'b', location: 2, demand: [1], timeWindow: [0, 300], serviceTime: 5 },
      { id: 'c', location: 3, demand: [1], timeWindow: [0, 300], serviceTime: 5 },
    ],
    vehicles: [{ id: 'van', count: 3, startDepot: 'depot', capacity: [10] }],
    distances: riverDistances,
  };
}

describe('fewest vehicles first', () => {
  it('serves everyone with one van where distance alone sends two', async () => {
    const problem = riverProblem();
    const byDistance = await solveRouting(problem, { seed: 1, maxIterations: 200 });
    expect(byDistance.routes).toHaveLength(2);

    const fewest = { ...problem, objective: { fewestVehicles: true } };
    const solution = await solveRouting(fewest, { seed: 1, maxIterations: 200 });
    expect(checkSolution(fewest, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    expect(solution.routes).toHaveLength(1);
    // Then distance: a and c together, b across the river last or first (10 + 5 + 100 + 10 either way).
    expect(solution.cost).toBe(125);
  });

  it('keeps a second van rather than leave out a customer whose window no single route can meet', async () => {
    const problem = riverProblem();
    // a and b now both need serving at once: each is 10 from the depot and 100 from the other.
    problem.customers[0]!.timeWindow = [0, 20];
    problem.customers[1]!.timeWindow = [0, 20];
    const fewest = { ...problem, objective: { fewestVehicles: true } };
    const solution = await solveRouting(fewest, { seed: 1, maxIterations: 200 });
    expect(checkSolution(fewest, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    expect(solution.routes).toHaveLength(2);
  });

  it('uses no more routes than distance alone on random problems with windows, all within their limits', async () => {
    for (const seed of [3, 7]) {
      const problem = randomProblem(seed, 40, { timeWindows: true });
      const byDistance = await solveRouting(problem, { seed: 1, maxIterations: 300 });
      const fewest = { ...problem, objective: { fewestVehicles: true } };
      const solution = await solveRouting(fewest, { seed: 1, maxIterations: 300 });
      expect(checkSolution(fewest, solution).violations).toEqual([]);
      expect(solution.unassigned).toEqual([]);
      expect(solution.routes.length).toBeLessThanOrEqual(byDistance.routes.length);
    }
  });

  it('gives the same routes for the same seed', async () => {
    const problem = { ...randomProblem(5, 30, { timeWindows: true }), objective: { fewestVehicles: true } };
    const first = await solveRouting(problem, { seed: 2, maxIterations: 150 });
    const second = await solveRouting(problem, { seed: 2, maxIterations: 150 });
    expect(second.routes.map((r) => r.stops)).toEqual(first.routes.map((r) => r.stops));
  });
});
