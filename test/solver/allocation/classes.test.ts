import { describe, expect, it } from 'vitest';
import { allocate, solveStages } from '../../../solver/allocation/allocate.ts';
import { classesOf, waterFill } from '../../../solver/allocation/classes.ts';
import { buildInstance } from '../../../solver/allocation/instance.ts';
import { randomProblem } from '../../../solver/allocation/random-problem.ts';
import { generateDistrict } from '../../../seeds/district/generate.ts';
import { districtProblem } from '../../../seeds/district/problem.ts';
import { expectPlanRespectsConstraints, expectSameStages } from './plan-checks.ts';

describe('needs solved as classes', () => {
  it('reach the same value at every stage as the full model on a small district where capacity binds', async () => {
    const problem = districtProblem(generateDistrict({ households: 400, seed: 3, warehouses: 6 }));
    const inst = buildInstance(problem);
    expect(inst.capacityMayBind).toBe(true);
    const { instance, members } = classesOf(inst);
    // Households behind one gate share their candidates, so there are far fewer classes than needs.
    expect(members.length).toBeLessThan(inst.needs.length / 3);
    const full = await solveStages(inst, { seed: 1, backend: 'highs' });
    const grouped = await solveStages(instance, { seed: 1, backend: 'highs' });
    expectSameStages(grouped, full, 'district of 400 households');
  });

  it('give a plan whose members keep every constraint and fairness floor, with the full model\'s stage values', async () => {
    for (const seed of [1, 2, 3]) {
      const problem = districtProblem(generateDistrict({ households: 150, seed, warehouses: 4 }));
      const grouped = await allocate(problem, { seed, backend: 'highs' });
      const full = await allocate(problem, { seed, backend: 'highs', classes: false });
      expect(grouped.solver.classes).toBeLessThan(full.solver.classes);
      expectPlanRespectsConstraints(problem, grouped);
      const stages = (p: typeof grouped) => ({ ...p.solver.stages, x: new Float64Array(), backend: 'highs' as const, variables: 0 });
      expectSameStages(stages(grouped), stages(full), `seed ${seed}`);
    }
  });

  it('keep the full model\'s optimum on random problems with pins, deadlines and expiries', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const problem = randomProblem(seed, { needs: 60, warehouses: 4, commodities: 2, capacity: seed % 2 ? 'tight' : 'loose' });
      // Many needs at few points, so that classes form.
      problem.needs.forEach((n, i) => (n.location = problem.needs[i % 7]!.location));
      problem.pins = [{ needId: problem.needs[0]!.id, warehouseId: 'w0', quantity: 0.5 }];
      const inst = buildInstance({ ...problem, pins: [] });
      const arcW0 = inst.arcs.find((a) => a.need === 0 && inst.warehouses[inst.depots[a.depot]!.warehouse]!.id === 'w0');
      if (!arcW0) problem.pins = [];
      const grouped = await allocate(problem, { seed, backend: 'highs' });
      const full = await allocate(problem, { seed, backend: 'highs', classes: false });
      expectPlanRespectsConstraints(problem, grouped);
      const stages = (p: typeof grouped) => ({ ...p.solver.stages, x: new Float64Array(), backend: 'highs' as const, variables: 0 });
      expectSameStages(stages(grouped), stages(full), `seed ${seed}`);
    }
  });

  it('share a class total with equal fractions of the asks, never below a floor', () => {
    expect(waterFill([4, 2, 2], [0, 0, 0], 4)).toEqual([2, 1, 1]);
    const shares = waterFill([4, 2, 2], [0, 1.5, 0], 4);
    expect(shares[1]).toBe(1.5);
    expect(shares[0]! / 4).toBeCloseTo(shares[2]! / 2);
    expect(shares.reduce((s, q) => s + q, 0)).toBeCloseTo(4);
    expect(waterFill([3, 5], [1, 1], 10)).toEqual([3, 5]);
  });
});

describe('a time limit', () => {
  it('still gives a feasible plan, marked as not optimal, with what it reached and the bound at the stage it stopped', async () => {
    const problem = districtProblem(generateDistrict({ households: 400, seed: 3, warehouses: 6 }));
    const plan = await allocate(problem, { seed: 1, backend: 'highs', timeLimitMs: 0.001 });
    expect(plan.solver.optimal).toBe(false);
    expect(plan.solver.stopped).toMatchObject({ stage: 'floor', tier: 1, bound: 1 });
    expect(plan.solver.stopped!.reached).toBeGreaterThan(0);
    expect(plan.allocations.length).toBeGreaterThan(0);
    expectPlanRespectsConstraints(problem, { ...plan, solver: { ...plan.solver, stages: { ...plan.solver.stages, tierFloors: [] } } });
    const unlimited = await allocate(problem, { seed: 1, backend: 'highs' });
    expect(unlimited.solver.optimal).toBe(true);
    expect(unlimited.solver.stopped).toBeUndefined();
    // No plan's smallest share in tier 1 exceeds the optimum's floor there.
    expect(plan.solver.stopped!.reached).toBeLessThanOrEqual(unlimited.solver.stages.tierFloors[0]!.floor + 1e-9);
  });
});
