import { describe, expect, it } from 'vitest';
import { allocate } from '../../../solver/allocation/allocate.ts';
import { buildInstance } from '../../../solver/allocation/instance.ts';
import type { AllocationProblem, Need, Plan } from '../../../solver/allocation/problem.ts';
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

describe('needs at one warehouse whose usable lots differ (a lot expires between their arrivals)', () => {
  const NOW = Date.UTC(2026, 0, 15, 8);
  const need = (id: string, pointId: string, lat: number, quantity: number): Need => ({ id, commodityId: 'milk', quantity, tier: 2, pointId, location: { lat, lon: 7.38 } });
  // At 25 km/h the near gate (1 km) is reached in ~2.4 min, the far one (10 km) in ~24 min; lot A expires at 10 min.
  const problem: AllocationProblem = {
    now: NOW,
    commodities: [{ id: 'milk', weightKg: 1, volumeM3: 0, perishable: true }],
    warehouses: [{ id: 'w', capacityWeightKg: 18, capacityVolumeM3: Infinity, location: { lat: 43.7, lon: 7.38 } }],
    lots: [
      { id: 'A', warehouseId: 'w', commodityId: 'milk', quantity: 10, expiresAt: NOW + 600_000 },
      { id: 'B', warehouseId: 'w', commodityId: 'milk', quantity: 10, expiresAt: NOW + 36_000_000 },
    ],
    needs: [need('near', 'gate-near', 43.709, 5), need('far', 'gate-far', 43.79, 15)],
    policy: {},
  };

  it('keeps them apart: the far gate cannot draw on the lot that expires before it gets there', async () => {
    const inst = buildInstance(problem);
    expect(inst.capacityMayBind).toBe(true);
    expect(inst.arcs.map((a) => a.firstLot)).toEqual([0, 1]);
    const shared = await allocate(problem, { seed: 1, backend: 'highs' });
    const full = await allocate(problem, { seed: 1, backend: 'highs', classes: false });
    expectSameStages(stagesOf(shared), stagesOf(full), 'two gates, one lot expiring between them');
    const received = (id: string) => shared.allocations.filter((a) => a.needId === id).reduce((s, a) => s + a.quantity, 0);
    // Lot A can only reach the near gate (5 asked); the far one gets at most lot B's 10.
    expect(received('near') + received('far')).toBeCloseTo(15, 6);
    expect(shared.allocations.filter((a) => a.needId === 'far' && a.lotId === 'A')).toEqual([]);
    expectPlanRespectsConstraints(problem, shared);
  });
});
