import { describe, expect, it } from 'vitest';
import { InvalidProblemError } from '../../../solver/errors.ts';
import { parseInstance } from '../../../solver/formats/index.ts';
import { reportedCost } from '../../../solver/formats/instance.ts';
import { checkSolution } from '../../../solver/routing/check.ts';
import type { RoutingProblem } from '../../../solver/routing/problem.ts';
import { solveRouting } from '../../../solver/routing/solve.ts';
import { randomProblem } from './fixtures.ts';
import { readFixture } from '../../support/fixtures.ts';

const fixture = (path: string) => parseInstance(path, readFixture(path));

describe('solveRouting', () => {
  for (const [path, bks] of [
    ['cvrplib/A-n32-k5.vrp', 784],
    ['solomon/C101.txt', 827.3],
    ['cordeau/p01.txt', 576.87],
  ] as const) {
    it(`returns a feasible solution of ${path} whose cost the checker recomputes, within 3% of the best known`, async () => {
      const instance = fixture(path);
      const solution = await solveRouting(instance.problem, { seed: 7, maxIterations: 1500 });
      const check = checkSolution(instance.problem, solution);
      expect(check.violations).toEqual([]);
      expect(solution.feasible).toBe(true);
      expect(solution.unassigned).toEqual([]);
      expect(check.cost).toBeCloseTo(solution.cost, 6);
      expect(reportedCost(solution.cost, instance.convention)).toBeLessThanOrEqual(bks * 1.03);
    });
  }

  it('gives the same routes for the same seed when stopped by iterations', async () => {
    const problem = randomProblem(3, 60, { timeWindows: true, depots: 2 });
    const a = await solveRouting(problem, { seed: 11, maxIterations: 300 });
    const b = await solveRouting(problem, { seed: 11, maxIterations: 300 });
    expect(b.routes).toEqual(a.routes);
    expect(b.cost).toBe(a.cost);
  });

  it('respects two capacity dimensions, windows and a mixed fleet with different speeds', async () => {
    const problem = randomProblem(5, 50, { timeWindows: true });
    problem.vehicles = [
      { id: 'van', count: 3, startDepot: 'D0', capacity: [60, 30] },
      { id: 'bike', count: 4, startDepot: 'D0', capacity: [15, 8], speedFactor: 0.5, shift: [0, 800], maxDuration: 500 },
    ];
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 400 });
    const check = checkSolution(problem, solution);
    expect(check.violations).toEqual([]);
    for (const route of solution.routes.filter((r) => r.vehicleId === 'bike')) {
      expect(route.duration).toBeLessThanOrEqual(500 + 1e-6);
      expect(route.load[1]).toBeLessThanOrEqual(8);
    }
  });

  it('returns unservable customers with the reason instead of dropping them', async () => {
    const problem = randomProblem(2, 12, { timeWindows: false });
    problem.customers[0]!.demand = [31, 1];
    problem.customers[1]!.timeWindow = [0, 1];
    problem.customers[2]!.allowedVehicles = [];
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 50 });
    expect(solution.unassigned).toEqual([
      { id: 'C0', reason: 'exceeds-capacity' },
      { id: 'C1', reason: 'window-unreachable' },
      { id: 'C2', reason: 'no-allowed-vehicle' },
    ]);
    expect(solution.feasible).toBe(true);
    expect(checkSolution(problem, solution).violations).toEqual([]);
  });

  it('reports customers the fleet has no room for as no-vehicle-left and the solution as infeasible', async () => {
    const problem = randomProblem(4, 20);
    problem.vehicles[0]!.count = 1;
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 50 });
    expect(solution.unassigned.length).toBeGreaterThan(0);
    expect(solution.unassigned.every((u) => u.reason === 'no-vehicle-left')).toBe(true);
    expect(solution.feasible).toBe(false);
    expect(checkSolution(problem, solution).violations).toEqual([]);
  });

  it('keeps stops on the vehicles they are allowed on', async () => {
    const problem = randomProblem(6, 30, { depots: 2 });
    for (const c of problem.customers.slice(0, 10)) c.allowedVehicles = ['V1'];
    const solution = await solveRouting(problem, { seed: 2, maxIterations: 200 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    const onV1 = new Set(solution.routes.filter((r) => r.vehicleId === 'V1').flatMap((r) => r.stops));
    for (const c of problem.customers.slice(0, 10)) expect(onV1.has(c.id)).toBe(true);
  });
});

