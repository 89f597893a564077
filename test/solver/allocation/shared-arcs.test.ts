import { describe, expect, it } from 'vitest';
import { allocate } from '../../../solver/allocation/allocate.ts';
import { buildInstance } from '../../../solver/allocation/instance.ts';
import type { Plan } from '../../../solver/allocation/problem.ts';
import { randomProblem } from '../../../solver/allocation/random-problem.ts';
import { expectPlanRespectsConstraints, expectSameStages } from './plan-checks.ts';

const stagesOf = (plan: Plan) => ({ ...plan.solver.stages, x: new Float64Array(), backend: 'highs' as const, variables: 0, weightedWithoutFairness: plan.metrics.weightedFulfilmentWithoutFairness });

describe('needs sharing their candidate arcs (households behind one gate)', () => {
  it('reach every stage value of HiGHS on the full model, one column per need and arc, where capacity binds', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const problem = randomProblem(seed, { needs: 80 + 20 * (seed % 3), warehouses: 3 + (seed % 4), commodities: 1 + (seed % 3), capacity: 'tight', points: 4 + (seed % 5), lotsPerStock: 3 });
      expect(buildInstance(problem).capacityMayBind, `seed ${seed}`).toBe(true);
      const shared = await allocate(problem, { seed, backend: 'highs' });
      const full = await allocate(problem, { seed, backend: 'highs', classes: false });
      expect(shared.solver.variables, `seed ${seed}`).toBeLessThan(full.solver.variables);
      expectSameStages(stagesOf(shared), stagesOf(full), `seed ${seed}`);
      expectPlanRespectsConstraints(problem, shared);
    }
  });

});
