import { describe, expect, it } from 'vitest';
import { highsRequested } from '../../../solver/routing/set-partitioning.ts';
import { solveRouting } from '../../../solver/routing/solve.ts';
import { randomProblem } from './fixtures.ts';

// One file of its own: whether HiGHS was loaded is per process, and the tests run in this order.
describe('solveRouting loading HiGHS', () => {
  it('does not load it where the time left for set partitioning is too short for the customers', async () => {
    const solution = await solveRouting(randomProblem(3, 120), { seed: 1, timeLimitMs: 300 });
    expect(solution.routes.length).toBeGreaterThan(0);
    expect(highsRequested()).toBe(false);
  });

  it('loads it where the step may run', async () => {
    const solution = await solveRouting(randomProblem(3, 20), { seed: 1, maxIterations: 50 });
    expect(solution.stats.partitionMs).toBeGreaterThan(0);
    expect(highsRequested()).toBe(true);
  });
});
