import { describe, expect, it } from 'vitest';
import { checkSolution, scheduleRoute } from '../../../solver/routing/check.ts';
import type { RoutingProblem } from '../../../solver/routing/problem.ts';

/** Depot at 0, customers a, b, c on a line at 10, 20, 30. */
function line(): RoutingProblem {
  const xs = [0, 10, 20, 30];
  return {
    depots: [{ id: 'depot', location: 0, timeWindow: [0, 200] }],
    customers: [
      { id: 'a', location: 1, demand: [4], timeWindow: [0, 100], serviceTime: 5 },
      { id: 'b', location: 2, demand: [4], timeWindow: [50, 60], serviceTime: 5 },
      { id: 'c', location: 3, demand: [4] },
    ],
    vehicles: [{ id: 'van', count: 2, startDepot: 'depot', capacity: [10] }],
    distances: xs.map((x) => xs.map((y) => Math.abs(x - y))),
  };
}

describe('checkSolution', () => {
  it('accepts a valid plan and recomputes its distance', () => {
    const result = checkSolution(line(), { routes: [{ vehicleId: 'van', stops: ['a', 'b'] }, { vehicleId: 'van', copy: 1, stops: ['c'] }] });
    expect(result).toEqual({ feasible: true, cost: 40 + 60, violations: [] });
  });

  it('finds an overloaded vehicle, a late stop, a missing and a doubled customer', () => {
    const result = checkSolution(line(), {
      routes: [
        { vehicleId: 'van', stops: ['c', 'a', 'b'] },
        { vehicleId: 'van', copy: 1, stops: ['c'] },
      ],
    });
    expect(result.feasible).toBe(false);
    expect(result.violations.join('\n')).toMatch(/carries 12/);
    expect(result.violations.join('\n')).toMatch(/b served at 65/);
    expect(result.violations).toContain('c served 2 times');

    const missing = checkSolution(line(), { routes: [{ vehicleId: 'van', stops: ['a'] }] });
    expect(missing.violations).toEqual(['b neither served nor reported unassigned', 'c neither served nor reported unassigned']);
  });

  it('follows the load along the route when stops hand goods in, and checks the stop, driving and length limits', () => {
    const problem = line();
    problem.customers[0]!.pickup = [9];
    problem.vehicles[0] = { ...problem.vehicles[0]!, maxStops: 2, maxTravelTime: 50, maxDistance: 50 };
    // 12 to deliver leaves the depot; a drops 4 and hands in 9: 17 on board, 13 after b, 9 after c.
    const result = checkSolution(problem, { routes: [{ vehicleId: 'van', stops: ['a', 'b', 'c'] }] });
    expect(result.violations).toEqual([
      'route 0: carries 12 in dimension 0 at the start, above 10',
      'route 0: carries 17 in dimension 0 after a, above 10',
      'route 0: carries 13 in dimension 0 after b, above 10',
      'route 0: has 3 stops, more than 2',
      'route 0: drives 60, longer than 50',
      'route 0: is 60 long, more than 50',
    ]);
  });

  it('refuses a vehicle copy beyond the fleet', () => {
    const result = checkSolution(line(), { routes: [{ vehicleId: 'van', copy: 2, stops: ['a', 'b', 'c'] }] });
    expect(result.violations.some((v) => v.includes('not available'))).toBe(true);
  });
});

describe('scheduleRoute', () => {
  it('delays the departure to remove waiting, so the duration is the shortest possible', () => {
    const problem = line();
    // Leaving at 0: a at 10, done 15, b reached at 25 but opens at 50 → 25 of waiting that a later start avoids.
    const schedule = scheduleRoute(problem, problem.vehicles[0]!, ['a', 'b']);
    expect(schedule.serviceStarts).toEqual([10, 50]);
    expect(schedule.departure).toBe(25);
    expect(schedule.duration).toBe(75 - 25);
  });
});
