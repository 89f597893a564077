import { describe, expect, it } from 'vitest';
import { solveStages } from '../../../solver/allocation/allocate.ts';
import { buildInstance } from '../../../solver/allocation/instance.ts';
import { randomProblem } from '../../../solver/allocation/random-problem.ts';
import { expectSameStages } from './plan-checks.ts';

describe('the optimum of the staged model', () => {
  it('is the same on the network-flow path as with HiGHS on random instances the flow path handles', async () => {
    for (let seed = 1; seed <= 24; seed++) {
      const problem = randomProblem(seed, { needs: 20 + 10 * (seed % 5), warehouses: 3 + (seed % 6), commodities: 1 + (seed % 3), lotsPerStock: 3 });
      const inst = buildInstance(problem);
      expect(inst.capacityMayBind).toBe(false);
      const flow = await solveStages(inst, { seed, backend: 'flow' });
      const highs = await solveStages(inst, { seed, backend: 'highs' });
      expect(flow.backend).toBe('flow');
      expectSameStages(flow, highs, `seed ${seed}`);
    }
  });

  it('is the same on a larger instance with many lots, tiers and expiries', async () => {
    const inst = buildInstance(randomProblem(99, { needs: 600, warehouses: 25, commodities: 4, lotsPerStock: 4 }));
    const flow = await solveStages(inst, { seed: 1, backend: 'flow' });
    const highs = await solveStages(inst, { seed: 1, backend: 'highs' });
    expectSameStages(flow, highs, 'seed 99');
  });

  it('is the same with HiGHS and javascript-lp-solver, including when warehouse capacity binds', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const problem = randomProblem(seed, { needs: 12 + (seed % 4) * 3, warehouses: 3, commodities: 2, capacity: seed % 2 === 0 ? 'tight' : 'loose' });
      const inst = buildInstance(problem);
      const highs = await solveStages(inst, { seed, backend: 'highs' });
      const jslp = await solveStages(inst, { seed, backend: 'jslp' });
      expectSameStages(highs, jslp, `seed ${seed}`);
    }
  });

  it('routes to the flow path only when no capacity can bind and nothing is pinned', async () => {
    const loose = buildInstance(randomProblem(3, { needs: 30, warehouses: 4, commodities: 2 }));
    const tight = buildInstance(randomProblem(3, { needs: 30, warehouses: 4, commodities: 2, capacity: 'tight' }));
    expect((await solveStages(loose, { seed: 1 })).backend).toBe('flow');
    expect(tight.capacityMayBind).toBe(true);
    expect((await solveStages(tight, { seed: 1 })).backend).toBe('highs');
    await expect(solveStages(tight, { seed: 1, backend: 'flow' })).rejects.toThrow(/flow path cannot/);
  });
});