describe('problem validation', () => {
  const valid = (): RoutingProblem => randomProblem(1, 5);

  it.each([
    ['customers[2].demand', (p: RoutingProblem) => (p.customers[2]!.demand = [1])],
    ['customers[1].location', (p: RoutingProblem) => (p.customers[1]!.location = 99)],
    ['customers[0].timeWindow', (p: RoutingProblem) => (p.customers[0]!.timeWindow = [10, 5])],
    ['vehicles[0].startDepot', (p: RoutingProblem) => (p.vehicles[0]!.startDepot = 'nowhere')],
    ['vehicles[0].speedFactor', (p: RoutingProblem) => (p.vehicles[0]!.speedFactor = 0)],
    ['distances[3]', (p: RoutingProblem) => (p.distances[3] = [1, 2])],
    ['customers[4].id', (p: RoutingProblem) => (p.customers[4]!.id = 'C0')],
    ['coordinates', (p: RoutingProblem) => (p.coordinates = [[0, 0]])],
    ['coordinates[1]', (p: RoutingProblem) => (p.coordinates = p.distances.map((_, i) => (i === 1 ? [0, Number.NaN] : [i, 0])))],
  ])('names %s when it is wrong', async (field, spoil) => {
    const problem = valid();
    spoil(problem);
    const error = await solveRouting(problem, { seed: 1, maxIterations: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidProblemError);
    expect((error as InvalidProblemError).field).toBe(field);
  });

  it('serves the higher priorities first when the fleet cannot serve everyone, even where that costs more', async () => {
    // One van with room for two; the priority stop is the far one.
    const xs = [0, 1, 2, 50];
    const problem: RoutingProblem = {
      depots: [{ id: 'depot', location: 0 }],
      customers: [
        { id: 'near1', location: 1, demand: [1] },
        { id: 'near2', location: 2, demand: [1] },
        { id: 'far', location: 3, demand: [1], priority: 10 },
      ],
      vehicles: [{ id: 'van', startDepot: 'depot', capacity: [2] }],
      distances: xs.map((x) => xs.map((y) => Math.abs(x - y))),
    };
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 50 });
    expect(solution.routes[0]!.stops).toContain('far');
    expect(solution.unassigned.map((u) => u.id)).toHaveLength(1);
  });

  it('takes every break of every vehicle used, in its window, and says when, even when the breaks leave customers unserved', async () => {
    const plain = randomProblem(8, 60, { timeWindows: true });
    const problem: RoutingProblem = {
      ...plain,
      vehicles: [
        {
          id: 'van',
          count: 2,
          startDepot: 'D0',
          capacity: [60, 40],
          breaks: [
            { id: 'lunch', timeWindow: [300, 360], duration: 120 },
            { id: 'coffee', timeWindow: [120, 160], duration: 60 },
          ],
        },
      ],
    };
    const solution = await solveRouting(problem, { seed: 2, maxIterations: 400 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.routes.length).toBeGreaterThan(0);
    for (const route of solution.routes) {
      expect(route.breaks!.map((b) => b.id).sort()).toEqual(['coffee', 'lunch']);
      const lunch = route.breaks!.find((b) => b.id === 'lunch')!;
      expect(lunch.start).toBeGreaterThanOrEqual(300);
      expect(lunch.start).toBeLessThanOrEqual(360);
    }
  });

  it('needs a stopping rule', async () => {
    await expect(solveRouting(valid(), { seed: 1 })).rejects.toThrow(InvalidProblemError);
  });
});

describe('solveRouting on edge cases', () => {
  it('returns at once with no routes when there is nobody to serve', async () => {
    const problem = randomProblem(1, 3);
    problem.customers = [];
    const solution = await solveRouting(problem, { seed: 1, timeLimitMs: 60_000 });
    expect(solution).toMatchObject({ routes: [], cost: 0, unassigned: [], feasible: true });
    expect(solution.stats.iterations).toBe(0);
  });

  it('spends its time limit on the clock it is given, not on the wall clock', async () => {
    // A clock that runs a second per reading stops the search after a few readings, however fast they come.
    let readings = 0;
    const clock = () => 1000 * readings++;
    const solution = await solveRouting(randomProblem(4, 40), { seed: 1, timeLimitMs: 5_000, clock });
    expect(solution.stats.iterations).toBeLessThan(5);
    expect(solution.unassigned).toEqual([]);
  });

  it('serves a single customer', async () => {
    const problem = randomProblem(1, 1);
    const solution = await solveRouting(problem, { seed: 1, maxIterations: 20 });
    expect(solution.routes.map((r) => r.stops)).toEqual([['C0']]);
    expect(checkSolution(problem, solution).violations).toEqual([]);
  });

});
